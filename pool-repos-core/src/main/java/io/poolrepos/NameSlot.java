package io.poolrepos;

import static io.poolrepos.PooledConnection.CLOSED;
import static io.poolrepos.PooledConnection.RETIRING;

import java.util.function.Consumer;

/**
 * The connections of one name in one pool, and the lock-free protocol that claims, places, shares
 * and retires them (README, "Design of the core"; the states in {@link PooledConnection}).
 *
 * <p>Connections sit in a fixed array of {@code maxIdlePerName} places, so the idle limit is exact and
 * nothing is allocated per call. An entry keeps its place while it is on loan, so its give-back makes
 * it idle again where it was, with one compare-and-set on its state. A returning entry without a place
 * takes an empty one, or else the place of an entry on loan (which learns it from its state,
 * {@link PooledConnection#LOANED_UNPLACED}); when every place holds an idle or shared entry it is
 * closed as overflow. An entry is taken by winning a compare-and-set on its state; the places only say
 * where to look. No lock is taken; the one wait: a give-back that finds its own entry still in the
 * place another returning entry is taking from it waits for that one's next compare-and-set
 * ({@link Places#awaitSwap}).
 *
 * <p>Room for open connections, retirement and waiting come from {@link NameCapacity}, counts and
 * statistics from {@link NameCounters}: one object per name. Thread-safe.
 */
final class NameSlot<C> extends NameCounters<C> {

    /**
     * Place that became idle last: under LIFO the connection to hand out next, tried before any scan.
     * Racy by design; no longer written once the name has a crowd.
     */
    private int lastPlaced;
    /** Place of the entry lent last: where {@code add} looks first for the connection coming back. Racy by design. */
    private int lastLent;
    private final PooledConnection<C>[] places;
    /**
     * The place each thread (by the low bits of its id) joined last, where its next share starts
     * looking; null unless the pool is sharable. Among equally loaded connections a thread so keeps
     * joining the same one and threads that found different ones stay apart: two threads joining one
     * connection by turns write its state word from two cores, which made share + release on two
     * threads 3x slower than on separate connections. Racy by design, written only when it changes.
     */
    private final int[] preferredPlaces;

    @SuppressWarnings("unchecked")
    NameSlot(PoolContext<C> context, String name, int maxIdle, boolean sharable) {
        super(context, name, sharable);
        this.places = (PooledConnection<C>[]) new PooledConnection<?>[maxIdle];
        this.preferredPlaces = sharable ? new int[Crowd.PREFERENCES] : null;
    }

    private PooledConnection<C> at(int i) {
        return Places.at(places, i);
    }

    private boolean casPlace(int i, PooledConnection<C> expected, PooledConnection<C> value) {
        return Places.compareAndSet(places, i, expected, value);
    }

    // ---- taking and giving back ------------------------------------------------------------------

    /**
     * Claims the idle, unshared entry that the idle order puts first (state TAKING; it keeps its
     * place), or returns null. The caller moves it on to LOANED or CLOSED.
     */
    PooledConnection<C> claimIdle(boolean lifo) {
        int length = places.length;
        Crowd c = crowd();
        // Alone on this name: the place that became idle last. Among competing threads: the place this
        // thread took from last, which keeps each of them to a connection of its own.
        int hint = c == null ? lastPlaced : c.preferredPlace();
        if (lifo && hint >= 0 && hint < length) {
            PooledConnection<C> last = at(hint);
            long w;
            if (last != null && PooledConnection.stateOf(w = last.word()) == 0 && last.index == hint) {
                if (last.casWord(w, PooledConnection.TAKING)) {
                    return claimed(last, c);
                }
                lostRace();
            }
        }
        return claimIdleByScan(lifo);
    }

    /** The part of {@link #claimIdle} past the hint, out of line so that the hint stays small enough to inline. */
    private PooledConnection<C> claimIdleByScan(boolean lifo) {
        int length = places.length;
        if (length == 0) {
            return null; // maxIdlePerName 0: nothing is ever idle
        }
        PlacesSeen seen = null; // created by the first scan that finds nothing
        for (;;) {
            PooledConnection<C> best = null;
            long bestWord = 0;
            long bestStamp = 0;
            if (seen != null) {
                seen.startScan();
            }
            for (int i = 0; i < length; i++) {
                PooledConnection<C> e = at(i);
                long w = PlacesSeen.see(seen, i, e);
                if (e == null || PooledConnection.stateOf(w) != 0 || e.index != i) {
                    continue; // (an entry whose index names another place is only passing through this one; see place)
                }
                long stamp = e.stamp;
                if (best == null || (lifo ? stamp > bestStamp : stamp < bestStamp)) {
                    best = e;
                    bestWord = w;
                    bestStamp = stamp;
                }
            }
            if (best == null) {
                seen = PlacesSeen.orNew(seen, length);
                if (seen.unchanged()) {
                    return null;
                }
                continue;
            }
            if (best.casWord(bestWord, PooledConnection.TAKING)) {
                return claimed(best, crowd());
            }
            // Another thread took or shared it first: look again.
            lostRace();
        }
    }

    private PooledConnection<C> claimed(PooledConnection<C> e, Crowd c) {
        if (c == null) {
            lastLent = e.index;
        } else {
            c.tookFrom(e.index);
        }
        context.idlePlaces.release();
        return e;
    }

    /** Remembers place {@code i} as the one that became idle last (alone on the name) and counts the add. */
    private void becameIdleAt(int i) {
        if (crowd() == null) {
            lastPlaced = i; // among competing threads each one's own preference takes its place
        }
        countAdded();
    }

    /**
     * The entry of {@code connection} (the same object) if it holds a place here, whatever its state;
     * null if not found among the first places. A hint only: the caller decides by the entry's state.
     */
    PooledConnection<C> placedEntryOf(Object connection) {
        Crowd c = crowd();
        // Among competing threads, the connection coming back is most likely the one this thread took.
        return Places.find(places, connection, c == null ? lastLent : c.preferredPlace());
    }

    /**
     * Gives a new entry the caller is about to lend (state TAKING) an empty place, if there is one, so
     * that its give-back is as quick as any other's. Without one it goes out unplaced.
     */
    void placeOnLoan(PooledConnection<C> e) {
        for (int i = 0, usable = usable(); i < usable; i++) {
            if (at(i) == null) {
                e.index = i; // before it becomes visible in the place
                if (casPlace(i, null, e)) {
                    lastLent = i;
                    return;
                }
                e.index = -1;
            }
        }
    }

    /**
     * Publishes an entry the caller owns (state RETURNING) as idle, counted as added: at the place it
     * holds, else at an empty place, else at the place of an entry on loan. With {@code placedState}
     * 1, a new entry (no place) is published shared by the caller instead, so that no {@code get}
     * can take it first, and is no add.
     *
     * @param placedState 0 (idle) or 1 (shared by the caller)
     * @return false when every place holds an idle, shared or busy entry
     */
    boolean place(PooledConnection<C> e, int placedState) {
        int length = usable();
        int own = e.index;
        if (own >= 0 && at(own) == e && own >= length) {
            casPlace(own, e, null); // a place above a lowered maxIdlePerName; nobody takes a returning entry's
        } else if (own >= 0 && at(own) == e) {
            // It kept its place while on loan. Nobody takes the place of an entry being given back,
            // so making it idle is enough. (Through tryPlace it was made idle before a compare-and-set
            // on the place; a get could take it in between, close it as dead and empty the place, and
            // the failed compare-and-set then brought the closed entry back as RETURNING: a closed
            // connection idle in the pool, counted closed and idle at once.)
            e.setState(0);
            becameIdleAt(own);
            return true;
        }
        e.index = -1;
        for (int i = 0; i < length; i++) {
            if (at(i) == null && tryPlace(i, null, e, placedState)) {
                return true;
            }
        }
        // No empty place at first sight: take one whose entry is closing or on loan. Every failed
        // attempt below means the place changed hands meanwhile, so the pass starts over.
        retry:
        for (;;) {
            for (int i = 0; i < length; i++) {
                PooledConnection<C> x = at(i);
                if (x == null) {
                    if (tryPlace(i, null, e, placedState)) {
                        return true;
                    }
                    continue retry;
                }
                if (x == e) {
                    Places.awaitSwap(places, i, e);
                    continue retry;
                }
                long w = x.word();
                int s = PooledConnection.stateOf(w);
                if (s == CLOSED) {
                    // Its closer is about to free the place: free it ourselves (the closer's own
                    // attempt then fails harmlessly), or a close in progress would make us overflow.
                    if (tryPlace(i, x, e, placedState)) {
                        return true;
                    }
                    continue retry;
                }
                if ((s == PooledConnection.LOANED || s == PooledConnection.TAKING) && x.index == i) {
                    // A connection being taken counts as taken: its get has already succeeded.
                    // Only through the place its index names: an entry whose place is being taken
                    // by another returning entry stays in it until that one's compare-and-set, and
                    // may meanwhile be given back, placed elsewhere and taken again. Seen through
                    // its old place, it must not be claimed, joined or moved: it is not there.
                    int unplaced = s == PooledConnection.LOANED
                            ? PooledConnection.LOANED_UNPLACED : PooledConnection.TAKING_UNPLACED;
                    context.hooks.beforeMarkingUnplaced();
                    if (!x.casWord(w, unplaced)) {
                        continue retry; // given back, discarded, lent or taken over meanwhile: look again
                    }
                    context.hooks.afterMarkingUnplaced();
                    // x's borrower now finds it unplaced when giving it back. Only a close of x can
                    // have changed the place meanwhile (then it is empty or refilled).
                    if (tryPlace(i, x, e, placedState)) {
                        return true;
                    }
                    continue retry;
                }
            }
            return false;
        }
    }

    /**
     * Makes an entry on loan that kept its place idle again, in one compare-and-set from LOANED to 0,
     * counted as added; false if its state changed first (its place was taken, or it was discarded).
     */
    boolean idleAgain(PooledConnection<C> e) {
        if (!e.casState(PooledConnection.LOANED, 0)) {
            return false;
        }
        becameIdleAt(e.index);
        return true;
    }

    /**
     * Puts an entry the caller owns into place {@code i} if it still holds {@code expected}, already
     * idle: the compare-and-set on the place is the moment it becomes idle. Were it placed first and
     * made idle after, an add at the idle limit could overflow on the place it holds, and a get
     * miss it, in the same instant: the pool would act one connection short.
     */
    private boolean tryPlace(int i, PooledConnection<C> expected, PooledConnection<C> e, int placedState) {
        e.index = i;
        // Nobody can take it yet: no place holds it as its own until the compare-and-set below. (A
        // place it is only passing through, which shows it until another entry's swap, is not the
        // one its index names: gets and shares skip it there. Taken through such a place, it would
        // be on loan while this thread, its compare-and-set failed, goes on placing it.)
        e.setState(placedState);
        context.hooks.beforePlacing();
        if (!casPlace(i, expected, e)) {
            e.setState(PooledConnection.RETURNING);
            e.index = -1;
            return false;
        }
        if (placedState == 0) { // a new shared entry is no add
            becameIdleAt(i);
        }
        return true;
    }

    /**
     * Joins the entry with the fewest sharers below {@code maxSharers} (its sharer count is then
     * incremented; of equally loaded ones, the one at this thread's preferred place or the first after
     * it), or returns null. An unshared entry is checked before its first sharer joins, a
     * shared one after; one found unfit is retired and the search goes on.
     */
    PooledConnection<C> claimShare(int maxSharers) {
        int length = places.length;
        if (length == 0) {
            return null;
        }
        int thread = Crowd.threadIndex();
        int start = preferredPlaces[thread];
        if (start >= length) {
            start = 0;
        }
        PlacesSeen seen = null; // created by the first scan that finds nothing, as in claimIdle
        for (;;) {
            PooledConnection<C> best = null;
            long bestWord = 0;
            int bestLoad = Integer.MAX_VALUE;
            int bestPlace = start;
            if (seen != null) {
                seen.startScan();
            }
            // From the preferred place round: ties go to the first seen, so to the preferred one.
            for (int k = 0, i = start; k < length && bestLoad > 0; k++, i = i + 1 == length ? 0 : i + 1) {
                PooledConnection<C> e = at(i);
                long w = PlacesSeen.see(seen, i, e);
                if (e == null) {
                    continue;
                }
                int s = PooledConnection.stateOf(w);
                // RETIRING makes s larger than any allowed sharer count, so retiring entries are skipped.
                if (s >= 0 && s < maxSharers && s < bestLoad && e.index == i) {
                    best = e;
                    bestWord = w;
                    bestLoad = s;
                    bestPlace = i;
                }
            }
            if (bestPlace != start) {
                preferredPlaces[thread] = bestPlace;
                start = bestPlace;
            }
            if (best == null) {
                seen = PlacesSeen.orNew(seen, length);
                if (seen.unchanged()) {
                    return null;
                }
                continue;
            }
            if (bestLoad == 0) {
                // Checked before joining, so that no sharer ever joins a connection found expired.
                // Read while idle: if anything happens to it before our compare-and-set, that fails.
                CloseCause cause = context.fitness.toStay(best, context.clock.now(), true);
                if (cause != null) {
                    retire(best, cause);
                    continue;
                }
                if (best.casWord(bestWord, 1)) {
                    return best;
                }
            } else if (best.casWord(bestWord, bestLoad + 1)) {
                CloseCause cause = context.fitness.toStay(best, context.clock.now(), false);
                if (cause == null) {
                    return best;
                }
                // No new sharer gets it; our own share is released at once, and the last sharer
                // (perhaps us) closes it.
                retire(best, cause);
                releaseShare(best);
            }
        }
    }

    /** Gives back one share of {@code e}, to the longest share waiter if any; the last sharer of a retiring entry closes it. */
    void releaseShare(PooledConnection<C> e) {
        if (handShare(e)) {
            return;
        }
        long w;
        int n;
        do {
            w = e.word();
            n = PooledConnection.stateOf(w) - 1;
            if (n == 0) {
                e.setStamp(context.clock.now());
            }
        } while (!e.casWord(w, n));
        if (n == RETIRING) {
            if (e.casState(RETIRING, CLOSED)) {
                finishClose(e, e.retireCause(), true);
            }
        } else if (n == 0) {
            idleAppeared();
        }
    }

    /**
     * Takes {@code e} out of service for {@code cause}: an idle unshared entry is closed now, a shared
     * one is marked retiring and closed by its last sharer. Entries on loan or being added are left
     * alone: their owner decides.
     *
     * @return whether the entry was closed by this call
     */
    boolean retire(PooledConnection<C> e, CloseCause cause) {
        for (;;) {
            long w = e.word();
            int s = PooledConnection.stateOf(w);
            if (s < 0 || (s & RETIRING) != 0) {
                return false;
            }
            if (s == 0) {
                if (e.casWord(w, CLOSED)) {
                    finishClose(e, cause, true);
                    return true;
                }
            } else {
                e.setRetireCauseOnce(cause);
                if (e.casWord(w, s | RETIRING)) {
                    return false;
                }
            }
        }
    }

    /**
     * Completes the close of an entry whose state this thread moved to CLOSED: frees its place,
     * counts it, closes the connection (outside any lock) and grants the freed room to a waiter.
     *
     * @param wasIdle whether it counted as idle in the pool until now (idle or shared, not on loan)
     */
    void finishClose(PooledConnection<C> e, CloseCause cause, boolean wasIdle) {
        int i = e.index;
        if (i >= 0) {
            // Fails harmlessly if the place went to another entry meanwhile.
            casPlace(i, e, null);
        }
        if (wasIdle) {
            context.idlePlaces.release();
        }
        e.clearLoan();
        context.index.untrack(e);
        // Counted before the open count lets go of it: at 0 housekeeping may retire the slot at once.
        increment(cause.counter);
        openClosed();
        context.closer.closeQuietly(e.connection);
        closedInPool();
    }

    /** The places a connection may become idle in: all, unless an operator lowered maxIdlePerName since. */
    private int usable() {
        return Math.min(places.length, context.settings().maxIdlePerName());
    }

    @Override
    boolean holdsPlace(PooledConnection<C> e) {
        return e.index >= 0 && at(e.index) == e;
    }

    @Override
    boolean hasUnsharedIdle() {
        return Places.hasUnsharedIdle(places);
    }

    @Override
    boolean hasShareable(int maxSharers) {
        return Places.hasShareable(places, maxSharers);
    }

    @Override
    void forEachPlaced(Consumer<? super PooledConnection<C>> action) {
        Places.forEach(places, action);
    }
}
