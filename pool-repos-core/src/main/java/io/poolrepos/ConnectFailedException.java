package io.poolrepos;

/**
 * Thrown by {@code acquire} when the pool's {@link ConnectionFactory} failed to open a connection
 * (refused, unreachable, timed out). The factory's exception is the cause. Immutable and thread-safe.
 */
public class ConnectFailedException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String poolName;
    private final String name;

    ConnectFailedException(String poolName, String name, Throwable cause) {
        this(poolName, name, "could not open a connection: " + NameMasking.maskWithin(String.valueOf(cause), name),
                cause);
    }

    /** For subclasses: {@code reason} follows "Pool 'p', name 'n': " in the message. */
    ConnectFailedException(String poolName, String name, String reason, Throwable cause) {
        super("Pool '" + NameMasking.mask(poolName) + "', name '" + NameMasking.mask(name) + "': " + reason, cause);
        this.poolName = poolName;
        this.name = name;
    }

    public String getPoolName() {
        return poolName;
    }

    public String getName() {
        return name;
    }
}
