package io.poolrepos;

import static io.poolrepos.PooledConnection.CLOSED;
import static io.poolrepos.PooledConnection.RETIRING;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connections of one name in one pool.
 *
 * <p>Idle connections sit in a fixed array of {@code maxIdlePerName} places, so the idle limit is
 * exact and nothing is allocated per call. An entry is taken by winning a compare-and-set on its
 * state (see {@link PooledConnection}); only the winner clears its place, and a place is filled only
 * while it is empty. No lock is taken by add, get or share; a lock exists only for callers of
 * {@code acquire} that must wait, and is touched by others only while someone waits.
 *
 * <p>{@link #open} counts entries that are not closed (idle, shared, on loan, being added) plus
 * connects in progress. When it is 0 and nobody waits, housekeeping may retire the slot by setting
 * it to {@link #RETIRED}; from then on no connection can enter it and callers look the name up again.
 */
final class NameSlot<C> implements NameStatistics {

    static final int RETIRED = Integer.MIN_VALUE;
    static final int RESERVED = 0;
    static final int FULL = 1;
    static final int GONE = 2;

    final DefaultConnectionPool<C> pool;
    final String name;
    private final AtomicReferenceArray<PooledConnection<C>> idle;
    final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger waiters = new AtomicInteger();
    /**
     * Times the last sharer of an entry left, making it idle and unshared again. Together with the
     * ADDED counter (bumped by every placement) it counts the moments an entry became idle; a scan
     * that found nothing is trusted only if that count did not move meanwhile: entries change
     * places, and a scan could otherwise pass an entry's new place before it arrived and its old
     * one after it left, and report "nothing idle" although something was idle all along.
     */
    private final AtomicInteger lastSharerLeft = new AtomicInteger();
    /** Place filled last: under LIFO the connection to hand out next, tried before any scan. Racy by design. */
    private int lastPlaced;
    private final AtomicLongArray counters = Counter.newArray();
    private final ReentrantLock waitLock = new ReentrantLock();
    private final Condition available = waitLock.newCondition();

    NameSlot(DefaultConnectionPool<C> pool, String name, int maxIdle) {
        this.pool = pool;
        this.name = name;
        this.idle = new AtomicReferenceArray<>(maxIdle);
    }

    // ---- taking and giving back ------------------------------------------------------------------

    /**
     * Claims the idle, unshared entry that the idle order puts first (state TAKING, out of the idle
     * array), or returns null. The caller moves it on to LOANED or CLOSED.
     */
    PooledConnection<C> claimIdle(boolean lifo) {
        int length = idle.length();
        if (lifo && length > 0) {
            PooledConnection<C> last = idle.get(lastPlaced);
            if (last != null && last.state() == 0 && last.casState(0, PooledConnection.TAKING)) {
                return claimed(last);
            }
        }
        for (;;) {
            long events = idleEvents();
            PooledConnection<C> best = null;
            long bestStamp = 0;
            for (int i = 0; i < length; i++) {
                PooledConnection<C> e = idle.get(i);
                if (e == null || e.state() != 0) {
                    continue;
                }
                long stamp = e.stamp;
                if (best == null || (lifo ? stamp > bestStamp : stamp < bestStamp)) {
                    best = e;
                    bestStamp = stamp;
                }
            }
            if (best == null) {
                if (idleEvents() == events) {
                    return null;
                }
                continue;
            }
            if (best.casState(0, PooledConnection.TAKING)) {
                return claimed(best);
            }
            // Another thread took or shared it first: look again.
        }
    }

    private PooledConnection<C> claimed(PooledConnection<C> e) {
        // We own it now; its index is the one its placer published with state 0.
        idle.compareAndSet(e.index, e, null);
        pool.releaseIdlePlace();
        return e;
    }

    /**
     * Puts an entry the caller owns (state RETURNING) into an empty place, publishes it as idle and
     * counts it as added.
     *
     * @return false when every place is taken
     */
    boolean place(PooledConnection<C> e) {
        int length = idle.length();
        // The place it left first: connections that keep their places keep scans short and stable.
        int previous = e.index;
        if (previous >= 0 && previous < length && idle.get(previous) == null
                && idle.compareAndSet(previous, null, e)) {
            return placed(e, previous);
        }
        for (int i = 0; i < length; i++) {
            if (idle.get(i) == null && idle.compareAndSet(i, null, e)) {
                return placed(e, i);
            }
        }
        return false;
    }

    private boolean placed(PooledConnection<C> e, int i) {
        e.index = i;
        lastPlaced = i;
        e.setState(0);
        count(Counter.ADDED);
        return true;
    }

    /** How many times an entry became idle and unshared; see {@link #lastSharerLeft}. */
    private long idleEvents() {
        return counters.get(Counter.ADDED) + lastSharerLeft.get();
    }

    /**
     * Joins the entry with the fewest sharers below {@code maxSharers}, or returns null. An entry
     * with no sharer is claimed as PROBING instead, so that it can be checked alone before it
     * becomes shared; otherwise its sharer count is already incremented.
     */
    PooledConnection<C> claimShare(int maxSharers) {
        int length = idle.length();
        for (;;) {
            long events = idleEvents();
            PooledConnection<C> best = null;
            int bestLoad = Integer.MAX_VALUE;
            for (int i = 0; i < length && bestLoad > 0; i++) {
                PooledConnection<C> e = idle.get(i);
                if (e == null) {
                    continue;
                }
                int s = e.state();
                // RETIRING makes s larger than any allowed sharer count, so retiring entries are skipped.
                if (s >= 0 && s < maxSharers && s < bestLoad) {
                    best = e;
                    bestLoad = s;
                }
            }
            if (best == null) {
                if (idleEvents() == events) {
                    return null;
                }
                continue;
            }
            if (best.casState(bestLoad, bestLoad == 0 ? PooledConnection.PROBING : bestLoad + 1)) {
                return best;
            }
        }
    }

    /** Gives back one share of {@code e}; the last sharer of a retiring entry closes it. */
    void releaseShare(PooledConnection<C> e) {
        int s;
        int n;
        do {
            s = e.state();
            n = s - 1;
            if (n == 0) {
                e.setStamp(pool.now());
            }
        } while (!e.casState(s, n));
        if (n == RETIRING) {
            if (e.casState(RETIRING, CLOSED)) {
                finishClose(e, e.retireCause(), true);
            }
        } else if (n == 0) {
            lastSharerLeft.incrementAndGet();
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
            int s = e.state();
            if (s < 0 || (s & RETIRING) != 0) {
                return false;
            }
            if (s == 0) {
                if (e.casState(0, CLOSED)) {
                    finishClose(e, cause, true);
                    return true;
                }
            } else {
                e.setRetireCauseOnce(cause);
                if (e.casState(s, s | RETIRING)) {
                    return false;
                }
            }
        }
    }

    /**
     * Completes the close of an entry whose state this thread moved to CLOSED: frees its places,
     * counts it, closes the connection (outside any lock) and wakes a waiter for the freed place.
     */
    void finishClose(PooledConnection<C> e, int cause, boolean inIdleArray) {
        if (inIdleArray && idle.compareAndSet(e.index, e, null)) {
            pool.releaseIdlePlace();
        }
        e.clearLoan();
        pool.repository().untrack(e);
        open.decrementAndGet();
        count(cause);
        pool.closeQuietly(e.connection);
        signalWaiter();
    }

    // ---- capacity and waiting --------------------------------------------------------------------

    /** Reserves one place among the open connections: {@link #RESERVED}, {@link #FULL} or {@link #GONE}. */
    int reserveOpen(int maxOpen) {
        for (;;) {
            int o = open.get();
            if (o < 0) {
                return GONE;
            }
            if (maxOpen > 0 && o >= maxOpen) {
                return FULL;
            }
            if (open.compareAndSet(o, o + 1)) {
                return RESERVED;
            }
        }
    }

    void releaseOpen() {
        open.decrementAndGet();
        signalWaiter();
    }

    /** Marks the slot retired if it holds nothing and nobody waits; then no connection can enter it. */
    boolean tryRetire() {
        return waiters.get() == 0 && open.compareAndSet(0, RETIRED);
    }

    boolean isRetired() {
        return open.get() < 0;
    }

    /**
     * Waits until something may have come free or the deadline passes.
     *
     * @return false when the deadline has passed
     * @throws WaiterLimitExceededException when too many callers wait already
     */
    boolean awaitAvailable(long deadline, int maxOpen, int maxWaiters) throws InterruptedException {
        if (waiters.incrementAndGet() > maxWaiters) {
            waiters.decrementAndGet();
            throw new WaiterLimitExceededException(pool.poolName(), name, maxWaiters);
        }
        waitLock.lock();
        try {
            // Checked after announcing ourselves in `waiters`: anyone freeing a place after this check
            // sees the count and signals under the lock, so the signal cannot be missed.
            if (pool.isClosed() || hasUnsharedIdle() || (open.get() >= 0 && open.get() < maxOpen)) {
                return true;
            }
            long remaining = deadline - pool.preciseNow();
            if (remaining <= 0) {
                return false;
            }
            available.await(remaining, TimeUnit.NANOSECONDS);
            return true;
        } finally {
            waitLock.unlock();
            waiters.decrementAndGet();
        }
    }

    void signalWaiter() {
        if (waiters.get() > 0) {
            waitLock.lock();
            try {
                available.signal();
            } finally {
                waitLock.unlock();
            }
        }
    }

    void signalAllWaiters() {
        waitLock.lock();
        try {
            available.signalAll();
        } finally {
            waitLock.unlock();
        }
    }

    private boolean hasUnsharedIdle() {
        for (int i = 0; i < idle.length(); i++) {
            PooledConnection<C> e = idle.get(i);
            if (e != null && e.state() == 0) {
                return true;
            }
        }
        return false;
    }

    /** Visits every entry in the idle array (idle, shared or retiring). */
    void forEachIdle(java.util.function.Consumer<PooledConnection<C>> action) {
        for (int i = 0; i < idle.length(); i++) {
            PooledConnection<C> e = idle.get(i);
            if (e != null) {
                action.accept(e);
            }
        }
    }

    // ---- statistics ------------------------------------------------------------------------------

    void count(int counter) {
        counters.incrementAndGet(counter);
    }

    long counter(int counter) {
        return counters.get(counter);
    }

    void addCountersTo(AtomicLongArray target) {
        for (int i = 0; i < Counter.COUNT; i++) {
            target.addAndGet(i, counters.get(i));
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
        for (int i = 0; i < idle.length(); i++) {
            PooledConnection<C> e = idle.get(i);
            if (e != null && e.state() >= 0) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int inUse() {
        return Math.max(0, open.get() - idle());
    }

    @Override
    public int sharedConnections() {
        int n = 0;
        for (int i = 0; i < idle.length(); i++) {
            PooledConnection<C> e = idle.get(i);
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
        for (int i = 0; i < idle.length(); i++) {
            PooledConnection<C> e = idle.get(i);
            int s;
            if (e != null && (s = e.state()) >= 0) {
                n += PooledConnection.sharers(s);
            }
        }
        return n;
    }

    @Override
    public int waiting() {
        return waiters.get();
    }

    /** One pass over the places for all four state figures (the endpoint snapshots every name). */
    @Override
    public Counts snapshot() {
        int idleNow = 0;
        int shared = 0;
        int shares = 0;
        for (int i = 0; i < idle.length(); i++) {
            PooledConnection<C> e = idle.get(i);
            int s;
            if (e != null && (s = e.state()) >= 0) {
                idleNow++;
                int sharers = PooledConnection.sharers(s);
                if (sharers > 0) {
                    shared++;
                    shares += sharers;
                }
            }
        }
        return new Counts(idleNow, Math.max(0, open.get() - idleNow), shared, shares, waiters.get(), added(),
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
}
