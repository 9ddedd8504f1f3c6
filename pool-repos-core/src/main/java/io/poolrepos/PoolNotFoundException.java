package io.poolrepos;

import java.util.Collection;

/**
 * Thrown when a pool is asked for by a name the repository does not know. The message lists the
 * pools that do exist. Immutable and thread-safe.
 */
public class PoolNotFoundException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String poolName;

    PoolNotFoundException(String poolName, Collection<String> knownPools) {
        super("No pool named '" + NameMasking.mask(poolName) + "'; known pools: "
                + knownPools.stream().map(NameMasking::mask).collect(java.util.stream.Collectors.toList())
                + ". Create it first with PoolRepository.pool(...) or check the name.");
        this.poolName = poolName;
    }

    public String getPoolName() {
        return poolName;
    }
}
