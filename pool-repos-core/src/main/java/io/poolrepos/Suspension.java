package io.poolrepos;

import io.poolrepos.PoolOperations.SuspendMode;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Whether a pool is suspended by an operator, and the callers of {@code acquire} waiting for it to be
 * resumed. Traffic reads one volatile field; only callers that find the pool suspended take the
 * lock. Thread-safe.
 *
 * <p><b>No wake-up is lost.</b> A waiter reads the mode under the lock before it waits; a resume
 * clears it and signals under the same lock.
 */
final class Suspension {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Null while the pool is not suspended. */
    private volatile SuspendMode mode;

    SuspendMode mode() {
        return mode;
    }

    boolean isSuspended() {
        return mode != null;
    }

    /** Suspends in {@code newMode} (or changes the mode) and wakes the waiters, which look at it again. */
    void suspend(SuspendMode newMode) {
        set(newMode);
    }

    /** Ends the suspension and wakes every waiter. */
    void resume() {
        set(null);
    }

    /** Wakes every waiter to look again: the pool closed. */
    void wakeAll() {
        set(mode);
    }

    private void set(SuspendMode newMode) {
        lock.lock();
        try {
            mode = newMode;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether {@code get} or {@code share} must find nothing: true while suspended in
     * {@link SuspendMode#WAIT}.
     *
     * @throws PoolSuspendedException while suspended in {@link SuspendMode#FAIL_FAST}
     */
    boolean refuses(String poolName) {
        SuspendMode m = mode;
        if (m == SuspendMode.FAIL_FAST) {
            throw new PoolSuspendedException(poolName);
        }
        return m != null;
    }

    /**
     * Waits, as a caller of {@code acquire} that found the pool suspended, until it is resumed,
     * {@code closed} holds, or the deadline passes.
     *
     * @return false when the deadline passed while the pool was still suspended; true to look again
     * @throws PoolSuspendedException while (or once) suspended in {@link SuspendMode#FAIL_FAST}
     */
    boolean awaitResume(String poolName, long deadline, Clock clock, BooleanSupplier closed) throws InterruptedException {
        lock.lock();
        try {
            for (;;) {
                SuspendMode m = mode;
                if (m == null || closed.getAsBoolean()) {
                    return true;
                }
                if (m == SuspendMode.FAIL_FAST) {
                    throw new PoolSuspendedException(poolName);
                }
                long remaining = deadline - clock.preciseNow();
                if (remaining <= 0) {
                    return false;
                }
                changed.await(remaining, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }
}
