package io.poolrepos;

/**
 * What the names of one pool share, and all that a {@link NameSlot} knows of its pool: the pool's
 * name, how its messages name its settings, the clocks, the fitness rules, the closer, the pool-wide idle limit, the repository's
 * connection index, leak detection, test hooks, and whether the pool is closed. One per pool; every
 * field is final but the closed flag. Thread-safe.
 */
final class PoolContext<C> {

    final String poolName;
    /** How messages name the pool's settings: the core's names, and where they were written if known. */
    final SettingNames settingNames;
    final Clock clock;
    final ConnectionCloser<C> closer;
    final Fitness<C> fitness;
    final IdlePlaces idlePlaces;
    final ConnectionIndex index;
    final LeakDetector leaks;
    final Hooks hooks;
    private volatile boolean closed;

    PoolContext(String poolName, Clock clock, ConnectionCloser<C> closer, Fitness<C> fitness, IdlePlaces idlePlaces,
            ConnectionIndex index, LeakDetector leaks, Hooks hooks, SettingNames settingNames) {
        this.poolName = poolName;
        this.settingNames = settingNames;
        this.clock = clock;
        this.closer = closer;
        this.fitness = fitness;
        this.idlePlaces = idlePlaces;
        this.index = index;
        this.leaks = leaks;
        this.hooks = hooks;
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks the pool closed; false if it was already. */
    boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }
}
