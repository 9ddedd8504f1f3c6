package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where callers of {@code acquire} wait for a connection of one name at its open limit: a lock, its
 * condition and the count of waiters. Most names never have a waiter, so a {@link NameSlot} creates
 * its room for the first one. Thread-safe.
 *
 * <p>No signal is lost: a waiter announces itself in {@link #waiters} before it checks, under the
 * lock, whether something came free; whoever frees something does so before it reads the count, and
 * signals under the lock when it is not zero.
 */
final class WaitRoom {

    private static final VarHandle WAITERS;

    static {
        try {
            WAITERS = MethodHandles.lookup().findVarHandle(WaitRoom.class, "waiters", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    /** Callers announced here and not yet gone; read by every give-back of a name that has a room. */
    private volatile int waiters;

    /**
     * Announces one more waiter, unless {@code maxWaiters} wait already (then nothing changes).
     *
     * @return whether the caller may wait; one that may MUST call {@link #await} next
     */
    boolean enter(int maxWaiters) {
        if ((int) WAITERS.getAndAdd(this, 1) + 1 > maxWaiters) {
            WAITERS.getAndAdd(this, -1);
            return false;
        }
        return true;
    }

    /**
     * Waits, as a caller that {@link #enter entered}, until signalled or {@code deadline} passes,
     * unless {@code somethingFree} already holds; leaves the room in any case.
     *
     * @return false when the deadline has passed
     */
    boolean await(BooleanSupplier somethingFree, long deadline, Clock clock) throws InterruptedException {
        lock.lock();
        try {
            if (somethingFree.getAsBoolean()) {
                return true;
            }
            long remaining = deadline - clock.preciseNow();
            if (remaining <= 0) {
                return false;
            }
            available.await(remaining, TimeUnit.NANOSECONDS);
            return true;
        } finally {
            lock.unlock();
            WAITERS.getAndAdd(this, -1);
        }
    }

    int waiters() {
        return waiters;
    }

    /** Wakes one waiter, if any: something came free. */
    void signal() {
        if (waiters > 0) {
            lock.lock();
            try {
                available.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Wakes every waiter: the pool closed. */
    void signalAll() {
        lock.lock();
        try {
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
