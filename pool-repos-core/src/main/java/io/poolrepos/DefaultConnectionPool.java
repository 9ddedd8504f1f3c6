package io.poolrepos;

import static io.poolrepos.PooledConnection.CLOSED;
import static io.poolrepos.PooledConnection.LOANED;
import static io.poolrepos.PooledConnection.RETURNING;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The one implementation of {@link ConnectionPool}. Names map to {@link NameSlot}s in a concurrent
 * map; a call touches one slot and the repository's connection index, never a structure whose size
 * grows with the number of names.
 */
final class DefaultConnectionPool<C> implements ConnectionPool<C> {

    private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());

    private final DefaultPoolRepository repository;
    private final String poolName;
    private final ConnectionAdapter<C> adapter;
    private final PoolSettings settings;
    private final ConnectionFactory<? extends C> factory;

    private final ConcurrentHashMap<String, NameSlot<C>> slots = new ConcurrentHashMap<>();
    private final AtomicInteger nameCount = new AtomicInteger();
    private final AtomicInteger idleInPool = new AtomicInteger();
    /** Counts of names removed since, and of events on names the pool did not hold. */
    private final AtomicLongArray detached = Counter.newArray();
    /**
     * Write-held while a removed name's counts move into {@link #detached}, read-held by readers of
     * the totals, so that these never go down (a monitoring system would take a drop for a reset).
     * Neither add, get nor share takes it; a count on a name being removed moves under it (see
     * {@link NameSlot#count}).
     */
    private final ReadWriteLock countsMoving = new ReentrantReadWriteLock();
    private final PoolTotals totals = new PoolTotals();

    private final boolean lifo;
    private final int maxIdleInPool;
    private final long idleTimeoutNanos;
    private final long maxLifetimeNanos;
    private final long acquireTimeoutNanos;
    private final long leakThresholdNanos;
    private final long probeAfterIdleNanos;

    private volatile boolean closed;
    /**
     * Tests only: run by a returning connection that has chosen the place of a connection on loan,
     * just before it marks that one unplaced, and just after, so that a test can change the pool in
     * between. Null otherwise; read only on that rare path.
     */
    volatile Runnable pauseBeforeMarkingUnplaced;
    volatile Runnable pauseAfterMarkingUnplaced;
    /**
     * Tests only: run by a connection being put into an empty or freed place, once it is idle and
     * before the compare-and-set that puts it there (see {@link NameSlot#tryPlace}). Null otherwise;
     * read when a connection is placed anew, never on the give-back to the place it kept.
     */
    volatile Runnable pauseBeforePlacing;

    DefaultConnectionPool(DefaultPoolRepository repository, String poolName, ConnectionAdapter<C> adapter,
            PoolSettings settings, ConnectionFactory<? extends C> factory) {
        this.repository = repository;
        this.poolName = poolName;
        this.adapter = adapter;
        this.settings = settings;
        this.factory = factory;
        this.lifo = settings.idleOrder() == IdleOrder.LIFO;
        this.maxIdleInPool = settings.maxIdleInPool();
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
        this.maxLifetimeNanos = settings.maxLifetime().toNanos();
        this.acquireTimeoutNanos = settings.acquireTimeout().toNanos();
        this.leakThresholdNanos = settings.leakDetectionThreshold().toNanos();
        this.probeAfterIdleNanos = settings.probeAfterIdle().toNanos();
    }

    // ---- the pool's calls ------------------------------------------------------------------------

    @Override
    public AddResult add(String name, C connection) {
        Checks.notNull(name, "name");
        Checks.notNull(connection, "connection");
        // The common case: a connection taken from this name comes back and still holds its place
        // there. Finding the very object among the slot's places proves it is this pool's and this
        // name's; anything else takes the general path through the repository's connection index.
        NameSlot<C> slot = slots.get(name);
        if (slot != null) {
            PooledConnection<C> e = slot.placedEntryOf(connection);
            if (e != null && e.state() == LOANED) {
                AddResult result = giveBackInPlace(slot, e);
                if (result != null) {
                    return result;
                }
                if (e.casState(LOANED, RETURNING)) {
                    return giveBack(slot, e);
                }
            }
        }
        return addAnyConnection(name, connection);
    }

    /**
     * The give-back of a healthy connection that kept its place: checked while still on loan, then
     * made idle by one compare-and-set from LOANED to 0. Null when it must take the general path
     * (found unfit, or its state changed meanwhile).
     */
    private AddResult giveBackInPlace(NameSlot<C> slot, PooledConnection<C> e) {
        long now = now();
        if (closed || !isUsable(e.connection) || (maxLifetimeNanos > 0 && now - e.createdAt >= maxLifetimeNanos)
                || !reserveIdlePlace()) {
            return null;
        }
        // Written before the compare-and-set that publishes them. Only a caller misusing the API (two
        // threads giving back one connection at once) could write them without winning it, and then
        // only with a time of its own; the loser is rejected on the general path.
        e.setStamp(now);
        e.clearLoan();
        if (!slot.idleAgain(e)) {
            releaseIdlePlace();
            return null;
        }
        if (closed) {
            // close() sweeps the places after setting `closed`; an entry made idle after the sweep is caught here.
            slot.retire(e, Counter.DISCARDED);
            return AddResult.CLOSED_POOL_CLOSED;
        }
        slot.signalWaiter();
        return AddResult.POOLED;
    }

    private AddResult addAnyConnection(String name, C connection) {
        if (!adapter.connectionType().isInstance(connection)) {
            throw reject(null, name, ConnectionRejectedException.Reason.WRONG_TYPE, "expected "
                    + adapter.connectionType().getName() + ", got " + connection.getClass().getName());
        }
        for (;;) {
            PooledConnection<?> known = repository.tracked(connection);
            if (known == null) {
                // A known connection's name was checked when it first came; only new ones need it.
                Checks.name(name, "name");
                return adopt(name, connection);
            }
            NameSlot<C> slot = owned(known, name);
            @SuppressWarnings("unchecked")
            PooledConnection<C> e = (PooledConnection<C>) known;
            int s = e.state();
            if (s == LOANED) {
                AddResult result = giveBackInPlace(slot, e);
                if (result != null) {
                    return result;
                }
                if (e.casState(LOANED, RETURNING)) {
                    return giveBack(slot, e);
                }
                continue; // someone else changed it meanwhile: look again
            }
            if (s == PooledConnection.LOANED_UNPLACED) {
                if (e.casState(s, RETURNING)) {
                    // Its place went to another entry; it must look for one like a new connection.
                    e.index = -1;
                    return giveBack(slot, e);
                }
                continue;
            }
            throw reject(slot, name, rejectionFor(s), describe(s));
        }
    }

    @Override
    public Optional<C> get(String name) {
        // Kept this small so that it inlines into the caller, where the Optional usually needs no allocation.
        PooledConnection<C> e = takeForGet(name);
        return e == null ? Optional.empty() : Optional.of(e.connection);
    }

    private PooledConnection<C> takeForGet(String name) {
        Checks.notNull(name, "name");
        ensureOpen();
        NameSlot<C> slot = slots.get(name);
        if (slot == null) {
            // Names that have a slot were checked when they came; a blank one never gets one.
            Checks.name(name, "name");
            detached.incrementAndGet(Counter.GET_MISSES);
            return null;
        }
        PooledConnection<C> e = takeIdle(slot);
        if (e == null) {
            slot.count(Counter.GET_MISSES);
        } else {
            slot.count(Counter.GET_HITS);
        }
        return e;
    }

    @Override
    public Optional<SharedLease<C>> share(String name) {
        // Kept this small so that it inlines into the caller, where the Optional usually needs no allocation.
        PooledConnection<C> e = join(name);
        return e == null ? Optional.empty() : Optional.of(new DefaultSharedLease<>(e));
    }

    /** Joins a connection of {@code name} as one more sharer, or returns null if none can be shared. */
    private PooledConnection<C> join(String name) {
        Checks.name(name, "name");
        if (!settings.sharable()) {
            throw new PoolNotSharableException(poolName);
        }
        ensureOpen();
        NameSlot<C> slot = slots.get(name);
        if (slot == null) {
            return null;
        }
        PooledConnection<C> e = slot.claimShare(settings.maxSharersPerConnection());
        if (e == null) {
            return null;
        }
        if (closed) {
            // close() may have passed it before we joined; the lease closes it on release.
            slot.retire(e, Counter.DISCARDED);
        }
        slot.count(Counter.SHARES);
        return e;
    }

    /**
     * Why a connection about to get a sharer must not, or -1 if it may: lifetime and liveness always,
     * the idle timeout only for its first sharer (it stops counting while the connection is shared).
     * Sharable pools get the cheap liveness check only; see {@link #isUsable}.
     */
    int unfitForSharing(PooledConnection<C> e, boolean firstSharer) {
        return unusableCause(e, now(), firstSharer, false);
    }

    @Override
    public C acquire(String name) {
        Checks.name(name, "name");
        if (factory == null) {
            throw new NoConnectionFactoryException(poolName);
        }
        ensureOpen();
        long start = preciseNow();
        long deadline = start + acquireTimeoutNanos;
        NameSlot<C> slot = slotFor(name);
        try {
            for (;;) {
                ensureOpen();
                PooledConnection<C> e = takeIdle(slot);
                if (e != null) {
                    // One call, one hit or one miss: a hit if it ends with an idle connection,
                    // even after waiting; a miss if it connects or fails.
                    slot.count(Counter.GET_HITS);
                    repository.fireAcquireCompleted(this, name, preciseNow() - start, PoolListener.AcquireOutcome.IDLE);
                    return e.connection;
                }
                int reservation = slot.reserveOpen(settings.maxOpenPerName());
                if (reservation == NameSlot.RESERVED) {
                    slot.count(Counter.GET_MISSES);
                    C c = connect(slot);
                    repository.fireAcquireCompleted(this, name, preciseNow() - start, PoolListener.AcquireOutcome.CREATED);
                    return c;
                }
                if (reservation == NameSlot.GONE) {
                    slot = slotFor(name);
                    continue;
                }
                if (!awaitAvailable(slot, deadline)) {
                    slot.count(Counter.GET_MISSES);
                    slot.count(Counter.ACQUIRE_TIMEOUTS);
                    int idle = slot.idle();
                    throw new AcquireTimeoutException(poolName, name, settings.acquireTimeout(), idle,
                            Math.max(0, slot.openCount() - idle), slot.waiting(), settings.maxOpenPerName());
                }
            }
        } catch (AcquireTimeoutException ex) {
            repository.fireAcquireCompleted(this, name, preciseNow() - start, PoolListener.AcquireOutcome.TIMEOUT);
            throw ex;
        } catch (PoolReposException ex) {
            repository.fireAcquireCompleted(this, name, preciseNow() - start, PoolListener.AcquireOutcome.FAILED);
            throw ex;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            repository.fireAcquireCompleted(this, name, preciseNow() - start, PoolListener.AcquireOutcome.FAILED);
            throw new PoolReposException("Pool '" + poolName + "', name '" + name
                    + "': interrupted while waiting in acquire", ex);
        }
    }

    private boolean awaitAvailable(NameSlot<C> slot, long deadline) throws InterruptedException {
        try {
            return slot.awaitAvailable(deadline, settings.maxOpenPerName(), settings.maxWaitersPerName());
        } catch (WaiterLimitExceededException ex) {
            slot.count(Counter.GET_MISSES);
            throw ex;
        }
    }

    @Override
    public void discard(String name, C connection) {
        Checks.name(name, "name");
        Checks.notNull(connection, "connection");
        PooledConnection<?> known = repository.tracked(connection);
        if (known == null || known.slot.pool != this || !known.slot.name.equals(name)) {
            throw reject(slots.get(name), name, ConnectionRejectedException.Reason.NOT_ON_LOAN,
                    "it was not taken from this pool under this name");
        }
        @SuppressWarnings("unchecked")
        PooledConnection<C> e = (PooledConnection<C>) known;
        for (;;) {
            int s = e.state();
            if (!PooledConnection.onLoan(s)) {
                throw reject(e.slot, name, ConnectionRejectedException.Reason.NOT_ON_LOAN,
                        "it is not on loan: " + describe(s));
            }
            if (e.casState(s, CLOSED)) {
                break;
            }
            // A returning connection took its place meanwhile (LOANED to LOANED_UNPLACED): still on loan.
        }
        e.slot.finishClose(e, Counter.DISCARDED, false);
    }

    @Override
    public int drain(String name) {
        Checks.name(name, "name");
        NameSlot<C> slot = slots.get(name);
        return slot == null ? 0 : drain(slot);
    }

    @Override
    public int drainAll() {
        int closedNow = 0;
        for (NameSlot<C> slot : slots.values()) {
            closedNow += drain(slot);
        }
        return closedNow;
    }

    private int drain(NameSlot<C> slot) {
        int[] closedNow = {0};
        slot.forEachPlaced(e -> {
            if (slot.retire(e, Counter.DISCARDED)) {
                closedNow[0]++;
            }
        });
        return closedNow[0];
    }

    // ---- the parts behind the calls --------------------------------------------------------------

    /** Claims an idle entry and checks it, closing dead or expired ones, until one is fit or none is left. */
    private PooledConnection<C> takeIdle(NameSlot<C> slot) {
        for (;;) {
            PooledConnection<C> e = slot.claimIdle(lifo);
            if (e == null) {
                return null;
            }
            long now = now();
            // The thorough check only for connections idle a while: add ran it on the others.
            int cause = unusableCause(e, now, true, now - e.stamp >= probeAfterIdleNanos);
            if (cause >= 0) {
                e.setState(CLOSED);
                slot.finishClose(e, cause, false);
                continue;
            }
            lend(e, now);
            return e;
        }
    }

    /** Hands an entry this thread owns out for exclusive use: from here on {@code add} takes it back. */
    private void lend(PooledConnection<C> e, long now) {
        e.setStamp(now);
        e.clearLoan();
        if (leakThresholdNanos > 0) {
            // Written after the stamp: housekeeping reads the trace first, then the stamp.
            e.loanTrace = new Throwable("Connection of pool '" + poolName + "', name '" + e.slot.name
                    + "' taken here by thread " + Thread.currentThread().getName());
        }
        // LOANED always means "holds its place": a give-back then only needs to flip the state.
        if (e.index < 0) {
            e.setState(PooledConnection.LOANED_UNPLACED);
        } else if (!e.casState(PooledConnection.TAKING, LOANED)) {
            // A connection given back meanwhile took its place (TAKING to TAKING_UNPLACED); nobody
            // else changes that state, so a plain store hands it out.
            e.index = -1;
            e.setState(PooledConnection.LOANED_UNPLACED);
        }
    }

    /**
     * The counter that explains why {@code e} must not be handed out, or -1 if it may be.
     *
     * @param idleMatters whether the idle timeout applies (it does not while others share it)
     * @param thorough whether to run the thorough {@link ConnectionAdapter#isUsable} check instead of
     *     {@link ConnectionAdapter#isAlive}; only where this thread holds the entry alone
     */
    private int unusableCause(PooledConnection<C> e, long now, boolean idleMatters, boolean thorough) {
        if (maxLifetimeNanos > 0 && now - e.createdAt >= maxLifetimeNanos) {
            return Counter.EVICTED_LIFETIME;
        }
        if (idleMatters && idleTimeoutNanos > 0 && now - e.stamp >= idleTimeoutNanos) {
            return Counter.EVICTED_IDLE;
        }
        if (!(thorough ? isUsable(e.connection) : isAlive(e.connection))) {
            return Counter.CLOSED_DEAD;
        }
        return -1;
    }

    /**
     * The thorough check, where it is safe. Connections of a sharable pool commonly carry a reader
     * thread of the application (to multiplex replies) even while idle, and a probe that switches
     * blocking mode would wait for that reader forever; so sharable pools get the cheap check only.
     */
    private boolean isUsable(C connection) {
        return settings.sharable() ? isAlive(connection) : isUsableByAdapter(connection);
    }

    /** First sight of a connection: track it under {@code name}, then give it back like any other. */
    private AddResult adopt(String name, C connection) {
        if (closed) {
            detached.incrementAndGet(Counter.ADOPTED);
            detached.incrementAndGet(Counter.DISCARDED);
            closeQuietly(connection);
            return AddResult.CLOSED_POOL_CLOSED;
        }
        for (;;) {
            NameSlot<C> slot = slotFor(name);
            int reservation = slot.reserveOpen(settings.maxOpenPerName());
            if (reservation == NameSlot.GONE) {
                continue;
            }
            if (reservation == NameSlot.FULL) {
                slot.count(Counter.ADOPTED);
                slot.count(Counter.OVERFLOWED);
                closeQuietly(connection);
                return AddResult.CLOSED_OVERFLOW;
            }
            long now = now();
            PooledConnection<C> e = new PooledConnection<>(connection, slot, now, RETURNING);
            PooledConnection<?> other = repository.track(connection, e);
            if (other != null) {
                slot.releaseOpen();
                // Another thread adopted the same connection a moment ago: whatever it is now, it
                // is not the caller's to give.
                throw reject(slot, name, ConnectionRejectedException.Reason.BEING_ADDED,
                        "the same connection is being added by another thread");
            }
            slot.count(Counter.ADOPTED);
            return giveBack(slot, e);
        }
    }

    /** Makes an entry this thread owns (state RETURNING) idle in a place, or closes it and says why. */
    private AddResult giveBack(NameSlot<C> slot, PooledConnection<C> e) {
        e.clearLoan();
        long now = now();
        AddResult result;
        int cause;
        if (closed) {
            result = AddResult.CLOSED_POOL_CLOSED;
            cause = Counter.DISCARDED;
        } else if (!isUsable(e.connection)) {
            result = AddResult.CLOSED_DEAD;
            cause = Counter.CLOSED_DEAD;
        } else if (maxLifetimeNanos > 0 && now - e.createdAt >= maxLifetimeNanos) {
            result = AddResult.CLOSED_EXPIRED;
            cause = Counter.EVICTED_LIFETIME;
        } else if (!reserveIdlePlace()) {
            result = AddResult.CLOSED_OVERFLOW;
            cause = Counter.OVERFLOWED;
        } else {
            e.setStamp(now);
            if (slot.place(e)) {
                // close() sweeps the places after setting `closed`; an entry placed after the sweep
                // is caught here (both sides write, then read the other's volatile).
                if (closed) {
                    slot.retire(e, Counter.DISCARDED);
                    return AddResult.CLOSED_POOL_CLOSED;
                }
                slot.signalWaiter();
                return AddResult.POOLED;
            }
            releaseIdlePlace();
            result = AddResult.CLOSED_OVERFLOW;
            cause = Counter.OVERFLOWED;
        }
        e.setState(CLOSED);
        slot.finishClose(e, cause, false);
        return result;
    }

    private C connect(NameSlot<C> slot) {
        C c;
        long start = preciseNow();
        try {
            c = factory.connect(slot.name);
            if (c == null) {
                throw new IllegalStateException("ConnectionFactory returned null");
            }
            if (!adapter.connectionType().isInstance(c)) {
                closeUnknown(c);
                throw new IllegalStateException("ConnectionFactory returned a " + c.getClass().getName()
                        + ", but the pool holds " + adapter.connectionType().getName());
            }
        } catch (Exception ex) {
            slot.count(Counter.CONNECT_FAILURES);
            slot.releaseOpen();
            repository.fireConnectCompleted(this, slot.name, preciseNow() - start, false);
            throw new ConnectFailedException(poolName, slot.name, ex);
        }
        long now = now();
        PooledConnection<C> e = new PooledConnection<>(c, slot, now, PooledConnection.TAKING);
        if (repository.track(c, e) != null) {
            slot.count(Counter.CONNECT_FAILURES);
            slot.releaseOpen();
            repository.fireConnectCompleted(this, slot.name, preciseNow() - start, false);
            throw new ConnectFailedException(poolName, slot.name,
                    new IllegalStateException("ConnectionFactory returned a connection the pool already holds"));
        }
        slot.count(Counter.CREATED);
        slot.placeOnLoan(e);
        lend(e, now);
        repository.fireConnectCompleted(this, slot.name, preciseNow() - start, true);
        return c;
    }

    /** The slot of {@code name}, created if new. */
    private NameSlot<C> slotFor(String name) {
        for (;;) {
            NameSlot<C> slot = slots.get(name);
            if (slot != null && !slot.isRetired()) {
                return slot;
            }
            if (slot != null) {
                // Housekeeping retired it a moment ago; finish its removal here rather than wait.
                removeRetired(slot);
                continue;
            }
            if (nameCount.incrementAndGet() > settings.maxNames()) {
                nameCount.decrementAndGet();
                detached.incrementAndGet(Counter.REJECTED);
                throw new NameLimitExceededException(poolName, name, settings.maxNames());
            }
            NameSlot<C> created = new NameSlot<>(this, name, settings.maxIdlePerName(), settings.sharable());
            NameSlot<C> existing = slots.putIfAbsent(name, created);
            if (existing != null) {
                nameCount.decrementAndGet();
                continue;
            }
            repository.fireNameAdded(this, created);
            return created;
        }
    }

    private NameSlot<C> owned(PooledConnection<?> known, String name) {
        if (known.slot.pool != this) {
            throw reject(slots.get(name), name, ConnectionRejectedException.Reason.TAKEN_FROM_OTHER_POOL,
                    "it belongs to pool '" + known.slot.pool.poolName() + "'");
        }
        @SuppressWarnings("unchecked")
        NameSlot<C> slot = (NameSlot<C>) known.slot;
        if (!slot.name.equals(name)) {
            throw reject(slot, name, ConnectionRejectedException.Reason.TAKEN_FROM_OTHER_NAME,
                    "it was taken from name '" + slot.name + "'; give it back under that name");
        }
        return slot;
    }

    private static ConnectionRejectedException.Reason rejectionFor(int state) {
        if (state == RETURNING) {
            return ConnectionRejectedException.Reason.BEING_ADDED;
        }
        if (state >= 0 && PooledConnection.sharers(state) > 0) {
            return ConnectionRejectedException.Reason.BEING_SHARED;
        }
        return ConnectionRejectedException.Reason.ALREADY_IDLE;
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

    private ConnectionRejectedException reject(NameSlot<C> slot, String name,
            ConnectionRejectedException.Reason reason, String detail) {
        if (slot != null) {
            slot.count(Counter.REJECTED);
        } else {
            detached.incrementAndGet(Counter.REJECTED);
        }
        return new ConnectionRejectedException(poolName, name, reason, detail);
    }

    // ---- pool-wide limits, time, closing ---------------------------------------------------------

    private boolean reserveIdlePlace() {
        if (maxIdleInPool == 0) {
            return true;
        }
        for (;;) {
            int n = idleInPool.get();
            if (n >= maxIdleInPool) {
                return false;
            }
            if (idleInPool.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void releaseIdlePlace() {
        if (maxIdleInPool != 0) {
            idleInPool.decrementAndGet();
        }
    }

    /** The repository's coarse clock: good for expiry and idle stamps, cheap enough for every call. */
    long now() {
        return repository.coarseNanoTime();
    }

    /** The precise clock, for acquire deadlines and the time an acquire took. */
    long preciseNow() {
        return repository.ticker().nanoTime();
    }

    boolean isAlive(C connection) {
        try {
            return adapter.isAlive(connection);
        } catch (RuntimeException ex) {
            LOG.log(Level.DEBUG, () -> "isAlive threw for a connection of pool '" + poolName + "'", ex);
            return false;
        }
    }

    /** Closes an object of the wrong type that a factory returned, if it can be closed at all. */
    private void closeUnknown(Object connection) {
        if (connection instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ex) {
                LOG.log(Level.DEBUG, "Closing a mistyped connection failed", ex);
            }
        }
    }

    private boolean isUsableByAdapter(C connection) {
        try {
            return adapter.isUsable(connection);
        } catch (RuntimeException ex) {
            LOG.log(Level.DEBUG, () -> "isUsable threw for a connection of pool '" + poolName + "'", ex);
            return false;
        }
    }

    void closeQuietly(C connection) {
        try {
            adapter.close(connection);
        } catch (Exception ex) {
            LOG.log(Level.DEBUG, () -> "Closing a connection of pool '" + poolName + "' failed", ex);
        }
    }

    DefaultPoolRepository repository() {
        return repository;
    }

    ConnectionAdapter<C> adapter() {
        return adapter;
    }

    private void ensureOpen() {
        if (closed) {
            throw new PoolClosedException(poolName);
        }
    }

    /** One housekeeping pass: evict expired and dead idle connections, then remove empty names. */
    void housekeep(long now) {
        for (NameSlot<C> slot : slots.values()) {
            slot.forEachPlaced(e -> {
                int s = e.state();
                if (s < 0 || (s & PooledConnection.RETIRING) != 0) {
                    return;
                }
                int cause = unusableCause(e, now, s == 0, false);
                if (cause >= 0) {
                    slot.retire(e, cause);
                }
            });
            if (slot.tryRetire()) {
                removeRetired(slot);
            }
        }
    }

    /** Reports a loaned entry once when it has been out for the leak threshold or longer. */
    void checkLeak(PooledConnection<C> e, long now) {
        if (leakThresholdNanos <= 0) {
            return;
        }
        Throwable trace = e.loanTrace;
        if (trace == null || !PooledConnection.onLoan(e.state())) {
            return;
        }
        long out = now - e.stamp;
        if (out < leakThresholdNanos) {
            return;
        }
        if (!e.leakReported(trace)) {
            return; // given back, and perhaps lent again, since we read the trace
        }
        e.slot.count(Counter.LEAKS);
        LOG.log(Level.WARNING, () -> "Possible connection leak: a connection of pool '" + poolName + "', name '"
                + e.slot.name + "' has been out on loan for " + out / 1_000_000 + "ms (leakDetectionThreshold "
                + settings.leakDetectionThreshold().toMillis() + "ms); give it back with add() or discard()", trace);
        repository.fireLeakDetected(this, e.slot.name, out, trace);
    }

    /**
     * Takes a retired slot out of the names, if nobody has yet, and moves its counts into the pool's.
     * Also called for a count that landed on the slot after its removal (see {@link NameSlot#count}):
     * the move is of what earlier moves left, so calling it again moves that count and nothing twice.
     */
    void removeRetired(NameSlot<C> slot) {
        boolean removed;
        // A name's removal and the move of its counts are one step to readers of the totals:
        // between the two, a reader would find the counts in neither place, and the totals would
        // go down for that reading.
        Lock lock = countsMoving.writeLock();
        lock.lock();
        try {
            removed = slots.remove(slot.name, slot);
            slot.moveCountsTo(detached);
        } finally {
            lock.unlock();
        }
        if (removed) {
            nameCount.decrementAndGet();
            repository.fireNameRemoved(this, slot);
        }
    }

    /** Closes the pool: no more hand-outs, idle connections closed now, shared ones after their last sharer. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (NameSlot<C> slot : slots.values()) {
            drain(slot);
            slot.signalAllWaiters();
        }
    }

    // ---- reading ---------------------------------------------------------------------------------

    @Override
    public String poolName() {
        return poolName;
    }

    @Override
    public Class<C> connectionType() {
        return adapter.connectionType();
    }

    @Override
    public PoolSettings settings() {
        return settings;
    }

    @Override
    public boolean canConnect() {
        return factory != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Statistics totals() {
        return totals;
    }

    @Override
    public Optional<NameStatistics> statistics(String name) {
        Checks.name(name, "name");
        return Optional.ofNullable(slots.get(name));
    }

    @Override
    public List<NameStatistics> names() {
        return new ArrayList<>(slots.values());
    }

    @Override
    public PoolSnapshot snapshot() {
        List<NameSnapshot> rows = new ArrayList<>(slots.size());
        long[] removed = new long[Counter.COUNT];
        Lock lock = countsMoving.readLock();
        lock.lock();
        try {
            for (NameSlot<C> slot : slots.values()) {
                rows.add(new NameSnapshot(slot.name, slot.snapshot()));
            }
            for (int i = 0; i < Counter.COUNT; i++) {
                removed[i] = detached.get(i);
            }
        } finally {
            lock.unlock();
        }
        rows.sort(Comparator.comparing(NameSnapshot::name));
        return new PoolSnapshot(poolName, adapter.connectionType(), settings, closed, sum(removed, rows), rows);
    }

    /** The pool's totals: the counts of removed names ({@code c}, summed into) and of every row. */
    private static Counts sum(long[] c, List<NameSnapshot> rows) {
        int idle = 0;
        int inUse = 0;
        int shared = 0;
        int shares = 0;
        int waiting = 0;
        for (NameSnapshot row : rows) {
            Counts n = row.counts();
            idle += n.idle();
            inUse += n.inUse();
            shared += n.sharedConnections();
            shares += n.activeShares();
            waiting += n.waiting();
            c[Counter.ADDED] += n.added();
            c[Counter.ADOPTED] += n.adopted();
            c[Counter.CREATED] += n.created();
            c[Counter.GET_HITS] += n.getHits();
            c[Counter.GET_MISSES] += n.getMisses();
            c[Counter.SHARES] += n.shares();
            c[Counter.CLOSED_DEAD] += n.closedDead();
            c[Counter.EVICTED_IDLE] += n.evictedIdle();
            c[Counter.EVICTED_LIFETIME] += n.evictedLifetime();
            c[Counter.OVERFLOWED] += n.overflowed();
            c[Counter.DISCARDED] += n.discarded();
            c[Counter.REJECTED] += n.rejected();
            c[Counter.LEAKS] += n.leaks();
            c[Counter.ACQUIRE_TIMEOUTS] += n.acquireTimeouts();
            c[Counter.CONNECT_FAILURES] += n.connectFailures();
        }
        return new Counts(idle, inUse, shared, shares, waiting, c[Counter.ADDED], c[Counter.ADOPTED],
                c[Counter.CREATED], c[Counter.GET_HITS], c[Counter.GET_MISSES], c[Counter.SHARES],
                c[Counter.CLOSED_DEAD], c[Counter.EVICTED_IDLE], c[Counter.EVICTED_LIFETIME], c[Counter.OVERFLOWED],
                c[Counter.DISCARDED], c[Counter.REJECTED], c[Counter.LEAKS], c[Counter.ACQUIRE_TIMEOUTS],
                c[Counter.CONNECT_FAILURES]);
    }

    @Override
    public String toString() {
        return "ConnectionPool[" + poolName + ", " + adapter.connectionType().getSimpleName() + "]";
    }

    /** Live totals: each figure sums the current names and the counts kept from removed ones. */
    private final class PoolTotals implements Statistics {

        private long counter(int counter) {
            Lock lock = countsMoving.readLock();
            lock.lock();
            try {
                long n = detached.get(counter);
                for (NameSlot<C> slot : slots.values()) {
                    n += slot.counter(counter);
                }
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int idle() {
            int n = 0;
            for (NameSlot<C> slot : slots.values()) {
                n += slot.idle();
            }
            return n;
        }

        @Override
        public int inUse() {
            int n = 0;
            for (NameSlot<C> slot : slots.values()) {
                n += slot.inUse();
            }
            return n;
        }

        @Override
        public int sharedConnections() {
            int n = 0;
            for (NameSlot<C> slot : slots.values()) {
                n += slot.sharedConnections();
            }
            return n;
        }

        @Override
        public int activeShares() {
            int n = 0;
            for (NameSlot<C> slot : slots.values()) {
                n += slot.activeShares();
            }
            return n;
        }

        @Override
        public int waiting() {
            int n = 0;
            for (NameSlot<C> slot : slots.values()) {
                n += slot.waiting();
            }
            return n;
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
    }
}
