package io.poolrepos;

/**
 * Thrown when a connection would add a name to a pool that already holds its maximum number of
 * distinct names ({@link PoolSettings#maxNames()}). The guard keeps names from untrusted input from
 * exhausting memory. Nothing was changed; the caller keeps the connection. Immutable and thread-safe.
 */
public class NameLimitExceededException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String poolName;
    private final String name;
    private final int maxNames;

    NameLimitExceededException(String poolName, String name, int maxNames, SettingNames settings) {
        super("Pool '" + NameMasking.mask(poolName) + "' already holds " + maxNames + " names (maxNames), so '" + NameMasking.mask(name)
                + "' cannot be added. Names with no connection are removed by housekeeping; raise " + settings.of("maxNames")
                + " if this many distinct names are expected.");
        this.poolName = poolName;
        this.name = name;
        this.maxNames = maxNames;
    }

    public String getPoolName() {
        return poolName;
    }

    public String getName() {
        return name;
    }

    public int getMaxNames() {
        return maxNames;
    }
}
