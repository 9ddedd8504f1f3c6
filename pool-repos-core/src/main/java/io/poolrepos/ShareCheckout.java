package io.poolrepos;

import java.time.Duration;

/**
 * The way out of a sharable pool with a {@link ConnectionFactory} for {@code share}: a connection of
 * the name below its sharer limit, else a new one opened within the open limits and placed as
 * shared, else a wait in line for a sharer to leave or room to free up. Thread-safe.
 *
 * <p>A shared connection stays in the pool and so needs one of the name's idle places: {@code share}
 * opens connections up to {@link PoolSettings#maxIdlePerName()}, or {@link PoolSettings#maxOpenPerName()}
 * when that is lower, and reserves a place under {@link PoolSettings#maxIdleInPool()} before it
 * connects. Waiting is first come, first served among callers of {@code share}: the share of a sharer
 * that leaves goes straight to the longest waiter ({@link NameWaiting#handShare}), and a connection
 * that becomes idle or room freed by a close wakes it to look.
 */
final class ShareCheckout<C> {

    private final PoolContext<C> context;
    private final Names<C> names;
    private final Connector<C> connector;
    private final int maxSharers;

    ShareCheckout(PoolContext<C> context, Names<C> names, Connector<C> connector, PoolSettings settings) {
        this.context = context;
        this.names = names;
        this.connector = connector;
        this.maxSharers = settings.maxSharersPerConnection();
    }

    /**
     * The most connections {@code share} opens for one name under {@code s}, the pool's current
     * settings: as many as it has places, within its open limit.
     */
    private static int shareLimit(PoolSettings s) {
        int maxOpen = s.maxOpenPerName();
        return maxOpen > 0 ? Math.min(maxOpen, s.maxIdlePerName()) : s.maxIdlePerName();
    }

    /**
     * A lease on a connection of {@code name}: one below its sharer limit, a new one, or one that comes
     * free within {@code timeout}. Null only when the name can hold no shared connection at all
     * ({@code maxIdlePerName} 0). While the pool is suspended it waits for the resume as
     * {@code acquire} does.
     */
    SharedLease<C> share(String name, Duration timeout) {
        return share(name, timeout, context.clock.preciseNow());
    }

    /** {@link #share(String, Duration)} for a wait that began at {@code start} (an asynchronous call's). */
    SharedLease<C> share(String name, Duration timeout, long start) {
        if (shareLimit(context.settings()) == 0) {
            return null;
        }
        long deadline = start + timeout.toNanos();
        NameSlot<C> slot = names.slotFor(name);
        boolean firstInLine = false;
        try {
            for (;;) {
                if (Checkout.waitedWhileSuspended(context, names, slot, name, timeout, deadline, false)) {
                    firstInLine = false;
                    continue;
                }
                // The current settings, which an operator may change between two looks.
                PoolSettings live = context.settings();
                int shareLimit = shareLimit(live);
                int idleSeen = context.openRoom.idleVersion();
                if (firstInLine || !slot.hasShareWaiters()) {
                    PooledConnection<C> e = slot.claimShare(maxSharers);
                    if (e != null) {
                        return lease(slot, e);
                    }
                    Reservation reservation = slot.reserveOpen(shareLimit);
                    if (reservation == Reservation.RESERVED) {
                        e = connectShared(slot);
                        if (e != null) {
                            return lease(slot, e);
                        }
                        // No idle place for it: wait for one rather than try again at once.
                    } else if (reservation == Reservation.GONE) {
                        slot = names.slotFor(name);
                        firstInLine = false;
                        continue;
                    } else if (reservation == Reservation.FULL_POOL && names.makeRoom(slot)) {
                        continue;
                    }
                }
                WaitRoom.Waiter waiter = slot.awaitShareable(name, firstInLine, deadline, shareLimit, maxSharers,
                        live.maxWaitersPerName(), idleSeen);
                switch (waiter.outcome()) {
                    case HANDED: {
                        PooledConnection<C> e = waiter.handed();
                        if (keepsHandedShare(slot, e)) {
                            return lease(slot, e);
                        }
                        firstInLine = true;
                        break;
                    }
                    case LOOK_AGAIN:
                        firstInLine = true;
                        break;
                    default: {
                        names.count(slot, Counter.ACQUIRE_TIMEOUTS);
                        int idle = slot.idle();
                        throw new AcquireTimeoutException(context.poolName, name, timeout, idle,
                                Math.max(0, slot.openCount() - idle), slot.waiting(),
                                Checkout.atPoolLimit(slot, shareLimit) ? context.openRoom.limitText(context.settingNames)
                                        : limitText(live, shareLimit));
                    }
                }
            }
        } catch (InterruptedException ex) {
            throw Checkout.interrupted(context.poolName, name, "share", ex);
        }
    }

    /** Which limit a caller of share waited at, and how to raise it, for the timeout's message. */
    private String limitText(PoolSettings live, int shareLimit) {
        SettingNames n = context.settingNames;
        int maxOpenPerName = live.maxOpenPerName();
        String others = n.of("maxSharersPerConnection") + " or " + n.of("acquireTimeout") + ".";
        if (maxOpenPerName > 0 && maxOpenPerName <= shareLimit) {
            return "maxOpenPerName=" + maxOpenPerName + "). Close leases sooner, raise " + n.of("maxOpenPerName")
                    + ", " + others;
        }
        return "maxIdlePerName=" + shareLimit + ", the most connections share keeps per name). Close leases "
                + "sooner, raise " + n.of("maxIdlePerName") + ", " + others;
    }

    /**
     * Opens a connection for the room reserved and places it as shared by this caller; null when the
     * pool-wide idle limit leaves no place for it, or every place of the name was taken meanwhile
     * (then it is closed, counted as overflowed).
     */
    private PooledConnection<C> connectShared(NameSlot<C> slot) {
        if (!context.idlePlaces.reserve()) {
            slot.releaseOpen();
            return null;
        }
        PooledConnection<C> e;
        try {
            e = connector.open(slot);
        } catch (RuntimeException | Error ex) {
            context.idlePlaces.release();
            throw ex;
        }
        if (slot.place(e, 1)) {
            return e;
        }
        context.idlePlaces.release();
        e.setState(PooledConnection.CLOSED);
        slot.finishClose(e, CloseCause.OVERFLOW, false);
        return null;
    }

    /**
     * Whether the share handed over by a sharer that left may be kept: not if the connection started
     * retiring, was soft-evicted or is found unfit meanwhile (then the share is given up and the caller
     * looks again).
     */
    private boolean keepsHandedShare(NameSlot<C> slot, PooledConnection<C> e) {
        if ((e.state() & PooledConnection.RETIRING) == 0) {
            CloseCause cause = context.evictions.evicted(slot.name, e.createdAt) ? CloseCause.EVICTED
                    : context.fitness.toStay(e, context.clock.now(), false);
            if (cause == null) {
                return true;
            }
            slot.retire(e, cause);
        }
        slot.releaseShare(e);
        return false;
    }

    private static <C> SharedLease<C> lease(NameSlot<C> slot, PooledConnection<C> e) {
        return DefaultSharedLease.joined(slot, e);
    }
}
