package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The callers waiting for one name: in line for {@code acquire} at the open limit, and for
 * {@code share} when no connection can take another sharer and no more may be opened, each kind in a
 * {@link WaitRoom} of its own (what one can use, the other cannot), created for the first of them;
 * and the hand-off of what comes free to the longest waiter. Part of the name's one object (see
 * {@link NameCounters}), between its room ({@link NameCapacity}) and its counts. Thread-safe.
 */
abstract class NameWaiting<C> extends NameCapacity<C> {

    private static final VarHandle WAIT_ROOM;
    private static final VarHandle SHARE_ROOM;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WAIT_ROOM = lookup.findVarHandle(NameWaiting.class, "waitRoom", WaitRoom.class);
            SHARE_ROOM = lookup.findVarHandle(NameWaiting.class, "shareRoom", WaitRoom.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Null until a caller of {@code acquire} must wait; read by every give-back. */
    private volatile WaitRoom waitRoom;
    /**
     * Null until a caller of {@code share} must wait for a sharer's place or room to connect; read by
     * every release of a lease. Apart from {@link #waitRoom}: a share waiter can use what an acquire
     * waiter cannot (a connection with sharers), and the reverse.
     */
    private volatile WaitRoom shareRoom;

    NameWaiting(PoolContext<C> context) {
        super(context);
    }

    /** The name. */
    abstract String name();

    /** Whether an idle entry nobody shares holds a place, which a waiter could take. */
    abstract boolean hasUnsharedIdle();

    /** Whether an idle entry with fewer than {@code maxSharers} sharers, not retiring, holds a place. */
    abstract boolean hasShareable(int maxSharers);

    /** Whether {@code e} still holds the place its index names. */
    abstract boolean holdsPlace(PooledConnection<C> e);

    /** Counts one add that kept its connection (made it idle or handed it to a waiter). */
    abstract void countAdded();

    /**
     * Waits in line in the name's {@link WaitRoom} until a connection is handed over, room is granted,
     * something may have come free (an unshared idle entry, room below {@code maxOpen}) while this
     * caller is first in line, the pool closes or is suspended, the name retires, or the deadline passes.
     *
     * @param name the name, for the exception
     * @param first whether to wait at the head of the line (see {@link WaitRoom#await})
     * @return the waiter: its {@link WaitRoom.Waiter#outcome() outcome}, and the entry handed to it
     * @throws WaiterLimitExceededException when too many callers wait already
     */
    final WaitRoom.Waiter awaitAvailable(String name, boolean first, long deadline, int maxOpen, int maxWaiters,
            int idleSeen) throws InterruptedException {
        WaitRoom room = createdOnce(WAIT_ROOM, () -> new WaitRoom(maxOpen));
        if (!room.enter(maxWaiters)) {
            throw new WaiterLimitExceededException(context.poolName, name, maxWaiters, context.settingNames);
        }
        context.openRoom.waiting(this);
        WaitRoom.Waiter waiter = room.newWaiter();
        // A retired name (open < 0; retired between the caller's last look and its entering the room)
        // ends every wait: no connection can enter it, so nobody would hand one over; the caller looks
        // the name up again. A suspension ends it too: the caller waits for the resume instead.
        room.await(waiter, first, () -> hasUnsharedIdle() || (openBelow(maxOpen) && roomInPool(idleSeen)),
                this::endsWait, deadline, context.clock);
        return waiter;
    }

    /**
     * Waits in line in the name's room for sharers until a share is handed over (the lease of a sharer
     * that left, {@link WaitRoom.Outcome#HANDED}), something may have come free while this caller is
     * first in line (a connection below {@code maxSharers}, room below {@code maxOpen} and under the
     * pool-wide idle limit), the pool
     * closes or is suspended, the name retires, or the deadline passes. As {@link #awaitAvailable} otherwise.
     */
    final WaitRoom.Waiter awaitShareable(String name, boolean first, long deadline, int maxOpen, int maxSharers,
            int maxWaiters, int idleSeen) throws InterruptedException {
        WaitRoom room = createdOnce(SHARE_ROOM, () -> new WaitRoom(maxOpen));
        if (!room.enter(maxWaiters)) {
            throw new WaiterLimitExceededException(context.poolName, name, maxWaiters, context.settingNames);
        }
        context.openRoom.waiting(this);
        WaitRoom.Waiter waiter = room.newWaiter();
        room.await(waiter, first, () -> hasShareable(maxSharers)
                || (openBelow(maxOpen) && !context.idlePlaces.isFull() && roomInPool(idleSeen)),
                this::endsWait, deadline, context.clock);
        return waiter;
    }

    /** Whether every wait of the name ends: the pool closed or is suspended, or the name retired. */
    private boolean endsWait() {
        return context.isClosed() || isRetired() || context.suspension.isSuspended();
    }

    /**
     * Whether the pool has room under its open limit, or may have after closing an idle connection
     * that appeared since the caller read {@code idleSeen} from {@link OpenRoom#idleVersion()}.
     */
    private boolean roomInPool(int idleSeen) {
        return context.openRoom.hasRoom() || context.openRoom.idleVersion() != idleSeen;
    }

    /** Whether the name has room below {@code maxOpen} (0: no limit of its own) and is not retired. */
    private boolean openBelow(int maxOpen) {
        int o = openCount();
        return o >= 0 && (maxOpen == 0 || o < maxOpen);
    }

    /** Whether callers wait in {@code share}: then newcomers queue behind them. */
    final boolean hasShareWaiters() {
        WaitRoom room = shareRoom;
        return room != null && room.waiters() > 0;
    }

    /**
     * Hands the share of a sharer that is leaving {@code e} to the longest caller waiting in
     * {@code share}, if any: the sharer count stays as it is and the waiter holds the share. Not for
     * a retiring or soft-evicted entry (nobody new may join it), nor while the pool is suspended (its
     * waiters wait for the resume); one that starts retiring meanwhile is the waiter's to notice.
     *
     * @return false when nobody waits, the pool is suspended or {@code e} may not be joined: nothing changed
     */
    final boolean handShare(PooledConnection<C> e) {
        WaitRoom room = shareRoom;
        if (room == null || room.waiters() == 0 || (e.state() & PooledConnection.RETIRING) != 0
                || context.suspension.isSuspended() || context.evictions.evicted(name(), e.createdAt)) {
            return false;
        }
        return room.handOver(e);
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
    @Override
    public final void roomFreed() {
        WaitRoom room = roomWithWaiters();
        if (room != null) {
            // The current limit, which an operator may have changed since the room was made.
            room.grantRoom(() -> reserveOpenQuietly(context.settings().maxOpenPerName()) == Reservation.RESERVED);
        }
        signalFirstSharer();
    }

    /** Something a caller waiting in {@code share} could use may have come free: the longest one looks. */
    private void signalFirstSharer() {
        WaitRoom shares = shareRoom;
        if (shares != null && shares.waiters() > 0) {
            shares.signalFirst();
        }
    }

    /** An unshared idle connection appeared in a place: the longest waiter, if any, looks for it. */
    final void idleAppeared() {
        wakeFirst();
        context.openRoom.idleAppeared(this);
    }

    @Override
    public final void wakeFirst() {
        WaitRoom room = roomWithWaiters();
        if (room != null) {
            room.signalFirst();
        }
        signalFirstSharer();
    }

    /** Wakes every waiter: the pool closed. */
    final void signalAllWaiters() {
        WaitRoom room = waitRoom;
        if (room != null) {
            room.signalAll();
        }
        WaitRoom shares = shareRoom;
        if (shares != null) {
            shares.signalAll();
        }
    }

    @Override
    public final boolean hasAnyWaiter() {
        return waiting() > 0;
    }

    /** Callers waiting in {@code acquire} or in {@code share}. */
    public final int waiting() {
        WaitRoom room = waitRoom;
        WaitRoom shares = shareRoom;
        return (room == null ? 0 : room.waiters()) + (shares == null ? 0 : shares.waiters());
    }

}
