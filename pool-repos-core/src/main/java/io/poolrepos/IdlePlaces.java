package io.poolrepos;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool-wide idle limit ({@link PoolSettings#maxIdleInPool()}): idle connections of all names
 * together. A connection reserves a place before it becomes idle and frees it when it is taken or
 * closed. A pool created without the limit counts nothing (no shared counter on every call), so
 * only a pool created with one can have it changed ({@link PoolOperations#resize}). Thread-safe.
 */
final class IdlePlaces {

    private final boolean counting;
    /** The limit; 0 for none. Changed by {@link #limit} while the pool runs. */
    private volatile int max;
    private final AtomicInteger idle = new AtomicInteger();

    /** @param max the limit, 0 for none (then nothing is counted) */
    IdlePlaces(int max) {
        this.counting = max != 0;
        this.max = max;
    }

    /** Reserves a place for one more idle connection; false at the limit. */
    boolean reserve() {
        if (!counting) {
            return true;
        }
        for (;;) {
            int n = idle.get();
            int m = max;
            if (m != 0 && n >= m) {
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
        if (counting) {
            idle.decrementAndGet();
        }
    }

    /** Whether idle connections are counted: the pool was created with a limit. */
    boolean counts() {
        return counting;
    }

    /** Sets a new limit (0: none) in a pool that {@link #counts()}. */
    void limit(int newMax) {
        if (counting) {
            max = newMax;
        }
    }

    /** How many idle connections are above the limit now; 0 or less when none. */
    int excess() {
        int m = max;
        return counting && m != 0 ? idle.get() - m : 0;
    }
}
