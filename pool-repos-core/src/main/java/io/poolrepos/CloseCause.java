package io.poolrepos;

/**
 * Why the pool closes a connection: the counter charged for it and what {@code add} reports when the
 * close happens there.
 */
enum CloseCause {

    /** Found closed or dead. */
    DEAD(Counter.CLOSED_DEAD, AddResult.CLOSED_DEAD),
    /** Idle longer than the idle timeout. */
    IDLE_TIMEOUT(Counter.EVICTED_IDLE, AddResult.CLOSED_EXPIRED),
    /** Older than the max lifetime. */
    LIFETIME(Counter.EVICTED_LIFETIME, AddResult.CLOSED_EXPIRED),
    /** Idle, closed to make room for a connection of another name under the pool's open limit. */
    MAKE_ROOM(Counter.EVICTED_IDLE, AddResult.CLOSED_OVERFLOW),
    /** Keeping it would exceed a limit. */
    OVERFLOW(Counter.OVERFLOWED, AddResult.CLOSED_OVERFLOW),
    /** Closed on purpose: discard, drain, or the pool closing. */
    DISCARDED(Counter.DISCARDED, AddResult.CLOSED_POOL_CLOSED),
    /** Soft-evicted by an operator ({@link PoolOperations#softEvict}): closed on purpose, past its time for {@code add}. */
    EVICTED(Counter.DISCARDED, AddResult.CLOSED_EXPIRED);

    final Counter counter;
    final AddResult addResult;

    CloseCause(Counter counter, AddResult addResult) {
        this.counter = counter;
        this.addResult = addResult;
    }
}
