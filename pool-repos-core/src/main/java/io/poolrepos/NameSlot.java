package io.poolrepos;

import static io.poolrepos.PooledConnection.CLOSED;
import static io.poolrepos.PooledConnection.RETIRING;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The connections of one name in one pool.
 *
 * <p>Connections sit in a fixed array of {@code maxIdlePerName} places, so the idle limit is exact and
 * nothing is allocated per call. An entry keeps its place while it is on loan, so a give-back finds
 * it in this slot (no look-up in the repository's connection index) and becomes idle again where it
 * was, with one compare-and-set on its state. A returning entry without a place takes an empty one,
 * or else the place of an entry that is on loan (that entry learns it from its state,
 * {@link PooledConnection#LOANED_UNPLACED}, and looks for a place when it comes back); when every
 * place holds an idle or shared entry it is closed as overflow.
 *
 * <p>An entry is taken by winning a compare-and-set on its state (see {@link PooledConnection}); the
 * places only say where to look. No lock is taken by add, get or share; a lock exists only for callers
 * of {@code acquire} that must wait, and is created by the first of them. The one wait outside it: a
 * give-back that finds its own entry still in the place another returning entry is taking from it
 * waits for that entry's next compare-and-set (see {@link #awaitSwap}).
 *
 * <p>{@link #openCount()} counts entries that are not closed (idle, shared, on loan, being added) plus
 * connects in progress. When it is 0 and nobody waits, housekeeping may retire the slot by setting
 * it to {@link #RETIRED}; from then on no connection can enter it and callers look the name up again.
 */
final class NameSlot<C> implements NameStatistics {

    static final int RETIRED = Integer.MIN_VALUE;
    static final int RESERVED = 0;
    static final int FULL = 1;
    static final int GONE = 2;
    /** Up to this many places, {@code add} looks for its connection among them before the repository's index. */
    private static final int FAST_RETURN_SCAN = 16;
    /** Lost races within {@link #CROWD_WINDOW} gets that make threads a crowd on a name (see {@link #lostRace}). */
    private static final int CROWD_LOST_RACES = 8;
    private static final int CROWD_WINDOW = 512;
    /** {@link Counter#ADOPTED} and {@link Counter#CREATED}, adjacent, kept in {@link #arrivals}. */
    private static final int ARRIVAL_COUNT = 2;

    private static final VarHandle PLACES = MethodHandles.arrayElementVarHandle(PooledConnection[].class);
    private static final VarHandle ADDED;
    private static final VarHandle GET_HITS;
    private static final VarHandle OPEN;
    private static final VarHandle WAITERS;
    private static final VarHandle RARE_COUNTERS;
    private static final VarHandle ARRIVALS;
    private static final VarHandle WAIT_ROOM;
    private static final VarHandle CROWD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ADDED = lookup.findVarHandle(NameSlot.class, "added", long.class);
            GET_HITS = lookup.findVarHandle(NameSlot.class, "getHits", long.class);
            OPEN = lookup.findVarHandle(NameSlot.class, "open", int.class);
            WAITERS = lookup.findVarHandle(NameSlot.class, "waiters", int.class);
            RARE_COUNTERS = lookup.findVarHandle(NameSlot.class, "rareCounters", AtomicLongArray.class);
            ARRIVALS = lookup.findVarHandle(NameSlot.class, "arrivals", AtomicLongArray.class);
            WAIT_ROOM = lookup.findVarHandle(NameSlot.class, "waitRoom", WaitRoom.class);
            CROWD = lookup.findVarHandle(NameSlot.class, "crowd", Crowd.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Field order matters here: the JVM lays out longs, then ints, then references, each group in the
    // order declared. The fields every get and add touches (the first int, the two counters, the
    // hints, pool, places, crowd) are declared first in their groups so that they sit within 52 bytes:
    // at a thousand names, each further cache line a call touches costs more than its instructions.

    /** Callers of {@code acquire} waiting for a connection of this name; read by every give-back. */
    private volatile int waiters;

    // The counters of every get and add are fields of the slot itself: one object, few cache lines per
    // call; once threads compete for the name they count in its Crowd instead. Counters of other
    // events (get misses among them) live in an array created on the first such event.
    private volatile long added;
    private volatile long getHits;

    /**
     * Place that became idle last: under LIFO the connection to hand out next, tried before any scan.
     * Racy by design; no longer written once the name has a {@link #crowd}.
     */
    private int lastPlaced;
    /** Place of the entry lent last: where {@code add} looks first for the connection coming back. Racy by design. */
    private int lastLent;
    private volatile int open;
    /** Lost races (see {@link #lostRace}) since {@link #lossWindowStart}; racy by design. */
    private int lostRaces;
    /** The low bits of the get-hit count when the current window of lost races began; racy by design. */
    private int lossWindowStart;

    final DefaultConnectionPool<C> pool;
    private final PooledConnection<C>[] places;
    /**
     * Null until threads compete for this name's connections (see {@link Crowd}); from then on each
     * thread's preferred place replaces {@link #lastPlaced} and {@link #lastLent} as the first place
     * tried, and get and add count there.
     */
    private volatile Crowd crowd;
    final String name;
    /**
     * Shares handed out, null unless the pool is sharable. A striped adder: many threads share one
     * name at once, and a single counter line that all of them write would be the slowest part of
     * share + release.
     */
    private final LongAdder shares;
    /**
     * The place each thread (by the low bits of its id) joined last, where its next share starts
     * looking; null unless the pool is sharable. Among equally loaded connections a thread so keeps
     * joining the same one and threads that found different ones stay apart: two threads joining one
     * connection by turns write its state word from two cores, which made share + release on two
     * threads 3x slower than on separate connections. Racy by design, written only when it changes.
     */
    private final int[] preferredPlaces;
    private volatile AtomicLongArray rareCounters;
    private volatile WaitRoom waitRoom;
    /**
     * Connections adopted and created, created on the first. Every connection arrives one of these two
     * ways, so kept in the rare array they would create it for every name: 152 bytes per name where
     * this takes 48. (Declared after the others: it took the slot's alignment gap and moved no other field.)
     */
    private volatile AtomicLongArray arrivals;
    /**
     * How much of each count has been moved to the pool's; null until the slot is retired. Read and
     * written only under the pool's lock for moving counts (see {@link #moveCountsTo}).
     */
    private long[] moved;

    @SuppressWarnings("unchecked")
    NameSlot(DefaultConnectionPool<C> pool, String name, int maxIdle, boolean sharable) {
        this.pool = pool;
        this.name = name;
        this.places = (PooledConnection<C>[]) new PooledConnection<?>[maxIdle];
        this.shares = sharable ? new LongAdder() : null;
        this.preferredPlaces = sharable ? new int[Crowd.PREFERENCES] : null;
    }

    @SuppressWarnings("unchecked")
    private PooledConnection<C> at(int i) {
        return (PooledConnection<C>) PLACES.getVolatile(places, i);
    }

    private boolean casPlace(int i, PooledConnection<C> expected, PooledConnection<C> value) {
        return PLACES.compareAndSet(places, i, expected, value);
    }

    // ---- taking and giving back ------------------------------------------------------------------

    /**
     * Claims the idle, unshared entry that the idle order puts first (state TAKING; it keeps its
     * place), or returns null. The caller moves it on to LOANED or CLOSED.
     */
    PooledConnection<C> claimIdle(boolean lifo) {
        int length = places.length;
        Crowd c = crowd;
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
                return claimed(best, crowd);
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
        pool.releaseIdlePlace();
        return e;
    }

    /**
     * Called when a compare-and-set to take an idle connection failed because another thread changed
     * that connection since it was read. Creates the name's {@link Crowd} once such lost races are
     * frequent: {@link #CROWD_LOST_RACES} of them within {@link #CROWD_WINDOW} gets. Threads that
     * meet on a name only now and then (two threads among a thousand names) lose a race far more
     * rarely; for them a crowd would only add cache lines to every call. Package-private for tests.
     */
    void lostRace() {
        if (crowd != null) {
            return;
        }
        // Racy on purpose: a lost update only delays the crowd by a few races.
        int hits = (int) getHits; // differences of the low bits stay right across a wrap
        if (hits - lossWindowStart > CROWD_WINDOW) {
            lossWindowStart = hits;
            lostRaces = 1;
        } else if (++lostRaces >= CROWD_LOST_RACES) {
            crowded();
        }
    }

    /** The name's {@link Crowd}, created by the first caller (package-private for tests). */
    Crowd crowded() {
        return createdOnce(CROWD, Crowd::new);
    }

    /** Whether threads have competed for this name's connections (tests). */
    boolean isCrowded() {
        return crowd != null;
    }

    /** Remembers place {@code i} as the one that became idle last (alone on the name) and counts the add. */
    private void becameIdleAt(int i) {
        if (crowd == null) {
            lastPlaced = i; // among competing threads each one's own preference takes its place
        }
        countAdded();
    }

    /**
     * The entry of {@code connection} (the same object) if it holds a place here, whatever its state;
     * null if not found among the first places. A hint only: the caller decides by the entry's state.
     */
    PooledConnection<C> placedEntryOf(Object connection) {
        int length = places.length;
        if (length == 0) {
            return null;
        }
        Crowd c = crowd;
        // Among competing threads, the connection coming back is most likely the one this thread took.
        int hint = c == null ? lastLent : c.preferredPlace();
        PooledConnection<C> e = hint >= 0 && hint < length ? at(hint) : null;
        if (e != null && e.connection == connection) {
            return e;
        }
        for (int i = 0, n = Math.min(length, FAST_RETURN_SCAN); i < n; i++) {
            e = at(i);
            if (e != null && e.connection == connection) {
                return e;
            }
        }
        return null;
    }

    /**
     * Gives a new entry the caller is about to lend (state TAKING) an empty place, if there is one, so
     * that its give-back is as quick as any other's. Without one it goes out unplaced.
     */
    void placeOnLoan(PooledConnection<C> e) {
        for (int i = 0; i < places.length; i++) {
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
     * holds, else at an empty place, else at the place of an entry on loan.
     *
     * @return false when every place holds an idle, shared or busy entry
     */
    boolean place(PooledConnection<C> e) {
        int own = e.index;
        if (own >= 0 && at(own) == e) {
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
        int length = places.length;
        for (int i = 0; i < length; i++) {
            if (at(i) == null && tryPlace(i, null, e)) {
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
                    if (tryPlace(i, null, e)) {
                        return true;
                    }
                    continue retry;
                }
                if (x == e) {
                    awaitSwap(i, e);
                    continue retry;
                }
                long w = x.word();
                int s = PooledConnection.stateOf(w);
                if (s == CLOSED) {
                    // Its closer is about to free the place: free it ourselves (the closer's own
                    // attempt then fails harmlessly), or a close in progress would make us overflow.
                    if (tryPlace(i, x, e)) {
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
                    pause(pool.pauseBeforeMarkingUnplaced);
                    if (!x.casWord(w, unplaced)) {
                        continue retry; // given back, discarded, lent or taken over meanwhile: look again
                    }
                    pause(pool.pauseAfterMarkingUnplaced);
                    // x's borrower now finds it unplaced when giving it back. Only a close of x can
                    // have changed the place meanwhile (then it is empty or refilled).
                    if (tryPlace(i, x, e)) {
                        return true;
                    }
                    continue retry;
                }
            }
            return false;
        }
    }

    /** Runs a test's pause (see {@link DefaultConnectionPool#pauseBeforeMarkingUnplaced}), if any. */
    private static void pause(Runnable pause) {
        if (pause != null) {
            pause.run();
        }
    }

    /**
     * Waits while place {@code i} still holds {@code e}, an entry this thread is giving back without
     * a place. It can only be there because another returning entry is taking that place from it:
     * that one has marked it unplaced (so its borrower came here) and its compare-and-set on the
     * place follows; nothing else changes a place that holds an entry being given back. Going on
     * without waiting could close {@code e} as overflow while the place is neither its nor yet the
     * other's, and a get after that overflow would find nothing idle. The wait is the other thread's
     * next few instructions; a thread descheduled there makes it longer, never endless.
     */
    private void awaitSwap(int i, PooledConnection<C> e) {
        for (int spins = 0; at(i) == e; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
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
    private boolean tryPlace(int i, PooledConnection<C> expected, PooledConnection<C> e) {
        e.index = i;
        // Nobody can take it yet: no place holds it as its own until the compare-and-set below. (A
        // place it is only passing through, which shows it until another entry's swap, is not the
        // one its index names: gets and shares skip it there. Taken through such a place, it would
        // be on loan while this thread, its compare-and-set failed, goes on placing it.)
        e.setState(0);
        pause(pool.pauseBeforePlacing);
        if (!casPlace(i, expected, e)) {
            e.setState(PooledConnection.RETURNING);
            e.index = -1;
            return false;
        }
        becameIdleAt(i);
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
                int cause = pool.unfitForSharing(best, true);
                if (cause >= 0) {
                    retire(best, cause);
                    continue;
                }
                if (best.casWord(bestWord, 1)) {
                    return best;
                }
            } else if (best.casWord(bestWord, bestLoad + 1)) {
                int cause = pool.unfitForSharing(best, false);
                if (cause < 0) {
                    return best;
                }
                // No new sharer gets it; our own share is released at once, and the last sharer
                // (perhaps us) closes it.
                retire(best, cause);
                releaseShare(best);
            }
        }
    }

    /** Gives back one share of {@code e}; the last sharer of a retiring entry closes it. */
    void releaseShare(PooledConnection<C> e) {
        long w;
        int n;
        do {
            w = e.word();
            n = PooledConnection.stateOf(w) - 1;
            if (n == 0) {
                e.setStamp(pool.now());
            }
        } while (!e.casWord(w, n));
        if (n == RETIRING) {
            if (e.casState(RETIRING, CLOSED)) {
                finishClose(e, e.retireCause(), true);
            }
        } else if (n == 0) {
            signalWaiter();
        }
    }

    /**
     * Takes {@code e} out of service for {@code cause}: an idle unshared entry is closed now, a shared
     * one is marked retiring and closed by its last sharer. Entries on loan or being added are left
     * alone: their owner decides.
     *
     * @return whether the entry was closed by this call
     */
    boolean retire(PooledConnection<C> e, int cause) {
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
     * counts it, closes the connection (outside any lock) and wakes a waiter for the freed place.
     *
     * @param wasIdle whether it counted as idle in the pool until now (idle or shared, not on loan)
     */
    void finishClose(PooledConnection<C> e, int cause, boolean wasIdle) {
        int i = e.index;
        if (i >= 0) {
            // Fails harmlessly if the place went to another entry meanwhile.
            casPlace(i, e, null);
        }
        if (wasIdle) {
            pool.releaseIdlePlace();
        }
        e.clearLoan();
        pool.repository().untrack(e);
        // Counted before the open count lets go of it: at 0 housekeeping may retire the slot at once.
        count(cause);
        OPEN.getAndAdd(this, -1);
        pool.closeQuietly(e.connection);
        signalWaiter();
    }

    // ---- capacity and waiting --------------------------------------------------------------------

    /** Reserves one place among the open connections: {@link #RESERVED}, {@link #FULL} or {@link #GONE}. */
    int reserveOpen(int maxOpen) {
        for (;;) {
            int o = open;
            if (o < 0) {
                return GONE;
            }
            if (maxOpen > 0 && o >= maxOpen) {
                return FULL;
            }
            if (OPEN.compareAndSet(this, o, o + 1)) {
                return RESERVED;
            }
        }
    }

    void releaseOpen() {
        OPEN.getAndAdd(this, -1);
        signalWaiter();
    }

    /** Entries not closed plus connects in progress; negative once retired. */
    int openCount() {
        return open;
    }

    /** Marks the slot retired if it holds nothing and nobody waits; then no connection can enter it. */
    boolean tryRetire() {
        return waiters == 0 && OPEN.compareAndSet(this, 0, RETIRED);
    }

    boolean isRetired() {
        return open < 0;
    }

    /** Where waiters wait, created by the first caller that needs it. */
    private WaitRoom waitRoom() {
        return createdOnce(WAIT_ROOM, WaitRoom::new);
    }

    /**
     * Waits until something may have come free or the deadline passes.
     *
     * @return false when the deadline has passed
     * @throws WaiterLimitExceededException when too many callers wait already
     */
    boolean awaitAvailable(long deadline, int maxOpen, int maxWaiters) throws InterruptedException {
        if ((int) WAITERS.getAndAdd(this, 1) + 1 > maxWaiters) {
            WAITERS.getAndAdd(this, -1);
            throw new WaiterLimitExceededException(pool.poolName(), name, maxWaiters);
        }
        WaitRoom room = waitRoom();
        room.lock.lock();
        try {
            // Checked after announcing ourselves in `waiters`: anyone freeing a place after this check
            // sees the count and signals under the lock, so the signal cannot be missed. A retired
            // slot (open < 0; retired between the caller's last look and our announcement) ends the
            // wait too: no connection can enter it, so nobody would signal; the caller looks the name up again.
            int o = open;
            if (pool.isClosed() || hasUnsharedIdle() || o < maxOpen) {
                return true;
            }
            long remaining = deadline - pool.preciseNow();
            if (remaining <= 0) {
                return false;
            }
            room.available.await(remaining, TimeUnit.NANOSECONDS);
            return true;
        } finally {
            room.lock.unlock();
            WAITERS.getAndAdd(this, -1);
        }
    }

    void signalWaiter() {
        if (waiters > 0) {
            WaitRoom room = waitRoom();
            room.lock.lock();
            try {
                room.available.signal();
            } finally {
                room.lock.unlock();
            }
        }
    }

    void signalAllWaiters() {
        WaitRoom room = waitRoom();
        room.lock.lock();
        try {
            room.available.signalAll();
        } finally {
            room.lock.unlock();
        }
    }

    /** A lock and its condition; most names never have a waiter, so they never get one. */
    private static final class WaitRoom {
        final ReentrantLock lock = new ReentrantLock();
        final Condition available = lock.newCondition();
    }

    private boolean hasUnsharedIdle() {
        for (int i = 0; i < places.length; i++) {
            PooledConnection<C> e = at(i);
            if (e != null && e.state() == 0) {
                return true;
            }
        }
        return false;
    }

    /** Visits every entry that holds a place: idle, shared, retiring, on loan or being taken or added. */
    void forEachPlaced(java.util.function.Consumer<PooledConnection<C>> action) {
        for (int i = 0; i < places.length; i++) {
            PooledConnection<C> e = at(i);
            if (e != null) {
                action.accept(e);
            }
        }
    }

    // ---- statistics ------------------------------------------------------------------------------

    /**
     * Counts one event. Adds, hits and shares are counted while the caller holds a connection of this
     * name, so never on a retired slot. The others can come when the name holds nothing (a miss, a
     * rejection, an overflow at the open limit): housekeeping may have retired the slot and moved its
     * counts to the pool's before such a count lands. So after counting one, a caller that finds the
     * slot retired moves the rest itself ({@link #moveCountsTo} moves each count once, whoever calls).
     */
    void count(int counter) {
        switch (counter) {
            case Counter.ADDED -> countAdded();
            case Counter.GET_HITS -> countGetHit();
            case Counter.SHARES -> shares.increment();
            default -> {
                if (counter == Counter.ADOPTED || counter == Counter.CREATED) {
                    createdOnce(ARRIVALS, () -> new AtomicLongArray(ARRIVAL_COUNT)).incrementAndGet(counter - Counter.ADOPTED);
                } else {
                    createdOnce(RARE_COUNTERS, Counter::newArray).incrementAndGet(counter);
                }
                // Read after the count: if the retirement is not seen here, it comes later, and the
                // move that follows it finds the count.
                if (open < 0) {
                    pool.removeRetired(this);
                }
            }
        }
    }

    private void countAdded() {
        Crowd c = crowd;
        if (c == null) {
            ADDED.getAndAdd(this, 1L);
        } else {
            c.countAdded();
        }
    }

    private void countGetHit() {
        Crowd c = crowd;
        if (c == null) {
            GET_HITS.getAndAdd(this, 1L);
        } else {
            c.countGetHit();
        }
    }

    long counter(int counter) {
        switch (counter) {
            case Counter.ADDED: {
                Crowd c = crowd;
                return added + (c == null ? 0 : c.added());
            }
            case Counter.GET_HITS: {
                Crowd c = crowd;
                return getHits + (c == null ? 0 : c.getHits());
            }
            case Counter.SHARES:
                return shares == null ? 0 : shares.sum();
            case Counter.ADOPTED:
            case Counter.CREATED:
                AtomicLongArray arrived = arrivals;
                return arrived == null ? 0 : arrived.get(counter - Counter.ADOPTED);
            default:
                AtomicLongArray rare = rareCounters;
                return rare == null ? 0 : rare.get(counter);
        }
    }

    /**
     * The value of the lazily created field behind {@code field}, created by the first caller; a
     * caller that loses the race to set it drops its own and uses the winner's.
     */
    @SuppressWarnings("unchecked")
    private <T> T createdOnce(VarHandle field, Supplier<T> create) {
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

    /**
     * Adds to {@code target} what this retired slot has counted beyond what earlier calls moved (see
     * {@link #count}); the slot's own figures stay as they are, so whoever holds its
     * {@link NameStatistics} still reads them. Called only under the pool's lock for moving counts
     * (one mover at a time).
     */
    void moveCountsTo(AtomicLongArray target) {
        if (moved == null) {
            moved = new long[Counter.COUNT];
        }
        for (int i = 0; i < Counter.COUNT; i++) {
            long now = counter(i);
            if (now > moved[i]) {
                target.addAndGet(i, now - moved[i]);
                moved[i] = now;
            }
        }
    }

    @Override
    public String poolName() {
        return pool.poolName();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int idle() {
        int n = 0;
        for (int i = 0; i < places.length; i++) {
            PooledConnection<C> e = at(i);
            if (e != null && e.state() >= 0) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int inUse() {
        return Math.max(0, open - idle());
    }

    @Override
    public int sharedConnections() {
        int n = 0;
        for (int i = 0; i < places.length; i++) {
            PooledConnection<C> e = at(i);
            int s;
            if (e != null && (s = e.state()) >= 0 && PooledConnection.sharers(s) > 0) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int activeShares() {
        int n = 0;
        for (int i = 0; i < places.length; i++) {
            PooledConnection<C> e = at(i);
            int s;
            if (e != null && (s = e.state()) >= 0) {
                n += PooledConnection.sharers(s);
            }
        }
        return n;
    }

    @Override
    public int waiting() {
        return waiters;
    }

    /** One pass over the places for all four state figures (the endpoint snapshots every name). */
    @Override
    public Counts snapshot() {
        int idleNow = 0;
        int shared = 0;
        int leases = 0;
        for (int i = 0; i < places.length; i++) {
            PooledConnection<C> e = at(i);
            int s;
            if (e != null && (s = e.state()) >= 0) {
                idleNow++;
                int sharers = PooledConnection.sharers(s);
                if (sharers > 0) {
                    shared++;
                    leases += sharers;
                }
            }
        }
        return new Counts(idleNow, Math.max(0, open - idleNow), shared, leases, waiters, added(),
                adopted(), created(), getHits(), getMisses(), shares(), closedDead(), evictedIdle(), evictedLifetime(),
                overflowed(), discarded(), rejected(), leaks(), acquireTimeouts(), connectFailures());
    }

    @Override
    public long added() {
        return counter(Counter.ADDED);
    }

    @Override
    public long adopted() {
        return counter(Counter.ADOPTED);
    }

    @Override
    public long created() {
        return counter(Counter.CREATED);
    }

    @Override
    public long getHits() {
        return counter(Counter.GET_HITS);
    }

    @Override
    public long getMisses() {
        return counter(Counter.GET_MISSES);
    }

    @Override
    public long shares() {
        return counter(Counter.SHARES);
    }

    @Override
    public long closedDead() {
        return counter(Counter.CLOSED_DEAD);
    }

    @Override
    public long evictedIdle() {
        return counter(Counter.EVICTED_IDLE);
    }

    @Override
    public long evictedLifetime() {
        return counter(Counter.EVICTED_LIFETIME);
    }

    @Override
    public long overflowed() {
        return counter(Counter.OVERFLOWED);
    }

    @Override
    public long discarded() {
        return counter(Counter.DISCARDED);
    }

    @Override
    public long rejected() {
        return counter(Counter.REJECTED);
    }

    @Override
    public long leaks() {
        return counter(Counter.LEAKS);
    }

    @Override
    public long acquireTimeouts() {
        return counter(Counter.ACQUIRE_TIMEOUTS);
    }

    @Override
    public long connectFailures() {
        return counter(Counter.CONNECT_FAILURES);
    }

    @Override
    public String toString() {
        return "NameStatistics[" + pool.poolName() + "/" + name + "]";
    }

    /**
     * What the places held when a scan last passed each of them, kept by a {@code get} or {@code share}
     * whose scan found nothing. A scan is not atomic: it could pass one place before its entry became
     * available and another after its entry was taken, and so find nothing although something was
     * available all along. A scan that finds nothing is therefore trusted only if every place still
     * holds the very entry in the very state word it held when last seen: state words carry a version,
     * so no change in between goes unseen, and at the moment the trusted scan started every place held
     * what both scans saw, with nothing available. Only callers about to report "nothing" create one.
     */
    private static final class PlacesSeen {

        private final Object[] entries;
        private final long[] words;
        /** Whether the last scan saw anything other than what was seen before; true until a scan notes what it sees. */
        private boolean changed = true;

        private PlacesSeen(int length) {
            entries = new Object[length];
            // Not seen yet: matches nothing a place can hold, not even null.
            Arrays.fill(entries, this);
            words = new long[length];
        }

        /** {@code seen}, or a new one for {@code length} places if there is none yet. */
        static PlacesSeen orNew(PlacesSeen seen, int length) {
            return seen != null ? seen : new PlacesSeen(length);
        }

        void startScan() {
            changed = false;
        }

        /**
         * The state word of {@code entry}, found in place {@code i} (0 if the place is empty), noted
         * in {@code seen} unless that is null (the scan is not compared with anything).
         */
        static long see(PlacesSeen seen, int i, PooledConnection<?> entry) {
            long word = entry == null ? 0 : entry.word();
            if (seen != null && (seen.entries[i] != entry || seen.words[i] != word)) {
                seen.entries[i] = entry;
                seen.words[i] = word;
                seen.changed = true;
            }
            return word;
        }

        /** Whether every place this scan passed held what it held when last seen. */
        boolean unchanged() {
            return !changed;
        }
    }
}
