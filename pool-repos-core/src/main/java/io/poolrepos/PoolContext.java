package io.poolrepos;

/**
 * What the names of one pool share, and all that a {@link NameSlot} knows of its pool: the pool's
 * name, how its messages name its settings, the clocks, the fitness rules, the closer, the pool-wide
 * idle and open limits, the repository's connection index, leak detection, test hooks, and whether the
 * pool is closed; and the state an operator changes while it runs ({@link PoolOperations}): its
 * current settings, its suspension and its soft evictions. One per pool; every field is final but the
 * closed flag and the settings, an immutable value swapped whole. Thread-safe.
 */
final class PoolContext<C> {

    final String poolName;
    /** How messages name the pool's settings: the core's names, and where they were written if known. */
    final SettingNames settingNames;
    final Clock clock;
    final ConnectionCloser<C> closer;
    final Fitness<C> fitness;
    final IdlePlaces idlePlaces;
    final OpenRoom openRoom;
    final ConnectionIndex index;
    final LeakDetector leaks;
    final Hooks hooks;
    final Suspension suspension = new Suspension();
    final Evictions evictions = new Evictions();
    private volatile boolean closed;
    /** The current settings: those the pool was created with until an operator resizes it. */
    private volatile PoolSettings settings;

    PoolContext(String poolName, PoolSettings settings, Clock clock, ConnectionCloser<C> closer, Fitness<C> fitness,
            IdlePlaces idlePlaces, OpenRoom openRoom, ConnectionIndex index, LeakDetector leaks, Hooks hooks,
            SettingNames settingNames) {
        this.poolName = poolName;
        this.settings = settings;
        this.settingNames = settingNames;
        this.clock = clock;
        this.closer = closer;
        this.fitness = fitness;
        this.idlePlaces = idlePlaces;
        this.openRoom = openRoom;
        this.index = index;
        this.leaks = leaks;
        this.hooks = hooks;
    }

    /** The current settings; read where a limit is applied, so that a resize applies from the next read. */
    PoolSettings settings() {
        return settings;
    }

    /** Swaps in settings changed by {@link PoolOperations#resize}. */
    void useSettings(PoolSettings changed) {
        settings = changed;
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
