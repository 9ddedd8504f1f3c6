package io.poolrepos;

/**
 * Figures of one name of a pool, or of a whole pool: its state at this moment (idle, in use, shared)
 * and the events counted since the pool was created (see {@link Counter}).
 *
 * <p>A live view ({@link ConnectionPool#totals()}, {@link NameStatistics}) reads the pool as it is,
 * without stopping traffic: each figure is exact when read, but two figures read one after the other
 * may come from different moments. {@link #snapshot()} copies all figures at once into an immutable
 * {@link Counts}. Live views are thread-safe; counts never decrease. Reading a figure changes nothing.
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

    /** How often the event {@code counter} happened. */
    long count(Counter counter);

    /** {@link Counter#ADDED}. */
    default long added() {
        return count(Counter.ADDED);
    }

    /** {@link Counter#ADOPTED}. */
    default long adopted() {
        return count(Counter.ADOPTED);
    }

    /** {@link Counter#CREATED}. */
    default long created() {
        return count(Counter.CREATED);
    }

    /** {@link Counter#GET_HITS}. */
    default long getHits() {
        return count(Counter.GET_HITS);
    }

    /** {@link Counter#GET_MISSES}. */
    default long getMisses() {
        return count(Counter.GET_MISSES);
    }

    /** {@link Counter#SHARES}. */
    default long shares() {
        return count(Counter.SHARES);
    }

    /** {@link Counter#CLOSED_DEAD}. */
    default long closedDead() {
        return count(Counter.CLOSED_DEAD);
    }

    /** {@link Counter#EVICTED_IDLE}. */
    default long evictedIdle() {
        return count(Counter.EVICTED_IDLE);
    }

    /** {@link Counter#EVICTED_LIFETIME}. */
    default long evictedLifetime() {
        return count(Counter.EVICTED_LIFETIME);
    }

    /** {@link Counter#OVERFLOWED}. */
    default long overflowed() {
        return count(Counter.OVERFLOWED);
    }

    /** {@link Counter#DISCARDED}. */
    default long discarded() {
        return count(Counter.DISCARDED);
    }

    /** {@link Counter#REJECTED}. */
    default long rejected() {
        return count(Counter.REJECTED);
    }

    /** {@link Counter#LEAKS}. */
    default long leaks() {
        return count(Counter.LEAKS);
    }

    /** {@link Counter#ACQUIRE_TIMEOUTS}. */
    default long acquireTimeouts() {
        return count(Counter.ACQUIRE_TIMEOUTS);
    }

    /** {@link Counter#CONNECT_FAILURES}. */
    default long connectFailures() {
        return count(Counter.CONNECT_FAILURES);
    }

    /** {@link Counter#FAST_FAILURES}. */
    default long fastFailures() {
        return count(Counter.FAST_FAILURES);
    }

    /** An immutable copy of every figure, read now. */
    default Counts snapshot() {
        long[] counts = new long[Counter.all().length];
        for (Counter counter : Counter.all()) {
            counts[counter.ordinal()] = count(counter);
        }
        return new Counts(idle(), inUse(), sharedConnections(), activeShares(), waiting(), counts);
    }
}
