package io.poolrepos;

/**
 * Thrown by {@code acquire} on a pool that was created without a {@link ConnectionFactory}, so it
 * cannot open a connection on a miss. Immutable and thread-safe.
 */
public class NoConnectionFactoryException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String poolName;

    NoConnectionFactoryException(String poolName) {
        super("Pool '" + NameMasking.mask(poolName) + "' has no ConnectionFactory, so acquire() cannot open connections; "
                + "create the pool with one (for TCP: TcpConnectionFactory), or use get() and add().");
        this.poolName = poolName;
    }

    public String getPoolName() {
        return poolName;
    }
}
