package io.poolrepos;

/**
 * Thrown at once by {@code acquire} (or {@code share}, in a pool with a factory) when the name already
 * has {@link PoolSettings#maxWaitersPerName()} callers of that kind waiting: queueing more would only add
 * latency. Immutable and thread-safe.
 */
public class WaiterLimitExceededException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String poolName;
    private final String name;
    private final int maxWaiters;

    WaiterLimitExceededException(String poolName, String name, int maxWaiters, SettingNames settings) {
        super("Pool '" + NameMasking.mask(poolName) + "', name '" + NameMasking.mask(name) + "': " + maxWaiters
                + " callers are already waiting (maxWaitersPerName); failing fast instead of queueing. Raise "
                + settings.of("maxWaitersPerName") + " if this many callers may wait at once.");
        this.poolName = poolName;
        this.name = name;
        this.maxWaiters = maxWaiters;
    }

    public String getPoolName() {
        return poolName;
    }

    public String getName() {
        return name;
    }

    public int getMaxWaiters() {
        return maxWaiters;
    }
}
