package io.poolrepos;

import java.util.List;

/**
 * The figures of one pool at one moment: its settings, its totals over every name (including names
 * that were removed since), and one row per name that exists now, ordered by name. Immutable and
 * thread-safe.
 *
 * @param poolName the pool's name
 * @param connectionType the pool's connection type
 * @param settings the pool's settings
 * @param closed whether the pool is closed
 * @param totals the figures summed over every name
 * @param names one row per current name, sorted by name
 */
public record PoolSnapshot(String poolName, Class<?> connectionType, PoolSettings settings, boolean closed,
        Counts totals, List<NameSnapshot> names) {

    public PoolSnapshot {
        names = List.copyOf(names);
    }
}
