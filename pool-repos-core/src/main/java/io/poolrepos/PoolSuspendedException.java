package io.poolrepos;

/**
 * Thrown by {@code acquire}, {@code get} and {@code share} while the pool is suspended with
 * {@link PoolOperations.SuspendMode#FAIL_FAST}, and to callers that were waiting in {@code acquire}
 * when it was. Nothing was taken. Immutable and thread-safe.
 */
public class PoolSuspendedException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String poolName;

    PoolSuspendedException(String poolName) {
        super("Pool '" + NameMasking.mask(poolName) + "' is suspended by an operator; no connection is handed out"
                + " until it is resumed (PoolOperations.resume). Retry later or use another pool.");
        this.poolName = poolName;
    }

    public String getPoolName() {
        return poolName;
    }
}
