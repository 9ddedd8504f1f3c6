package io.poolrepos;

import static io.poolrepos.PooledConnection.CLOSED;
import static io.poolrepos.PooledConnection.LOANED;

/**
 * The way out of a pool for exclusive use: an idle connection, checked before it is handed out
 * ({@code get}), and for {@code acquire} also a new one from the factory or a wait at the open limit,
 * with the events and counts of each outcome. Thread-safe.
 */
final class Checkout<C> {

    private final ConnectionPool<C> pool;
    private final PoolContext<C> context;
    // The context's parts this class uses on every call, kept here: one dependent load fewer each
    // (see Names#map()).
    private final Fitness<C> fitness;
    private final Clock clock;
    private final LeakDetector leaks;
    private final Names<C> names;
    private final PoolEvents events;
    private final Connector<C> connector;
    private final boolean lifo;

    Checkout(ConnectionPool<C> pool, PoolContext<C> context, Names<C> names, PoolEvents events,
            Connector<C> connector, PoolSettings settings) {
        this.pool = pool;
        this.context = context;
        this.fitness = context.fitness;
        this.clock = context.clock;
        this.leaks = context.leaks;
        this.names = names;
        this.events = events;
        this.connector = connector;
        this.lifo = settings.idleOrder() == IdleOrder.LIFO;
    }

    /** Claims an idle entry and checks it, closing dead or expired ones, until one is fit (then lent) or none is left. */
    PooledConnection<C> takeIdle(NameSlot<C> slot) {
        for (;;) {
            PooledConnection<C> e = slot.claimIdle(lifo);
            if (e == null) {
                return null;
            }
            long now = clock.now();
            CloseCause cause = fitness.toHandOut(e, now);
            if (cause == null && context.evictions.evicted(slot.name, e.createdAt)) {
                cause = CloseCause.EVICTED;
            }
            if (cause != null) {
                e.setState(CLOSED);
                slot.finishClose(e, cause, false);
                continue;
            }
            lend(slot, e, now);
            return e;
        }
    }

    /** An idle connection of {@code name}, a new one, or one that comes free within {@code timeout}. */
    C acquire(String name, java.time.Duration timeout) {
        return acquire(name, timeout, clock.preciseNow());
    }

    /** {@link #acquire(String, java.time.Duration)} for a wait that began at {@code start} (an asynchronous call's). */
    C acquire(String name, java.time.Duration timeout, long start) {
        long deadline = start + timeout.toNanos();
        NameSlot<C> slot = names.slotFor(name);
        // Callers that arrive while others wait queue behind them; one woken to look again goes first.
        boolean firstInLine = false;
        try {
            for (;;) {
                if (waitedWhileSuspended(context, names, slot, name, timeout, deadline, true)) {
                    firstInLine = false;
                    continue;
                }
                int idleSeen = context.openRoom.idleVersion();
                if (firstInLine || !slot.hasWaiters()) {
                    PooledConnection<C> e = takeIdle(slot);
                    if (e != null) {
                        // One call, one hit or one miss: a hit if it ends with an idle connection,
                        // even after waiting; a miss if it connects or fails.
                        slot.countGetHit();
                        acquired(name, start, PoolListener.AcquireOutcome.IDLE);
                        return e.connection;
                    }
                    Reservation reservation = slot.reserveOpen(context.settings().maxOpenPerName());
                    if (reservation == Reservation.RESERVED) {
                        names.count(slot, Counter.GET_MISSES);
                        C c = connect(slot);
                        acquired(name, start, PoolListener.AcquireOutcome.CREATED);
                        return c;
                    }
                    if (reservation == Reservation.GONE) {
                        slot = names.slotFor(name);
                        firstInLine = false;
                        continue;
                    }
                    if (reservation == Reservation.FULL_POOL && names.makeRoom(slot)) {
                        continue;
                    }
                }
                WaitRoom.Waiter waiter = awaitAvailable(slot, firstInLine, deadline, idleSeen);
                switch (waiter.outcome()) {
                    case HANDED: {
                        PooledConnection<C> e = waiter.handed();
                        if (context.evictions.evicted(slot.name, e.createdAt)) {
                            // Given back while an operator soft-evicted it: closed, and this caller looks again first.
                            e.setState(CLOSED);
                            slot.finishClose(e, CloseCause.EVICTED, false);
                            firstInLine = true;
                            break;
                        }
                        lend(slot, e, clock.now());
                        slot.countGetHit();
                        acquired(name, start, PoolListener.AcquireOutcome.IDLE);
                        return e.connection;
                    }
                    case GRANTED: {
                        names.count(slot, Counter.GET_MISSES);
                        C c = connect(slot);
                        acquired(name, start, PoolListener.AcquireOutcome.CREATED);
                        return c;
                    }
                    case LOOK_AGAIN:
                        firstInLine = true;
                        break;
                    default: {
                        names.count(slot, Counter.GET_MISSES);
                        names.count(slot, Counter.ACQUIRE_TIMEOUTS);
                        int idle = slot.idle();
                        int inUse = Math.max(0, slot.openCount() - idle);
                        if (atPoolLimit(slot, context.settings().maxOpenPerName())) {
                            throw new AcquireTimeoutException(context.poolName, name, timeout, idle, inUse,
                                    slot.waiting(), context.openRoom.limitText(context.settingNames));
                        }
                        throw new AcquireTimeoutException(context.poolName, name, timeout, idle, inUse,
                                slot.waiting(), context.settings().maxOpenPerName(), context.settingNames);
                    }
                }
            }
        } catch (AcquireTimeoutException ex) {
            acquired(name, start, PoolListener.AcquireOutcome.TIMEOUT);
            throw ex;
        } catch (PoolReposException ex) {
            acquired(name, start, PoolListener.AcquireOutcome.FAILED);
            throw ex;
        } catch (InterruptedException ex) {
            PoolReposException failure = interrupted(context.poolName, name, "acquire", ex);
            acquired(name, start, PoolListener.AcquireOutcome.FAILED);
            throw failure;
        }
    }

    /** The failure of a caller of {@code call} interrupted while it waited; its interrupt status is set again. */
    static PoolReposException interrupted(String poolName, String name, String call, InterruptedException ex) {
        Thread.currentThread().interrupt();
        return new PoolReposException("Pool '" + NameMasking.mask(poolName) + "', name '" + NameMasking.mask(name)
                + "': interrupted while waiting in " + call, ex);
    }

    /** Whether a caller of {@code slot} that timed out waited at the pool's open limit rather than the name's. */
    static boolean atPoolLimit(NameSlot<?> slot, int maxOpen) {
        int open = slot.openCount();
        return !slot.context.openRoom.hasRoom() && (maxOpen == 0 || (open >= 0 && open < maxOpen));
    }

    private void acquired(String name, long start, PoolListener.AcquireOutcome outcome) {
        events.acquireCompleted(pool, name, clock.preciseNow() - start, outcome);
    }

    /**
     * The start of each look of a caller that may wait ({@code acquire}, {@code share} with a factory):
     * fails when the pool is closed, and waits while it is suspended (see {@link Suspension}).
     *
     * @param countMiss whether a timeout also counts as a get miss ({@code acquire}'s)
     * @return whether it waited: then the caller looks again, no longer first in line
     * @throws AcquireTimeoutException when the deadline passes while the pool is still suspended
     */
    static <C> boolean waitedWhileSuspended(PoolContext<C> context, Names<C> names, NameSlot<C> slot, String name,
            java.time.Duration timeout, long deadline, boolean countMiss) throws InterruptedException {
        if (context.isClosed()) {
            throw new PoolClosedException(context.poolName);
        }
        if (!context.suspension.isSuspended()) {
            return false;
        }
        if (!context.suspension.awaitResume(context.poolName, deadline, context.clock, context::isClosed)) {
            if (countMiss) {
                names.count(slot, Counter.GET_MISSES);
            }
            names.count(slot, Counter.ACQUIRE_TIMEOUTS);
            throw AcquireTimeoutException.suspended(context.poolName, name, timeout);
        }
        return true;
    }

    private WaitRoom.Waiter awaitAvailable(NameSlot<C> slot, boolean first, long deadline, int idleSeen)
            throws InterruptedException {
        PoolSettings live = context.settings();
        try {
            return slot.awaitAvailable(slot.name, first, deadline, live.maxOpenPerName(), live.maxWaitersPerName(),
                    idleSeen);
        } catch (WaiterLimitExceededException ex) {
            names.count(slot, Counter.GET_MISSES);
            throw ex;
        }
    }

    /** Hands an entry this thread owns out for exclusive use: from here on {@code add} takes it back. */
    private void lend(NameSlot<C> slot, PooledConnection<C> e, long now) {
        e.setStamp(now);
        e.clearLoan();
        // Written after the stamp: housekeeping reads the trace first, then the stamp.
        Throwable trace = leaks.loanTrace(slot.name);
        if (trace != null) {
            e.loanTrace = trace;
        }
        // LOANED always means "holds its place": a give-back then only needs to flip the state.
        if (e.index < 0) {
            e.setState(PooledConnection.LOANED_UNPLACED);
        } else if (!e.casState(PooledConnection.TAKING, LOANED)) {
            // A connection given back meanwhile took its place (TAKING to TAKING_UNPLACED); nobody
            // else changes that state, so a plain store hands it out.
            e.index = -1;
            e.setState(PooledConnection.LOANED_UNPLACED);
        }
    }

    /** Opens a connection for room this thread reserved, and lends it (see {@link Connector#open}). */
    private C connect(NameSlot<C> slot) {
        PooledConnection<C> e = connector.open(slot);
        slot.placeOnLoan(e);
        lend(slot, e, clock.now());
        return e.connection;
    }
}
