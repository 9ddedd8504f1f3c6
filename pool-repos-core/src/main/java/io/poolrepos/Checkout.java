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
    private final ConnectionFactory<? extends C> factory;
    private final PoolSettings settings;
    private final boolean lifo;
    private final long backoffNanos;
    private final long backoffMaxNanos;

    Checkout(ConnectionPool<C> pool, PoolContext<C> context, Names<C> names, PoolEvents events,
            ConnectionFactory<? extends C> factory, PoolSettings settings) {
        this.pool = pool;
        this.context = context;
        this.fitness = context.fitness;
        this.clock = context.clock;
        this.leaks = context.leaks;
        this.names = names;
        this.events = events;
        this.factory = factory;
        this.settings = settings;
        this.lifo = settings.idleOrder() == IdleOrder.LIFO;
        this.backoffNanos = settings.connectBackoff().toNanos();
        this.backoffMaxNanos = settings.connectBackoffMax().toNanos();
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
        long start = clock.preciseNow();
        long deadline = start + timeout.toNanos();
        NameSlot<C> slot = names.slotFor(name);
        // Callers that arrive while others wait queue behind them; one woken to look again goes first.
        boolean firstInLine = false;
        try {
            for (;;) {
                if (context.isClosed()) {
                    throw new PoolClosedException(context.poolName);
                }
                if (context.suspension.isSuspended()) {
                    awaitResume(slot, name, timeout, deadline);
                    firstInLine = false;
                    continue;
                }
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
                }
                WaitRoom.Waiter waiter = awaitAvailable(slot, firstInLine, deadline);
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
                        throw new AcquireTimeoutException(context.poolName, name, timeout, idle,
                                Math.max(0, slot.openCount() - idle), slot.waiting(), context.settings().maxOpenPerName(),
                                context.settingNames);
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
            Thread.currentThread().interrupt();
            acquired(name, start, PoolListener.AcquireOutcome.FAILED);
            throw new PoolReposException("Pool '" + NameMasking.mask(context.poolName) + "', name '" + NameMasking.mask(name)
                    + "': interrupted while waiting in acquire", ex);
        }
    }

    private void acquired(String name, long start, PoolListener.AcquireOutcome outcome) {
        events.acquireCompleted(pool, name, clock.preciseNow() - start, outcome);
    }

    /** Waits while the pool is suspended (see {@link Suspension}); a timeout then fails the call. */
    private void awaitResume(NameSlot<C> slot, String name, java.time.Duration timeout, long deadline)
            throws InterruptedException {
        if (!context.suspension.awaitResume(context.poolName, deadline, clock, context::isClosed)) {
            names.count(slot, Counter.GET_MISSES);
            names.count(slot, Counter.ACQUIRE_TIMEOUTS);
            throw AcquireTimeoutException.suspended(context.poolName, name, timeout);
        }
    }

    private WaitRoom.Waiter awaitAvailable(NameSlot<C> slot, boolean first, long deadline)
            throws InterruptedException {
        PoolSettings live = context.settings();
        try {
            return slot.awaitAvailable(slot.name, first, deadline, live.maxOpenPerName(), live.maxWaitersPerName());
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

    /**
     * Opens a connection for room this thread reserved, and lends it; unless the name is in connect
     * backoff, which fails the call at once.
     */
    private C connect(NameSlot<C> slot) {
        C c;
        long start = clock.preciseNow();
        ConnectBackoff backoff = slot.backoff();
        ConnectBackoff.Permit permit = backoff == null ? ConnectBackoff.Permit.CONNECT : backoff.permit(start);
        if (permit == ConnectBackoff.Permit.REFUSED) {
            slot.releaseOpen();
            names.count(slot, Counter.FAST_FAILURES);
            throw new ConnectBackoffException(context.poolName, slot.name,
                    java.time.Duration.ofNanos(backoff.remainingNanos(start)), backoff.failures(), backoff.lastError());
        }
        try {
            c = factory.connect(slot.name);
            if (c == null) {
                throw new IllegalStateException("ConnectionFactory returned null");
            }
            if (!context.closer.connectionType().isInstance(c)) {
                context.closer.closeUnknown(c);
                throw new IllegalStateException("ConnectionFactory returned a " + c.getClass().getName()
                        + ", but the pool holds " + context.closer.connectionType().getName());
            }
        } catch (Exception ex) {
            if (backoffNanos > 0) {
                slot.backoff(backoffNanos, backoffMaxNanos).failed(permit, ex, clock.preciseNow());
            }
            throw connectFailed(slot, start, ex);
        }
        if (backoff != null) {
            backoff.succeeded(permit);
        }
        long now = clock.now();
        PooledConnection<C> e = new PooledConnection<>(c, slot, now, PooledConnection.TAKING);
        if (context.index.track(c, e) != null) {
            throw connectFailed(slot, start,
                    new IllegalStateException("ConnectionFactory returned a connection the pool already holds"));
        }
        names.count(slot, Counter.CREATED);
        slot.placeOnLoan(e);
        lend(slot, e, now);
        events.connectCompleted(pool, slot.name, clock.preciseNow() - start, true);
        return c;
    }

    private ConnectFailedException connectFailed(NameSlot<C> slot, long start, Exception cause) {
        names.count(slot, Counter.CONNECT_FAILURES);
        slot.releaseOpen();
        events.connectCompleted(pool, slot.name, clock.preciseNow() - start, false);
        return new ConnectFailedException(context.poolName, slot.name, cause);
    }
}
