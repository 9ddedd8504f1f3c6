package io.poolrepos;

/**
 * Thrown when a pool is asked for again by name with settings (or a connection type) that differ from
 * those it was created with. The existing pool is left as it was. Immutable and thread-safe.
 */
public class PoolConflictException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String poolName;

    PoolConflictException(String poolName, String difference) {
        super("Pool '" + NameMasking.mask(poolName) + "' already exists with different " + difference
                + ". A pool is created once; ask for it again with the same settings, or use another name.");
        this.poolName = poolName;
    }

    public String getPoolName() {
        return poolName;
    }
}
