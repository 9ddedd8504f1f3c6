package io.poolrepos;

/**
 * Thrown by {@code get}, {@code share} and {@code acquire} once the pool (or its repository) is
 * closed, including to callers that were waiting in {@code acquire} when it closed.
 * Immutable and thread-safe.
 */
public class PoolClosedException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String poolName;

    PoolClosedException(String poolName) {
        this(poolName, "is closed; no connection can be taken from it any more.");
    }

    /** @param state what has become of the pool, after "Pool 'name' " */
    PoolClosedException(String poolName, String state) {
        super("Pool '" + NameMasking.mask(poolName) + "' " + state);
        this.poolName = poolName;
    }

    public String getPoolName() {
        return poolName;
    }
}
