package io.poolrepos;

/**
 * Thrown by {@code share} on a pool whose settings do not mark it sharable. Immutable and thread-safe.
 */
public class PoolNotSharableException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String poolName;

    PoolNotSharableException(String poolName, SettingNames settings) {
        super("Pool '" + NameMasking.mask(poolName) + "' is not sharable; share() needs a pool created with "
                + settings.of("sharable") + " set to true (PoolSettings.builder().sharable(true)), otherwise use "
                + "get() or acquire() for exclusive use.");
        this.poolName = poolName;
    }

    public String getPoolName() {
        return poolName;
    }
}
