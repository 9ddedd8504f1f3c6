package io.poolrepos;

import static io.poolrepos.PooledConnection.CLOSED;
import static io.poolrepos.PooledConnection.LOANED;
import static io.poolrepos.PooledConnection.RETURNING;

import io.poolrepos.ConnectionRejectedException.Reason;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The way back into a pool: {@code add} (a connection given back, or seen for the first time) and
 * {@code discard}, with the checks that keep one connection from being held twice and the texts of
 * their rejections, and the report of each loan's end to the listeners. Thread-safe.
 */
final class GiveBack<C> {

    /** In place of a loan's start: nobody listened when the give-back began, or it is no loan. */
    private static final long UNHEARD = Long.MIN_VALUE;

    private final PoolContext<C> context;
    // The context's parts this class uses on every call, kept here: one dependent load fewer each
    // (see Names#map()).
    private final Fitness<C> fitness;
    private final Clock clock;
    private final IdlePlaces idlePlaces;
    private final Names<C> names;
    /** {@link Names#map()}, looked up directly by every add (see there). */
    private final ConcurrentHashMap<String, NameSlot<C>> slots;
    private final PoolEvents events;

    GiveBack(PoolContext<C> context, Names<C> names) {
        this.context = context;
        this.fitness = context.fitness;
        this.clock = context.clock;
        this.idlePlaces = context.idlePlaces;
        this.names = names;
        this.slots = names.map();
        this.events = names.events();
    }

    AddResult add(String name, C connection) {
        // The common case: a connection taken from this name comes back and still holds its place
        // there. Finding the very object among the slot's places proves it is this pool's and this
        // name's; anything else takes the general path through the repository's connection index.
        NameSlot<C> slot = slots.get(name);
        if (slot != null) {
            PooledConnection<C> e = slot.placedEntryOf(connection);
            if (e != null && e.state() == LOANED) {
                long loanedAt = loanStart(e);
                AddResult result = giveBackInPlace(slot, e, loanedAt);
                if (result != null) {
                    return result;
                }
                if (e.casState(LOANED, RETURNING)) {
                    return giveBack(slot, e, loanedAt);
                }
                // A failed give-back in place may have stamped it already: the start read here stays right.
                return addAnyConnection(name, connection, loanedAt);
            }
        }
        return addAnyConnection(name, connection, UNHEARD);
    }

    /**
     * The give-back of a healthy connection that kept its place: checked while still on loan, then
     * made idle by one compare-and-set from LOANED to 0. Null when it must take the general path
     * (found unfit, or its state changed meanwhile).
     */
    private AddResult giveBackInPlace(NameSlot<C> slot, PooledConnection<C> e, long loanedAt) {
        long now = fitness.giveBackTime();
        if (context.isClosed() || fitness.toKeep(e, now) != null || PoolOperator.toKeep(context, slot, e) != null
                || e.index >= context.settings().maxIdlePerName()) {
            return null; // the general path closes it, or finds it a place within a lowered maxIdlePerName
        }
        if (slot.handOff(e, LOANED)) {
            return loanEnded(slot, loanedAt, AddResult.POOLED);
        }
        if (!idlePlaces.reserve()) {
            return null;
        }
        // Written before the compare-and-set that publishes them. Only a caller misusing the API (two
        // threads giving back one connection at once) could write them without winning it, and then
        // only with a time of its own; the loser is rejected on the general path.
        e.setStamp(now);
        e.clearLoan();
        if (!slot.idleAgain(e)) {
            idlePlaces.release();
            return null;
        }
        AddResult closed = closedMeanwhile(slot, e);
        if (closed != null) {
            return loanEnded(slot, loanedAt, closed);
        }
        slot.idleAppeared();
        return loanEnded(slot, loanedAt, AddResult.POOLED);
    }

    /** @param loanedAt the start of the loan as read before a give-back in place stamped it, or {@link #UNHEARD} */
    private AddResult addAnyConnection(String name, C connection, long loanedAt) {
        if (!context.closer.connectionType().isInstance(connection)) {
            throw reject(null, name, Reason.WRONG_TYPE, "expected " + context.closer.connectionType().getName()
                    + ", got " + connection.getClass().getName());
        }
        for (;;) {
            PooledConnection<?> known = context.index.find(connection);
            if (known == null) {
                // A known connection's name was checked when it first came; only new ones need it.
                Checks.name(name, "name");
                return adopt(name, connection);
            }
            NameSlot<C> slot = owned(known, name);
            @SuppressWarnings("unchecked")
            PooledConnection<C> e = (PooledConnection<C>) known;
            int s = e.state();
            long start = loanedAt != UNHEARD ? loanedAt : loanStart(e);
            if (s == LOANED) {
                AddResult result = giveBackInPlace(slot, e, start);
                if (result != null) {
                    return result;
                }
                if (e.casState(LOANED, RETURNING)) {
                    return giveBack(slot, e, start);
                }
                continue; // someone else changed it meanwhile: look again
            }
            if (s == PooledConnection.LOANED_UNPLACED) {
                if (e.casState(s, RETURNING)) {
                    // Its place went to another entry; it must look for one like a new connection.
                    e.index = -1;
                    return giveBack(slot, e, start);
                }
                continue;
            }
            throw reject(slot, name, rejectionFor(s), describe(s));
        }
    }

    /** First sight of a connection: track it under {@code name}, then give it back like any other. */
    private AddResult adopt(String name, C connection) {
        if (context.isClosed()) {
            names.count(null, Counter.ADOPTED);
            names.count(null, Counter.DISCARDED);
            context.closer.closeQuietly(connection);
            return AddResult.CLOSED_POOL_CLOSED;
        }
        for (;;) {
            NameSlot<C> slot = names.slotFor(name);
            Reservation reservation = slot.reserveOpen(context.settings().maxOpenPerName());
            if (reservation == Reservation.GONE) {
                continue;
            }
            if (reservation != Reservation.RESERVED) { // the name's or the pool's open limit
                names.count(slot, Counter.ADOPTED);
                names.count(slot, Counter.OVERFLOWED);
                context.closer.closeQuietly(connection);
                return AddResult.CLOSED_OVERFLOW;
            }
            PooledConnection<C> e = new PooledConnection<>(connection, slot, clock.now(), RETURNING);
            PooledConnection<?> other = context.index.track(connection, e);
            if (other != null) {
                slot.releaseOpen();
                // Another thread adopted the same connection a moment ago: whatever it is now, it
                // is not the caller's to give.
                throw reject(slot, name, Reason.BEING_ADDED, "the same connection is being added by another thread");
            }
            names.count(slot, Counter.ADOPTED);
            return giveBack(slot, e);
        }
    }

    /** {@link #giveBack(NameSlot, PooledConnection)} of an entry that was on loan since {@code loanedAt}. */
    private AddResult giveBack(NameSlot<C> slot, PooledConnection<C> e, long loanedAt) {
        return loanEnded(slot, loanedAt, giveBack(slot, e));
    }

    /**
     * The start of {@code e}'s loan (the stamp that leak detection keeps), read only while someone
     * listens and before the give-back hands it to a waiter or stamps it idle; else {@link #UNHEARD}.
     */
    private long loanStart(PooledConnection<C> e) {
        return events.listening() ? e.stamp : UNHEARD;
    }

    private AddResult loanEnded(NameSlot<C> slot, long loanedAt, AddResult result) {
        if (loanedAt != UNHEARD) {
            names.loanEnded(slot, loanedAt);
        }
        return result;
    }

    /**
     * Makes a connection the pool has just opened and counted as created (state RETURNING, tracked,
     * its room reserved) idle, as a give-back would: to a waiter first, else into a place, else closed.
     */
    AddResult addNew(NameSlot<C> slot, PooledConnection<C> e) {
        return giveBack(slot, e);
    }

    /** Makes an entry this thread owns (state RETURNING) idle in a place, or closes it and says why. */
    private AddResult giveBack(NameSlot<C> slot, PooledConnection<C> e) {
        e.clearLoan();
        long now = fitness.giveBackTime();
        CloseCause cause;
        if (context.isClosed()) {
            cause = CloseCause.DISCARDED;
        } else if ((cause = fitness.toKeep(e, now)) == null && (cause = PoolOperator.toKeep(context, slot, e)) == null) {
            if (slot.handOff(e, RETURNING)) {
                return AddResult.POOLED;
            }
            if (!idlePlaces.reserve()) {
                cause = CloseCause.OVERFLOW;
            } else {
                e.setStamp(now);
                if (slot.place(e, 0)) {
                    AddResult closed = closedMeanwhile(slot, e);
                    if (closed != null) {
                        return closed;
                    }
                    slot.idleAppeared();
                    return AddResult.POOLED;
                }
                idlePlaces.release();
                cause = CloseCause.OVERFLOW;
            }
        }
        e.setState(CLOSED);
        slot.finishClose(e, cause, false);
        return cause.addResult;
    }

    /**
     * Closes an entry that has just become idle if the pool closed or an operator soft-evicted it
     * meanwhile, and says so; null when it stays. Closing the pool and soft eviction each sweep the
     * places after writing their mark; an entry placed after the sweep is caught here (both sides
     * write, then read the other's volatile).
     */
    private AddResult closedMeanwhile(NameSlot<C> slot, PooledConnection<C> e) {
        CloseCause cause = context.isClosed() ? CloseCause.DISCARDED
                : context.evictions.evicted(slot.name, e.createdAt) ? CloseCause.EVICTED : null;
        if (cause == null) {
            return null;
        }
        slot.retire(e, cause);
        return cause.addResult;
    }

    /**
     * Closes a connection on loan from this pool under {@code name} that its borrower will not give
     * back, counted as discarded.
     */
    void discard(String name, C connection) {
        PooledConnection<?> known = context.index.find(connection);
        NameSlot<C> slot = known == null ? null : slotOf(known);
        if (slot == null || slot.context != context || !slot.name.equals(name)) {
            throw reject(names.find(name), name, Reason.NOT_ON_LOAN, "it was not taken from this pool under this name");
        }
        @SuppressWarnings("unchecked")
        PooledConnection<C> e = (PooledConnection<C>) known;
        for (;;) {
            int s = e.state();
            if (!PooledConnection.onLoan(s)) {
                throw reject(slot, name, Reason.NOT_ON_LOAN, "it is not on loan: " + describe(s));
            }
            if (e.casState(s, CLOSED)) {
                break;
            }
            // A returning connection took its place meanwhile (LOANED to LOANED_UNPLACED): still on loan.
        }
        // Closed by this thread: nobody stamps it any more.
        long loanedAt = loanStart(e);
        slot.finishClose(e, CloseCause.DISCARDED, false);
        loanEnded(slot, loanedAt, null);
    }

    /** The slot of {@code known}, if it belongs to this pool under {@code name}; else the rejection. */
    private NameSlot<C> owned(PooledConnection<?> known, String name) {
        NameSlot<C> slot = slotOf(known);
        if (slot.context != context) {
            throw reject(names.find(name), name, Reason.TAKEN_FROM_OTHER_POOL,
                    "it belongs to pool '" + NameMasking.mask(slot.context.poolName) + "'");
        }
        if (!slot.name.equals(name)) {
            throw reject(slot, name, Reason.TAKEN_FROM_OTHER_NAME,
                    "it was taken from name '" + NameMasking.mask(slot.name) + "'; give it back under that name");
        }
        return slot;
    }

    private static Reason rejectionFor(int state) {
        if (state == RETURNING) {
            return Reason.BEING_ADDED;
        }
        if (state >= 0 && PooledConnection.sharers(state) > 0) {
            return Reason.BEING_SHARED;
        }
        return Reason.ALREADY_IDLE;
    }

    private static String describe(int state) {
        if (state == RETURNING) {
            return "another thread is adding it at this moment";
        }
        if (state == CLOSED) {
            return "the pool closed it; it is not the caller's any more";
        }
        if (PooledConnection.onLoan(state)) {
            return "it is on loan";
        }
        if (state == PooledConnection.TAKING || state == PooledConnection.TAKING_UNPLACED) {
            return "it is idle in the pool, being taken by another caller";
        }
        int sharers = PooledConnection.sharers(state);
        return sharers > 0 ? "it is idle in the pool with " + sharers + " sharer(s)"
                : "it is idle in the pool already; adding it twice would let two callers take it";
    }

    /** Counts a rejection (on {@code slot}, or the pool's own counts when null) and makes its exception. */
    private ConnectionRejectedException reject(NameSlot<C> slot, String name, Reason reason, String detail) {
        names.count(slot, Counter.REJECTED);
        return new ConnectionRejectedException(context.poolName, name, reason, detail);
    }

    /** The slot that holds {@code e}: its owner, which is always the slot of a name of some pool. */
    @SuppressWarnings("unchecked")
    private static <C> NameSlot<C> slotOf(PooledConnection<?> e) {
        return (NameSlot<C>) e.owner;
    }
}
