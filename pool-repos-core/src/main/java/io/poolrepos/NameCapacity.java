package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

/**
 * The room one name has for open connections (under its own limit and the pool's), its retirement and
 * its connect backoff: the base of the name's {@link NameWaiting}, {@link NameCounters} and
 * {@link NameSlot} (one object per name, see {@link NameCounters}).
 *
 * <p>{@link #openCount()} counts the name's connections that are not closed (idle, shared, on loan,
 * being added) plus connects in progress. When it is 0 and nobody waits, housekeeping may retire the
 * name by setting it to {@link #RETIRED}; from then on no connection can enter it and callers look the
 * name up again. Its {@link ConnectBackoff} is created for its first failed connect.
 * Thread-safe.
 */
abstract class NameCapacity<C> implements OpenRoom.Waiting {

    private static final int RETIRED = Integer.MIN_VALUE;

    private static final VarHandle OPEN;
    private static final VarHandle BACKOFF;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OPEN = lookup.findVarHandle(NameCapacity.class, "open", int.class);
            BACKOFF = lookup.findVarHandle(NameCapacity.class, "backoff", ConnectBackoff.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int open;
    final PoolContext<C> context;
    /** Null until a connect of this name fails (with connect backoff on). */
    private volatile ConnectBackoff backoff;

    NameCapacity(PoolContext<C> context) {
        this.context = context;
    }

    /**
     * Reserves room for one more open connection, under the name's limit and then the pool's. When the
     * pool has none, the name's room taken for a moment is given back and granted to a waiter of the
     * name (one that a release of pool room meanwhile could not serve because of it).
     */
    final Reservation reserveOpen(int maxOpen) {
        Reservation reservation = reserveOpenQuietly(maxOpen);
        if (reservation == Reservation.FULL_POOL) {
            roomFreed();
        }
        return reservation;
    }

    /**
     * {@link #reserveOpen} without the grant, for a caller that holds the name's wait room's lock and
     * grants what it reserves itself. Never calls out to other names (their locks).
     */
    final Reservation reserveOpenQuietly(int maxOpen) {
        for (;;) {
            int o = open;
            if (o < 0) {
                return Reservation.GONE;
            }
            if (maxOpen > 0 && o >= maxOpen) {
                return Reservation.FULL;
            }
            if (OPEN.compareAndSet(this, o, o + 1)) {
                break;
            }
        }
        if (context.openRoom.reserve()) {
            return Reservation.RESERVED;
        }
        OPEN.getAndAdd(this, -1);
        return Reservation.FULL_POOL;
    }

    /** Gives back room reserved by {@link #reserveOpen} that no connection took, and grants it to a waiter. */
    final void releaseOpen() {
        OPEN.getAndAdd(this, -1);
        context.openRoom.release();
        roomFreed();
    }

    /**
     * Gives back the name's room of a connection that closed; the caller closes the connection, then
     * gives back its room in the pool ({@link #closedInPool}).
     */
    final void openClosed() {
        OPEN.getAndAdd(this, -1);
    }

    /**
     * Gives back the pool-wide room of a connection now closed (after the close, so that the pool never
     * has more sockets open than its limit), and grants the freed room to a waiter of this name.
     */
    final void closedInPool() {
        context.openRoom.release();
        roomFreed();
    }

    /** Connections that are not closed, plus connects in progress; negative once retired. */
    final int openCount() {
        return open;
    }

    /** Marks the name retired if it holds nothing and nobody waits; then no connection can enter it. */
    final boolean tryRetire() {
        return !hasAnyWaiter() && OPEN.compareAndSet(this, 0, RETIRED);
    }

    final boolean isRetired() {
        return open < 0;
    }

    /** The name's connect backoff, or null while none of its connects has failed. */
    final ConnectBackoff backoff() {
        return backoff;
    }

    /** The name's connect backoff, created for its first failed connect. */
    final ConnectBackoff backoff(long initialNanos, long maxNanos) {
        return createdOnce(BACKOFF, () -> new ConnectBackoff(initialNanos, maxNanos));
    }

    /**
     * How long until the name's next connect is allowed, while it is in connect backoff (a connect
     * failed, and none succeeded since); zero when the next caller may try. Empty outside backoff.
     */
    public final java.util.Optional<java.time.Duration> connectRetryIn() {
        ConnectBackoff b = backoff;
        if (b == null || b.failures() == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(java.time.Duration.ofNanos(b.remainingNanos(context.clock.preciseNow())));
    }

    /**
     * The value of the lazily created field behind {@code field}, created by the first caller; a
     * caller that loses the race to set it drops its own and uses the winner's.
     */
    @SuppressWarnings("unchecked")
    final <T> T createdOnce(VarHandle field, Supplier<T> create) {
        T value = (T) field.getVolatile(this);
        if (value == null) {
            T created = create.get();
            value = (T) field.compareAndExchange(this, null, created);
            if (value == null) {
                value = created;
            }
        }
        return value;
    }
}
