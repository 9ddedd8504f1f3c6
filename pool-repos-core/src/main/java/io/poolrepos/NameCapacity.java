package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

/**
 * The room one name has for open connections, its retirement, and its callers waiting at the open
 * limit: the base of the name's {@link NameCounters} and {@link NameSlot} (one object per name, see
 * {@link NameCounters}).
 *
 * <p>{@link #openCount()} counts the name's connections that are not closed (idle, shared, on loan,
 * being added) plus connects in progress. When it is 0 and nobody waits, housekeeping may retire the
 * name by setting it to {@link #RETIRED}; from then on no connection can enter it and callers look the
 * name up again. Callers of {@code acquire} at the limit wait in the name's {@link WaitRoom}, created
 * for the first of them; its {@link ConnectBackoff} is created for its first failed connect.
 * Thread-safe.
 */
abstract class NameCapacity<C> {

    private static final int RETIRED = Integer.MIN_VALUE;

    private static final VarHandle OPEN;
    private static final VarHandle WAIT_ROOM;
    private static final VarHandle BACKOFF;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OPEN = lookup.findVarHandle(NameCapacity.class, "open", int.class);
            WAIT_ROOM = lookup.findVarHandle(NameCapacity.class, "waitRoom", WaitRoom.class);
            BACKOFF = lookup.findVarHandle(NameCapacity.class, "backoff", ConnectBackoff.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int open;
    final PoolContext<C> context;
    /** Null until a caller of {@code acquire} must wait; read by every give-back. */
    private volatile WaitRoom waitRoom;
    /** Null until a connect of this name fails (with connect backoff on). */
    private volatile ConnectBackoff backoff;

    NameCapacity(PoolContext<C> context) {
        this.context = context;
    }

    /** Whether an idle entry nobody shares holds a place, which a waiter could take. */
    abstract boolean hasUnsharedIdle();

    /** Whether {@code e} still holds the place its index names. */
    abstract boolean holdsPlace(PooledConnection<C> e);

    /** Counts one add that kept its connection (made it idle or handed it to a waiter). */
    abstract void countAdded();

    /** Reserves room for one more open connection. */
    final Reservation reserveOpen(int maxOpen) {
        for (;;) {
            int o = open;
            if (o < 0) {
                return Reservation.GONE;
            }
            if (maxOpen > 0 && o >= maxOpen) {
                return Reservation.FULL;
            }
            if (OPEN.compareAndSet(this, o, o + 1)) {
                return Reservation.RESERVED;
            }
        }
    }

    /** Gives back room reserved by {@link #reserveOpen} that no connection took, and grants it to a waiter. */
    final void releaseOpen() {
        OPEN.getAndAdd(this, -1);
        roomFreed();
    }

    /** Gives back the room of a connection that closed; the caller grants it to a waiter once it is closed. */
    final void openClosed() {
        OPEN.getAndAdd(this, -1);
    }

    /** Connections that are not closed, plus connects in progress; negative once retired. */
    final int openCount() {
        return open;
    }

    /** Marks the name retired if it holds nothing and nobody waits; then no connection can enter it. */
    final boolean tryRetire() {
        WaitRoom room = waitRoom;
        return (room == null || room.waiters() == 0) && OPEN.compareAndSet(this, 0, RETIRED);
    }

    final boolean isRetired() {
        return open < 0;
    }

    /**
     * Waits in line in the name's {@link WaitRoom} until a connection is handed over, room is granted,
     * something may have come free (an unshared idle entry, room below {@code maxOpen}) while this
     * caller is first in line, the pool closes or the name retires, or the deadline passes.
     *
     * @param name the name, for the exception
     * @param first whether to wait at the head of the line (see {@link WaitRoom#await})
     * @return the waiter: its {@link WaitRoom.Waiter#outcome() outcome}, and the entry handed to it
     * @throws WaiterLimitExceededException when too many callers wait already
     */
    final WaitRoom.Waiter awaitAvailable(String name, boolean first, long deadline, int maxOpen, int maxWaiters)
            throws InterruptedException {
        WaitRoom room = createdOnce(WAIT_ROOM, () -> new WaitRoom(maxOpen));
        if (!room.enter(maxWaiters)) {
            throw new WaiterLimitExceededException(context.poolName, name, maxWaiters, context.settingNames);
        }
        WaitRoom.Waiter waiter = room.newWaiter();
        // A retired name (open < 0; retired between the caller's last look and its entering the room)
        // ends every wait: no connection can enter it, so nobody would hand one over; the caller looks
        // the name up again.
        room.await(waiter, first, () -> hasUnsharedIdle() || open < maxOpen, () -> context.isClosed() || open < 0 || context.suspension.isSuspended(),
                deadline, context.clock);
        return waiter;
    }

    /** Whether callers wait in {@code acquire}: then newcomers queue behind them. */
    final boolean hasWaiters() {
        WaitRoom room = waitRoom;
        return room != null && room.waiters() > 0;
    }

    /** The wait room, when callers wait in it; else null. */
    final WaitRoom roomWithWaiters() {
        WaitRoom room = waitRoom;
        return room != null && room.waiters() > 0 ? room : null;
    }

    /**
     * Hands an entry given back to the longest caller waiting in {@code acquire}, if any, instead of
     * making it idle where a newcomer could take it first: claimed for that caller (TAKING, or
     * TAKING_UNPLACED when it holds no place), which lends it as {@code get} would. Counted as added.
     *
     * @param from the entry's state, owned or on loan: LOANED (it holds its place) or RETURNING
     * @return false when nobody waits or the entry's state changed: nothing changed
     */
    final boolean handOff(PooledConnection<C> e, int from) {
        WaitRoom room = roomWithWaiters();
        if (room == null || context.suspension.isSuspended()) {
            return false;
        }
        if (from == PooledConnection.RETURNING && e.index >= 0 && !holdsPlace(e)) {
            e.index = -1; // owned (RETURNING): nobody else writes it
        }
        int to = e.index >= 0 ? PooledConnection.TAKING : PooledConnection.TAKING_UNPLACED;
        if (!room.handOff(e, from, to)) {
            return false;
        }
        countAdded();
        return true;
    }

    /** Room below the open limit came free: reserved for the longest waiter, if any. */
    final void roomFreed() {
        WaitRoom room = roomWithWaiters();
        if (room != null) {
            // The current limit, which an operator may have changed since the room was made.
            room.grantRoom(() -> reserveOpen(context.settings().maxOpenPerName()) == Reservation.RESERVED);
        }
    }

    /** An unshared idle connection appeared in a place: the longest waiter, if any, looks for it. */
    final void idleAppeared() {
        WaitRoom room = roomWithWaiters();
        if (room != null) {
            room.signalFirst();
        }
    }

    /** Wakes every waiter: the pool closed. */
    final void signalAllWaiters() {
        WaitRoom room = waitRoom;
        if (room != null) {
            room.signalAll();
        }
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

    /** Callers waiting in {@code acquire}. */
    public final int waiting() {
        WaitRoom room = waitRoom;
        return room == null ? 0 : room.waiters();
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
