package io.poolrepos;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool-wide count under a limit that an operator may change while the pool runs: the mechanics
 * shared by the pool-wide idle and open limits ({@link IdlePlaces}, {@link OpenRoom}). One is reserved
 * before the thing counted exists and freed after it is gone. Created without a limit (0) it counts
 * nothing, so that a pool without the limit pays nothing for it, and its limit cannot be set later.
 * Thread-safe.
 */
abstract class CountedLimit {

    private final boolean counting;
    /** The limit; 0 for none. Changed by {@link #limit} while the pool runs. */
    private volatile int max;
    private final AtomicInteger count = new AtomicInteger();

    /** @param max the limit, 0 for none (then nothing is counted) */
    CountedLimit(int max) {
        this.counting = max != 0;
        this.max = max;
    }

    /** Reserves one more; false at the limit. */
    final boolean reserve() {
        if (!counting) {
            return true;
        }
        for (;;) {
            int n = count.get();
            int m = max;
            if (m != 0 && n >= m) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Frees one reserved by {@link #reserve}; false when nothing is counted. */
    final boolean free() {
        if (!counting) {
            return false;
        }
        count.decrementAndGet();
        return true;
    }

    /** Whether the limit is reached now (a hint: the next {@link #reserve} decides). */
    final boolean isFull() {
        int m = max;
        return m != 0 && count.get() >= m;
    }

    /** Whether this counts: the pool was created with a limit. */
    final boolean counts() {
        return counting;
    }

    /** Sets a new limit (0: none) in a pool that {@link #counts()}. */
    final void limit(int newMax) {
        if (counting) {
            max = newMax;
        }
    }

    /** How many are above the limit now; 0 or less when none. */
    final int excess() {
        int m = max;
        return counting && m != 0 ? count.get() - m : 0;
    }

    /** The limit now; 0 for none. */
    final int max() {
        return max;
    }

    /** How many are reserved now. */
    final int count() {
        return count.get();
    }
}
