package io.poolrepos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Warm-up of one pool: keeps {@link PoolSettings#minIdlePerName()} idle connections open for each
 * name given to {@link ConnectionPool#warm}. Every connect runs on the repository's
 * {@link WarmUpThread}, never on a caller's thread; passes run when names are given, after each
 * housekeeping pass (which tops names up after evictions and closes), and when a name's connect
 * backoff ends.
 *
 * <p>A connection opened here is counted as created and made idle the way a give-back is (handed to
 * a waiting {@code acquire} first), within {@code maxOpenPerName} (room is reserved before the
 * connect) and {@code maxIdleInPool}. A failed connect counts as a connect failure and starts or
 * extends the name's connect backoff, which the next attempt waits for: a dead backend gets no more
 * connects from warm-up than from callers. Thread-safe; passes never overlap, since they all run on
 * the one warm-up thread.
 */
final class Warmer<C> {

    /** Returned by a name's top-up when no retry needs scheduling (housekeeping will look again). */
    private static final long NO_RETRY = Long.MAX_VALUE;
    /** Shortest delay of a retry, so that a backoff ending "now" does not spin. */
    private static final long MIN_RETRY_NANOS = 1_000_000;

    private final ConnectionPool<C> pool;
    private final PoolContext<C> context;
    private final Names<C> names;
    private final GiveBack<C> giveBack;
    private final PoolEvents events;
    private final ConnectionFactory<? extends C> factory;
    private final PoolSettings settings;
    private final WarmUpThread thread;
    private final Map<String, NameWarmth> warmed = new ConcurrentHashMap<>();
    private final List<Handle> handles = new CopyOnWriteArrayList<>();
    /** Whether a pass from housekeeping or a retry is queued; warm() always queues its own. */
    private final AtomicBoolean passQueued = new AtomicBoolean();

    Warmer(ConnectionPool<C> pool, PoolContext<C> context, Names<C> names, GiveBack<C> giveBack, PoolEvents events,
            ConnectionFactory<? extends C> factory, PoolSettings settings, WarmUpThread thread) {
        this.pool = pool;
        this.context = context;
        this.names = names;
        this.giveBack = giveBack;
        this.events = events;
        this.factory = factory;
        this.settings = settings;
        this.thread = thread;
    }

    /** Starts keeping {@code requested} warm (names already warmed stay as they are) and returns the handle. */
    WarmUp warm(Collection<String> requested) {
        Map<String, NameWarmth> ofThisCall = new LinkedHashMap<>();
        for (String name : requested) {
            ofThisCall.put(name, warmed.computeIfAbsent(name, NameWarmth::new));
        }
        Handle handle = new Handle(context.poolName, List.copyOf(ofThisCall.values()));
        handles.add(handle);
        if (context.isClosed()) {
            poolClosed();
        } else {
            thread.schedule(this::pass, 0);
        }
        return handle;
    }

    /** After a housekeeping pass: evictions and closes may have left warmed names short. */
    void afterHousekeeping() {
        if (!warmed.isEmpty()) {
            queuePass(0);
        }
    }

    /** The pool closed: warm-ups not complete by now never will be. */
    void poolClosed() {
        for (Handle handle : handles) {
            handle.future.completeExceptionally(new PoolClosedException(context.poolName));
        }
    }

    private void queuePass(long delayNanos) {
        if (passQueued.compareAndSet(false, true)) {
            thread.schedule(this::pass, delayNanos);
        }
    }

    private void pass() {
        passQueued.set(false);
        long retryIn = NO_RETRY;
        for (NameWarmth w : warmed.values()) {
            if (context.isClosed()) {
                return;
            }
            retryIn = Math.min(retryIn, topUp(w));
        }
        for (Handle handle : handles) {
            handle.completeIfWarm();
        }
        handles.removeIf(h -> h.future.isDone());
        if (retryIn != NO_RETRY) {
            queuePass(Math.max(MIN_RETRY_NANOS, retryIn));
        }
    }

    /**
     * Opens connections for one name until it has minIdlePerName idle ones or cannot have more now;
     * returns when to retry. At most minIdlePerName connects a pass: callers that take each new
     * connection as it comes (no open limit) must not keep the pass, and the other names, waiting.
     */
    private long topUp(NameWarmth w) {
        int connects = 0;
        for (;;) {
            NameSlot<C> slot;
            try {
                slot = names.slotFor(w.name);
            } catch (NameLimitExceededException ex) {
                w.lastFailure = ex;
                return NO_RETRY;
            }
            if (slot.idle() >= settings.minIdlePerName()) {
                w.reached();
                return NO_RETRY;
            }
            if (connects == settings.minIdlePerName()) {
                return MIN_RETRY_NANOS;
            }
            if (context.idlePlaces.isFull()) {
                return NO_RETRY; // the pool-wide idle limit: a new connection could not stay idle
            }
            Reservation reservation = slot.reserveOpen(context.settings().maxOpenPerName());
            if (reservation == Reservation.GONE) {
                continue; // retired a moment ago: the next look makes the name anew
            }
            if (reservation != Reservation.RESERVED) {
                return NO_RETRY; // at an open limit (never making room in the pool): what comes back becomes idle
            }
            connects++;
            long retry = connect(slot, w);
            if (retry != 0) {
                return retry;
            }
        }
    }

    /**
     * Opens one connection for room this thread reserved and makes it idle. Returns 0 to go on, or when
     * to retry: the time left of the name's connect backoff, or {@link #NO_RETRY}.
     */
    private long connect(NameSlot<C> slot, NameWarmth w) {
        long start = context.clock.preciseNow();
        ConnectBackoff own = w.backoff;
        if (own != null && own.remainingNanos(start) > 0) {
            slot.releaseOpen();
            return own.remainingNanos(start);
        }
        ConnectBackoff backoff = slot.backoff();
        ConnectBackoff.Permit permit = backoff == null ? ConnectBackoff.Permit.CONNECT : backoff.permit(start);
        if (permit == ConnectBackoff.Permit.REFUSED) {
            slot.releaseOpen();
            return backoff.remainingNanos(start);
        }
        C c;
        try {
            c = factory.connect(slot.name);
            if (!context.closer.connectionType().isInstance(c)) {
                if (c != null) {
                    context.closer.closeUnknown(c);
                }
                throw new IllegalStateException("ConnectionFactory returned " + (c == null ? "null"
                        : "a " + c.getClass().getName() + ", but the pool holds " + context.closer.connectionType().getName()));
            }
        } catch (Exception ex) {
            long backoffNanos = settings.connectBackoff().toNanos();
            if (backoffNanos > 0) {
                long now = context.clock.preciseNow();
                slot.backoff(backoffNanos, settings.connectBackoffMax().toNanos()).failed(permit, ex, now);
                w.backoff(backoffNanos, settings.connectBackoffMax().toNanos()).failed(ConnectBackoff.Permit.CONNECT, ex, now);
            }
            connectFailed(slot, w, start, ex);
            return backoffNanos > 0 ? w.backoff.remainingNanos(context.clock.preciseNow()) : NO_RETRY;
        }
        if (backoff != null) {
            backoff.succeeded(permit);
        }
        if (own != null) {
            own.succeeded(ConnectBackoff.Permit.CONNECT);
        }
        PooledConnection<C> e = new PooledConnection<>(c, slot, context.clock.now(), PooledConnection.RETURNING);
        if (context.index.track(c, e) != null) {
            // Held by the pool already: not ours to close.
            connectFailed(slot, w, start, new IllegalStateException("ConnectionFactory returned a connection the pool already holds"));
            return NO_RETRY;
        }
        names.count(slot, Counter.CREATED);
        events.connectCompleted(pool, slot.name, context.clock.preciseNow() - start, true);
        return giveBack.addNew(slot, e) == AddResult.POOLED ? 0 : NO_RETRY;
    }

    private void connectFailed(NameSlot<C> slot, NameWarmth w, long start, Exception cause) {
        names.count(slot, Counter.CONNECT_FAILURES);
        slot.releaseOpen();
        events.connectCompleted(pool, slot.name, context.clock.preciseNow() - start, false);
        w.lastFailure = new ConnectFailedException(context.poolName, slot.name, cause);
    }

    /**
     * One warmed name: whether it has been warm, why not yet, and its warm-up's own connect backoff.
     * The name's slot has one too, which callers see; but housekeeping removes a name that holds
     * nothing, its backoff with it, and a dead backend's name holds nothing: without a backoff of its
     * own, warm-up would connect again after every housekeeping pass.
     */
    private static final class NameWarmth {

        final String name;
        volatile boolean reached;
        volatile Throwable lastFailure;
        /** Null until a warm-up connect of this name fails; used by the warm-up thread alone. */
        ConnectBackoff backoff;

        NameWarmth(String name) {
            this.name = name;
        }

        ConnectBackoff backoff(long initialNanos, long maxNanos) {
            if (backoff == null) {
                backoff = new ConnectBackoff(initialNanos, maxNanos);
            }
            return backoff;
        }

        void reached() {
            lastFailure = null;
            reached = true;
        }
    }

    /** The {@link WarmUp} of one call of {@code warm}. */
    private static final class Handle implements WarmUp {

        private final String poolName;
        private final List<NameWarmth> names;
        final java.util.concurrent.CompletableFuture<Void> future = new java.util.concurrent.CompletableFuture<>();

        Handle(String poolName, List<NameWarmth> names) {
            this.poolName = poolName;
            this.names = names;
        }

        void completeIfWarm() {
            if (!future.isDone() && isWarm()) {
                future.complete(null);
            }
        }

        @Override
        public String poolName() {
            return poolName;
        }

        @Override
        public List<String> names() {
            return names.stream().map(w -> w.name).toList();
        }

        @Override
        public List<String> notWarm() {
            List<String> cold = new ArrayList<>();
            for (NameWarmth w : names) {
                if (!w.reached) {
                    cold.add(w.name);
                }
            }
            return cold;
        }

        @Override
        public java.util.Optional<Throwable> lastFailure(String name) {
            return names.stream().filter(w -> w.name.equals(name) && !w.reached)
                    .map(w -> w.lastFailure).filter(java.util.Objects::nonNull).findFirst();
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> whenWarm() {
            return future.copy(); // a caller completing its copy cannot complete the warm-up
        }

        @Override
        public String toString() {
            return "WarmUp[" + NameMasking.mask(poolName) + ", " + (names.size() - notWarm().size()) + " of "
                    + names.size() + " names warm]";
        }
    }
}
