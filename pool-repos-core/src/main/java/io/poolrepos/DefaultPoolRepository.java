package io.poolrepos;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The one implementation of {@link PoolRepository}. Besides the pools it keeps one index from each
 * connection the pools hold (idle, shared or on loan) to its entry, so that {@code add} finds a
 * returning connection in one look-up and can tell when it came from another pool.
 */
final class DefaultPoolRepository implements PoolRepository {

    private static final System.Logger LOG = System.getLogger(PoolRepository.class.getName());
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** How often the housekeeping thread advances the coarse clock. */
    static final long CLOCK_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ConcurrentHashMap<String, DefaultConnectionPool<?>> pools = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<DefaultConnectionPool<?>> creationOrder = new CopyOnWriteArrayList<>();
    /** Connections are keyed by their own equals/hashCode, which is identity for sockets and channels. */
    private final ConcurrentHashMap<Object, PooledConnection<?>> tracked = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<PoolListener> listeners = new CopyOnWriteArrayList<>();
    private final Ticker ticker;
    private final ScheduledExecutorService housekeeper;
    /**
     * {@link #ticker} as of the last tick of the housekeeping thread. Reading the precise clock twice
     * per get + add was the largest single cost of a round trip (a fifth of it in profiles); expiry
     * checks and idle stamps need only coarse time.
     */
    private volatile long coarseNanos;
    private volatile boolean closed;

    DefaultPoolRepository(Duration housekeepingPeriod, Ticker ticker) {
        this.ticker = ticker;
        if (housekeepingPeriod.isZero()) {
            this.housekeeper = null;
        } else {
            String threadName = "pool-repos-housekeeper-" + SEQUENCE.incrementAndGet();
            this.housekeeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            long period = housekeepingPeriod.toNanos();
            housekeeper.scheduleWithFixedDelay(this::housekeepSafely, period, period, TimeUnit.NANOSECONDS);
            coarseNanos = ticker.nanoTime();
            housekeeper.scheduleAtFixedRate(() -> coarseNanos = ticker.nanoTime(), CLOCK_RESOLUTION_NANOS,
                    CLOCK_RESOLUTION_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public <C> ConnectionPool<C> pool(String poolName, ConnectionAdapter<C> adapter, PoolSettings settings) {
        return createOrGet(poolName, adapter, settings, null);
    }

    @Override
    public <C> ConnectionPool<C> pool(String poolName, ConnectionAdapter<C> adapter, PoolSettings settings,
            ConnectionFactory<? extends C> factory) {
        return createOrGet(poolName, adapter, settings, Checks.notNull(factory, "factory"));
    }

    private <C> ConnectionPool<C> createOrGet(String poolName, ConnectionAdapter<C> adapter, PoolSettings settings,
            ConnectionFactory<? extends C> factory) {
        Checks.name(poolName, "poolName");
        Checks.notNull(adapter, "adapter");
        Checks.notNull(settings, "settings");
        DefaultConnectionPool<C> created;
        // Creating pools is rare and never on a hot path; one lock keeps check-then-create simple.
        synchronized (pools) {
            if (closed) {
                throw new PoolClosedException(poolName);
            }
            DefaultConnectionPool<?> existing = pools.get(poolName);
            if (existing != null) {
                return sameOrConflict(existing, adapter, settings, factory);
            }
            created = new DefaultConnectionPool<>(this, poolName, adapter, settings, factory);
            pools.put(poolName, created);
            creationOrder.add(created);
        }
        fire(l -> l.poolCreated(created));
        return created;
    }

    @SuppressWarnings("unchecked")
    private static <C> ConnectionPool<C> sameOrConflict(DefaultConnectionPool<?> existing, ConnectionAdapter<C> adapter,
            PoolSettings settings, ConnectionFactory<? extends C> factory) {
        String poolName = existing.poolName();
        if (existing.connectionType() != adapter.connectionType()) {
            throw new PoolConflictException(poolName, "connection type (" + existing.connectionType().getName()
                    + " vs " + adapter.connectionType().getName() + ")");
        }
        if (!existing.adapter().equals(adapter)) {
            throw new PoolConflictException(poolName, "connection adapter (" + existing.adapter() + " vs " + adapter + ")");
        }
        String difference = existing.settings().firstDifference(settings);
        if (difference != null) {
            throw new PoolConflictException(poolName, "settings: " + difference);
        }
        if (existing.canConnect() != (factory != null)) {
            throw new PoolConflictException(poolName, existing.canConnect()
                    ? "connection factory (it has one, none was given)" : "connection factory (it has none, one was given)");
        }
        return (ConnectionPool<C>) existing;
    }

    @Override
    public Optional<ConnectionPool<?>> find(String poolName) {
        Checks.name(poolName, "poolName");
        return Optional.ofNullable(pools.get(poolName));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <C> ConnectionPool<C> require(String poolName, Class<C> connectionType) {
        Checks.name(poolName, "poolName");
        Checks.notNull(connectionType, "connectionType");
        DefaultConnectionPool<?> pool = pools.get(poolName);
        if (pool == null) {
            throw new PoolNotFoundException(poolName, creationOrder.stream().map(ConnectionPool::poolName).toList());
        }
        if (!connectionType.isAssignableFrom(pool.connectionType())) {
            throw new InvalidArgumentException("connectionType", "pool '" + poolName + "' holds "
                    + pool.connectionType().getName() + ", not " + connectionType.getName());
        }
        return (ConnectionPool<C>) pool;
    }

    @Override
    public List<ConnectionPool<?>> pools() {
        return List.copyOf(creationOrder);
    }

    @Override
    public List<PoolSnapshot> snapshot() {
        List<PoolSnapshot> result = new ArrayList<>(creationOrder.size());
        for (DefaultConnectionPool<?> pool : creationOrder) {
            result.add(pool.snapshot());
        }
        return result;
    }

    @Override
    public void addListener(PoolListener listener) {
        listeners.add(Checks.notNull(listener, "listener"));
    }

    @Override
    public void removeListener(PoolListener listener) {
        listeners.remove(listener);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (pools) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (housekeeper != null) {
            housekeeper.shutdownNow();
        }
        for (DefaultConnectionPool<?> pool : creationOrder) {
            try {
                pool.close();
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, () -> "Closing pool '" + pool.poolName() + "' failed", ex);
            }
        }
    }

    // ---- housekeeping ----------------------------------------------------------------------------

    private void housekeepSafely() {
        try {
            housekeep();
        } catch (RuntimeException ex) {
            // The thread must survive: a failure here would silently end all eviction.
            LOG.log(Level.WARNING, "Pool housekeeping failed; it will run again next period", ex);
        }
    }

    /** One pass over every pool: evictions, empty names, leak reports. Package-private for tests. */
    void housekeep() {
        long now = ticker.nanoTime();
        for (DefaultConnectionPool<?> pool : creationOrder) {
            pool.housekeep(now);
        }
        for (PooledConnection<?> e : tracked.values()) {
            checkLeak(e, now);
        }
    }

    private static <C> void checkLeak(PooledConnection<C> e, long now) {
        e.slot.pool.checkLeak(e, now);
    }

    // ---- the connection index --------------------------------------------------------------------

    PooledConnection<?> tracked(Object connection) {
        return tracked.get(connection);
    }

    /** Tracks a new entry; returns the entry already tracked for that connection, or null. */
    PooledConnection<?> track(Object connection, PooledConnection<?> entry) {
        return tracked.putIfAbsent(connection, entry);
    }

    void untrack(PooledConnection<?> entry) {
        tracked.remove(entry.connection, entry);
    }

    /** Connections in the index: every one idle, shared or on loan in any pool. */
    int trackedCount() {
        return tracked.size();
    }

    /**
     * Time for expiry checks and idle stamps: a value the housekeeping thread refreshes every
     * {@link #CLOCK_RESOLUTION_NANOS}, or the precise clock when there is no housekeeping thread.
     */
    long coarseNanoTime() {
        return housekeeper != null ? coarseNanos : ticker.nanoTime();
    }

    Ticker ticker() {
        return ticker;
    }

    // ---- events ----------------------------------------------------------------------------------

    void fireNameAdded(ConnectionPool<?> pool, NameStatistics name) {
        fire(l -> l.nameAdded(pool, name));
    }

    void fireNameRemoved(ConnectionPool<?> pool, NameStatistics name) {
        fire(l -> l.nameRemoved(pool, name));
    }

    void fireAcquireCompleted(ConnectionPool<?> pool, String name, long nanos, PoolListener.AcquireOutcome outcome) {
        if (!listeners.isEmpty()) {
            fire(l -> l.acquireCompleted(pool, name, nanos, outcome));
        }
    }

    void fireConnectCompleted(ConnectionPool<?> pool, String name, long nanos, boolean succeeded) {
        if (!listeners.isEmpty()) {
            fire(l -> l.connectCompleted(pool, name, nanos, succeeded));
        }
    }

    void fireLeakDetected(ConnectionPool<?> pool, String name, long nanos, Throwable trace) {
        fire(l -> l.leakDetected(pool, name, nanos, trace));
    }

    private void fire(Consumer<PoolListener> event) {
        for (PoolListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, () -> "PoolListener " + listener + " threw; ignored", ex);
            }
        }
    }
}
