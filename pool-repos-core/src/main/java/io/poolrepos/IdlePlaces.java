package io.poolrepos;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool-wide idle limit ({@link PoolSettings#maxIdleInPool()}): idle connections of all names
 * together. A connection reserves a place before it becomes idle and frees it when it is taken or
 * closed. Thread-safe.
 */
final class IdlePlaces {

    private final int max;
    private final AtomicInteger idle = new AtomicInteger();

    /** @param max the limit, 0 for none (then nothing is counted) */
    IdlePlaces(int max) {
        this.max = max;
    }

    /** Reserves a place for one more idle connection; false at the limit. */
    boolean reserve() {
        if (max == 0) {
            return true;
        }
        for (;;) {
            int n = idle.get();
            if (n >= max) {
                return false;
            }
            if (idle.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Whether the limit is reached now (a hint: the next {@link #reserve} decides). */
    boolean isFull() {
        return max != 0 && idle.get() >= max;
    }

    /** Frees a place reserved by {@link #reserve}. */
    void release() {
        if (max != 0) {
            idle.decrementAndGet();
        }
    }
}
