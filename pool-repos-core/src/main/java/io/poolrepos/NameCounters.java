package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What has been counted on one name, and the name's {@link NameStatistics}: the base of its
 * {@link NameSlot}, which adds the places and their protocol. One object per name, not two: a
 * separate counters object would cost every name a header and a reference (the footprint goal).
 *
 * <p>Counts of {@code get} and {@code add} are fields of the object itself (few cache lines per
 * call); once threads compete for the name they go to its {@link Crowd} instead. Shares go to a
 * striped adder. Counts of other events live in arrays created on the first such event.
 *
 * <p>Thread-safe. Reading a figure changes nothing.
 */
abstract class NameCounters<C> extends NameWaiting<C> implements NameStatistics, PooledConnection.Owner {

    /** Lost races within {@link #CROWD_WINDOW} gets that make threads a crowd on a name (see {@link #lostRace}). */
    private static final int CROWD_LOST_RACES = 8;
    private static final int CROWD_WINDOW = 512;
    /** {@link Counter#ADOPTED} and {@link Counter#CREATED}, adjacent, kept in {@link #arrivals}. */
    private static final int ARRIVAL_COUNT = 2;

    private static final VarHandle ADDED;
    private static final VarHandle GET_HITS;
    private static final VarHandle RARE_COUNTERS;
    private static final VarHandle ARRIVALS;
    private static final VarHandle CROWD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ADDED = lookup.findVarHandle(NameCounters.class, "added", long.class);
            GET_HITS = lookup.findVarHandle(NameCounters.class, "getHits", long.class);
            RARE_COUNTERS = lookup.findVarHandle(NameCounters.class, "rareCounters", AtomicLongArray.class);
            ARRIVALS = lookup.findVarHandle(NameCounters.class, "arrivals", AtomicLongArray.class);
            CROWD = lookup.findVarHandle(NameCounters.class, "crowd", Crowd.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Field order matters: the JVM lays out a superclass's fields before its subclass's, longs first,
    // then ints, then references, each group in the order declared. The fields every get and add
    // touches (the two counters, the crowd) are declared first in their groups.

    private volatile long added;
    private volatile long getHits;
    /** Lost races (see {@link #lostRace}) since {@link #lossWindowStart}; racy by design. */
    private int lostRaces;
    /** The low bits of the get-hit count when the current window of lost races began; racy by design. */
    private int lossWindowStart;
    /**
     * Null until threads compete for this name's connections (see {@link Crowd}); from then on
     * {@link NameSlot} takes each thread's preferred place from it, and get and add count there.
     */
    private volatile Crowd crowd;
    final String name;
    /**
     * Shares handed out, null unless the pool is sharable. A striped adder: many threads share one
     * name at once, and a single counter line that all of them write would be the slowest part of
     * share + release.
     */
    private final LongAdder shares;
    private volatile AtomicLongArray rareCounters;
    /**
     * Connections adopted and created, created on the first. Every connection arrives one of these two
     * ways, so kept in the rare array they would create it for every name: 152 bytes per name where
     * this takes 48.
     */
    private volatile AtomicLongArray arrivals;
    /**
     * How much of each count has been moved to the pool's; null until the name is removed. Read and
     * written only under the pool's lock for moving counts (see {@link #moveCountsTo}).
     */
    private long[] moved;

    NameCounters(PoolContext<C> context, String name, boolean sharable) {
        super(context);
        this.name = name;
        this.shares = sharable ? new LongAdder() : null;
    }

    /** Visits every entry that holds a place: idle, shared, retiring, on loan or being taken or added. */
    abstract void forEachPlaced(Consumer<? super PooledConnection<C>> action);

    // ---- counting --------------------------------------------------------------------------------

    /**
     * Counts one event other than an add, a get hit or a share (which have methods of their own,
     * called while the caller holds a connection of this name, so never on a retired name). These can
     * come when the name holds nothing (a miss, a rejection, an overflow at the open limit):
     * housekeeping may have retired the name and moved its counts to the pool's before such a count
     * lands.
     *
     * @return true when the name was found retired after counting: the caller must then move what is
     *     left to the pool's counts ({@link #moveCountsTo} moves each count once, whoever calls)
     */
    boolean increment(Counter counter) {
        if (counter == Counter.ADOPTED || counter == Counter.CREATED) {
            createdOnce(ARRIVALS, () -> new AtomicLongArray(ARRIVAL_COUNT))
                    .incrementAndGet(counter.ordinal() - Counter.ADOPTED.ordinal());
        } else if (counter == Counter.ADDED || counter == Counter.GET_HITS || counter == Counter.SHARES) {
            throw new IllegalArgumentException(counter + " is counted by its own method, with a connection held");
        } else {
            createdOnce(RARE_COUNTERS, () -> new AtomicLongArray(Counter.all().length)).incrementAndGet(counter.ordinal());
        }
        // Read after the count: if the retirement is not seen here, it comes later, and the move that
        // follows it finds the count.
        return isRetired();
    }

    @Override
    final void countAdded() {
        Crowd c = crowd;
        if (c == null) {
            ADDED.getAndAdd(this, 1L);
        } else {
            c.countAdded();
        }
    }

    final void countShare() {
        shares.increment();
    }

    final void countGetHit() {
        Crowd c = crowd;
        if (c == null) {
            GET_HITS.getAndAdd(this, 1L);
        } else {
            c.countGetHit();
        }
    }

    @Override
    public final long count(Counter counter) {
        switch (counter) {
            case ADDED: {
                Crowd c = crowd;
                return added + (c == null ? 0 : c.added());
            }
            case GET_HITS: {
                Crowd c = crowd;
                return getHits + (c == null ? 0 : c.getHits());
            }
            case SHARES:
                return shares == null ? 0 : shares.sum();
            case ADOPTED:
            case CREATED:
                AtomicLongArray arrived = arrivals;
                return arrived == null ? 0 : arrived.get(counter.ordinal() - Counter.ADOPTED.ordinal());
            default:
                AtomicLongArray rare = rareCounters;
                return rare == null ? 0 : rare.get(counter.ordinal());
        }
    }

    /**
     * Adds to {@code target} what this retired name has counted beyond what earlier calls moved (see
     * {@link #increment}); the name's own figures stay as they are, so whoever holds its
     * {@link NameStatistics} still reads them. Called only under the pool's lock for moving counts
     * (one mover at a time).
     */
    final void moveCountsTo(AtomicLongArray target) {
        if (moved == null) {
            moved = new long[Counter.all().length];
        }
        for (Counter counter : Counter.all()) {
            int i = counter.ordinal();
            long now = count(counter);
            if (now > moved[i]) {
                target.addAndGet(i, now - moved[i]);
                moved[i] = now;
            }
        }
    }

    @Override
    public final void checkLeak(PooledConnection<?> e, long now) {
        // Counted directly: a name never retires while one of its connections is on loan.
        context.leaks.check(name, e, now, () -> increment(Counter.LEAKS));
    }

    // ---- the crowd -------------------------------------------------------------------------------

    /** The name's {@link Crowd}, or null while threads do not compete for its connections. */
    final Crowd crowd() {
        return crowd;
    }

    /**
     * Called when a compare-and-set to take an idle connection failed because another thread changed
     * that connection since it was read. Creates the name's {@link Crowd} once such lost races are
     * frequent: {@link #CROWD_LOST_RACES} of them within {@link #CROWD_WINDOW} gets. Threads that
     * meet on a name only now and then (two threads among a thousand names) lose a race far more
     * rarely; for them a crowd would only add cache lines to every call. Package-private for tests.
     */
    final void lostRace() {
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
    final Crowd crowded() {
        return createdOnce(CROWD, Crowd::new);
    }

    /** Whether threads have competed for this name's connections (tests). */
    final boolean isCrowded() {
        return crowd != null;
    }

    // ---- the figures of NameStatistics -----------------------------------------------------------

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int idle() {
        return new PlacedStates(this).idle;
    }

    @Override
    public final int inUse() {
        return Math.max(0, openCount() - idle());
    }

    @Override
    public final int sharedConnections() {
        return new PlacedStates(this).shared;
    }

    @Override
    public final int activeShares() {
        return new PlacedStates(this).leases;
    }

    /** All figures, the state ones from one pass over the places (the endpoint snapshots every name). */
    @Override
    public final Counts snapshot() {
        PlacedStates placed = new PlacedStates(this);
        long[] counts = new long[Counter.all().length];
        for (Counter counter : Counter.all()) {
            counts[counter.ordinal()] = count(counter);
        }
        return new Counts(placed.idle, Math.max(0, openCount() - placed.idle), placed.shared, placed.leases,
                waiting(), counts);
    }

    @Override
    public final String poolName() {
        return context.poolName;
    }

    @Override
    public String toString() {
        return "NameStatistics[" + context.poolName + "/" + NameMasking.mask(name) + "]";
    }

    /** Idle entries (shared or not), shared ones and their leases, tallied in one pass over the places. */
    private static final class PlacedStates implements Consumer<PooledConnection<?>> {

        int idle;
        int shared;
        int leases;

        PlacedStates(NameCounters<?> name) {
            name.forEachPlaced(this);
        }

        @Override
        public void accept(PooledConnection<?> e) {
            int state = e.state();
            if (state >= 0) {
                idle++;
                int sharers = PooledConnection.sharers(state);
                if (sharers > 0) {
                    shared++;
                    leases += sharers;
                }
            }
        }
    }
}
