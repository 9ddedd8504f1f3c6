package io.poolrepos;

/**
 * Base type of every exception that pool-repos throws on purpose. Catch this to handle all of them.
 *
 * <p>Every subtype is unchecked, names the pool (and the connection name where one applies) in its
 * message and in a getter, and says what the caller can do about it. Instances are immutable and
 * therefore thread-safe.
 */
public class PoolReposException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PoolReposException(String message) {
        super(message);
    }

    PoolReposException(String message, Throwable cause) {
        super(message, cause);
    }
}
