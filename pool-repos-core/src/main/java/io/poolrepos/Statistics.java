package io.poolrepos;

/**
 * Counts of one name of a pool, or of a whole pool: the state at this moment (idle, in use, shared)
 * and the events since the pool was created (hits, misses, evictions, ...).
 *
 * <p>A live view ({@link ConnectionPool#totals()}, {@link NameStatistics}) reads the pool as it is,
 * without stopping traffic: each figure is exact when read, but two figures read one after the other
 * may come from different moments. {@link #snapshot()} copies all figures at once into an immutable
 * {@link Counts}. Live views are thread-safe; counters never decrease.
 *
 * <p>The books balance: {@code adopted + created == idle + inUse + closedDead + evictedIdle
 * + evictedLifetime + overflowed + discarded} once no call is in progress.
 */
public interface Statistics {

    /** Connections in the pool, shared or not; {@code get} can take those that are not shared. */
    int idle();

    /** Connections out on exclusive loan (taken by {@code get} or {@code acquire}, not yet given back). */
    int inUse();

    /** Idle connections that have at least one sharer. */
    int sharedConnections();

    /** Leases handed out by {@code share} and not yet closed. */
    int activeShares();

    /** Callers waiting in {@code acquire}. */
    int waiting();

    /** Calls of {@code add} that left the connection idle in the pool, a connection's first {@code add} included. */
    long added();

    /** Connections the pool saw for the first time in {@code add} (whatever became of them). */
    long adopted();

    /** Connections opened by the pool's {@link ConnectionFactory}. */
    long created();

    /** Calls of {@code get} or {@code acquire} that handed out an idle connection (for {@code acquire}, perhaps after waiting). */
    long getHits();

    /**
     * Calls of {@code get} that found no idle connection, and of {@code acquire} that opened one or
     * failed; {@code getHits + getMisses} counts every {@code get} and {@code acquire} on an open pool.
     */
    long getMisses();

    /** Leases handed out by {@code share}. */
    long shares();

    /** Connections closed because they were found closed or dead. */
    long closedDead();

    /** Connections closed because they were idle longer than the idle timeout. */
    long evictedIdle();

    /** Connections closed because they outlived the max lifetime. */
    long evictedLifetime();

    /** Connections closed because keeping them would have exceeded a limit. */
    long overflowed();

    /** Connections closed on purpose: {@code discard}, {@code drain}, or the pool closing. */
    long discarded();

    /** Calls of {@code add} or {@code discard} rejected with a {@link ConnectionRejectedException}. */
    long rejected();

    /** Connections reported as possible leaks (out on loan past the leak-detection threshold). */
    long leaks();

    /** Calls of {@code acquire} that failed with an {@link AcquireTimeoutException}. */
    long acquireTimeouts();

    /** Calls of the {@link ConnectionFactory} that failed. */
    long connectFailures();

    /** An immutable copy of every figure, read now. */
    default Counts snapshot() {
        return new Counts(idle(), inUse(), sharedConnections(), activeShares(), waiting(), added(), adopted(),
                created(), getHits(), getMisses(), shares(), closedDead(), evictedIdle(), evictedLifetime(),
                overflowed(), discarded(), rejected(), leaks(), acquireTimeouts(), connectFailures());
    }
}
