package io.poolrepos;

/**
 * Thrown when an argument or a setting is not acceptable: a null or blank name, a null connection,
 * a negative limit, a contradiction between two limits. The message names the argument or setting,
 * the rule and the value given ("maxIdlePerName must be >= 0, was -1"). Nothing was changed.
 *
 * <p>Immutable and thread-safe.
 */
public class InvalidArgumentException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String argument;

    InvalidArgumentException(String argument, String message) {
        super(message);
        this.argument = argument;
    }

    /** Name of the argument or setting that was rejected, for example {@code "maxIdlePerName"}. */
    public String getArgument() {
        return argument;
    }
}
