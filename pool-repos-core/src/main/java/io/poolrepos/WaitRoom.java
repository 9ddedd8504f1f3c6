package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where callers of {@code acquire} wait for a connection of one name at its open limit, or callers of
 * {@code share} for a sharer's place (each kind in a room of its own), first come first served: a
 * queue of waiters under a lock, each with its own condition, and the count of waiters. Most names
 * never have a waiter, so a {@link NameSlot} creates its rooms for the first one. Thread-safe.
 *
 * <p><b>Fairness.</b> What comes free while callers wait goes to the longest waiter: a connection
 * given back is handed to it directly ({@link #handOff}), without becoming idle where a newcomer
 * could take it; room freed below the open limit is reserved for it ({@link #grantRoom}); in a
 * room for sharers, the share of a sharer that leaves is handed over ({@link #handOver}). Callers
 * that arrive while others wait queue behind them ({@code Checkout}, {@code ShareCheckout}). Only
 * the head of the queue takes what it finds free on its own (made free before it came to wait, or
 * room for a sharer's connection, which it is woken to look for).
 *
 * <p><b>No signal is lost.</b> A waiter announces itself in {@link #waiters} before it checks, under
 * the lock, whether something came free; whoever frees something does so before it reads the count,
 * and hands over or signals under the lock when it is not zero.
 */
final class WaitRoom {

    /** How a wait ended. */
    enum Outcome {
        /** A connection given back was handed to this waiter: it is claimed for it (TAKING). */
        HANDED,
        /** Room below the open limit was reserved for this waiter: it may connect. */
        GRANTED,
        /** Something may be free (or the pool closed, or the name retired): look again. */
        LOOK_AGAIN,
        /** The deadline passed. */
        TIMED_OUT
    }

    /** One caller in the queue. Its fields are guarded by the room's lock; read them after {@link #await}. */
    static final class Waiter {
        private final Condition woken;
        private PooledConnection<?> handed;
        private boolean granted;
        private Outcome outcome;

        private Waiter(Condition woken) {
            this.woken = woken;
        }

        Outcome outcome() {
            return outcome;
        }

        /** The connection handed to this waiter, once {@link Outcome#HANDED}. */
        @SuppressWarnings("unchecked")
        <C> PooledConnection<C> handed() {
            return (PooledConnection<C>) handed;
        }
    }

    private static final VarHandle WAITERS;

    static {
        try {
            WAITERS = MethodHandles.lookup().findVarHandle(WaitRoom.class, "waiters", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** The name's open limit: what {@link #grantRoom} may reserve up to. */
    private final int maxOpen;
    /** Waiters in order of arrival; guarded by {@link #lock}. */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** Callers announced here and not yet gone; read by every give-back of a name that has a room. */
    private volatile int waiters;

    WaitRoom(int maxOpen) {
        this.maxOpen = maxOpen;
    }

    int maxOpen() {
        return maxOpen;
    }

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
     * Waits in line, as a caller that {@link #enter entered}, until something is handed to it or granted,
     * or it is first in line and {@code somethingFree} holds, or {@code everyoneLeaves} holds, or the
     * deadline passes; leaves the room in any case.
     *
     * @param waiter receives what was handed over; from {@link #newWaiter()}
     * @param first whether the caller goes back to the head of the line: it was first, was woken to look
     *     for something free, and found it taken by a caller that does not wait ({@code get}, {@code add})
     * @throws InterruptedException when interrupted with nothing handed or granted (a caller that was
     *     handed something gets it, with its interrupt status set again)
     */
    Outcome await(Waiter waiter, boolean first, BooleanSupplier somethingFree, BooleanSupplier everyoneLeaves,
            long deadline, Clock clock) throws InterruptedException {
        Outcome outcome = waitInLine(waiter, first, somethingFree, everyoneLeaves, deadline, clock);
        waiter.outcome = outcome;
        return outcome;
    }

    private Outcome waitInLine(Waiter waiter, boolean first, BooleanSupplier somethingFree,
            BooleanSupplier everyoneLeaves, long deadline, Clock clock) throws InterruptedException {
        lock.lock();
        try {
            if (first) {
                queue.addFirst(waiter);
            } else {
                queue.addLast(waiter);
            }
            for (;;) {
                Outcome outcome = settled(waiter);
                if (outcome != null) {
                    return outcome;
                }
                if (everyoneLeaves.getAsBoolean() || (queue.peekFirst() == waiter && somethingFree.getAsBoolean())) {
                    leave(waiter);
                    return Outcome.LOOK_AGAIN;
                }
                long remaining = deadline - clock.preciseNow();
                if (remaining <= 0) {
                    leave(waiter);
                    return Outcome.TIMED_OUT;
                }
                try {
                    waiter.woken.awaitNanos(remaining);
                } catch (InterruptedException ex) {
                    outcome = settled(waiter);
                    if (outcome == null) {
                        leave(waiter);
                        throw ex;
                    }
                    Thread.currentThread().interrupt();
                    return outcome;
                }
            }
        } finally {
            lock.unlock();
            WAITERS.getAndAdd(this, -1);
        }
    }

    /** A waiter for {@link #await}. */
    Waiter newWaiter() {
        return new Waiter(lock.newCondition());
    }

    /** What was handed or granted to {@code waiter} (already out of the queue), or null. Under the lock. */
    private static Outcome settled(Waiter waiter) {
        if (waiter.handed != null) {
            return Outcome.HANDED;
        }
        return waiter.granted ? Outcome.GRANTED : null;
    }

    /**
     * Takes {@code waiter} out of the queue; if it was first, the next one is woken to look for
     * itself, so that something free is not left to a waiter that is going. Under the lock.
     */
    private void leave(Waiter waiter) {
        boolean wasFirst = queue.peekFirst() == waiter;
        queue.remove(waiter);
        if (wasFirst && !queue.isEmpty()) {
            queue.peekFirst().woken.signal();
        }
    }

    int waiters() {
        return waiters;
    }

    /**
     * Hands {@code e} to the longest waiter, if there is one, by moving it from {@code from} to
     * {@code to} (a claim for that waiter, as {@code get} would make it).
     *
     * @return false when nobody waits, or {@code e} was not in state {@code from}: nothing changed
     */
    boolean handOff(PooledConnection<?> e, int from, int to) {
        lock.lock();
        try {
            Waiter first = queue.peekFirst();
            if (first == null || !e.casState(from, to)) {
                return false;
            }
            queue.pollFirst();
            first.handed = e;
            first.woken.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands {@code e} to the longest waiter, if there is one, as it is: what it holds of {@code e}
     * (a share) the caller gives up to it.
     *
     * @return false when nobody waits: nothing changed
     */
    boolean handOver(PooledConnection<?> e) {
        lock.lock();
        try {
            Waiter first = queue.pollFirst();
            if (first == null) {
                return false;
            }
            first.handed = e;
            first.woken.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves room for the longest waiter with {@code reserve}, if there is a waiter and the room; it
     * then connects.
     */
    void grantRoom(BooleanSupplier reserve) {
        lock.lock();
        try {
            Waiter first = queue.peekFirst();
            if (first != null && reserve.getAsBoolean()) {
                queue.pollFirst();
                first.granted = true;
                first.woken.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the longest waiter, if any, to look for itself: an idle connection appeared. */
    void signalFirst() {
        lock.lock();
        try {
            Waiter first = queue.peekFirst();
            if (first != null) {
                first.woken.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter: the pool closed. */
    void signalAll() {
        lock.lock();
        try {
            for (Waiter w : queue) {
                w.woken.signal();
            }
        } finally {
            lock.unlock();
        }
    }
}
