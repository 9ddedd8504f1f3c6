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

/**
 * The one implementation of {@link PoolRepository}. Besides the pools it keeps what they share: the
 * {@link ConnectionIndex} (so that {@code add} can tell a connection of another pool), the
 * {@link Clock}, the listeners ({@link PoolEvents}), the housekeeping thread and the warm-up thread.
 */
final class DefaultPoolRepository implements PoolRepository {

    private static final System.Logger LOG = System.getLogger(PoolRepository.class.getName());
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final ConcurrentHashMap<String, DefaultConnectionPool<?>> pools = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<DefaultConnectionPool<?>> creationOrder = new CopyOnWriteArrayList<>();
    private final ConnectionIndex index = new ConnectionIndex();
    private final PoolEvents events = new PoolEvents();
    private final Ticker ticker;
    private final Clock clock;
    private final Hooks hooks;
    private final ScheduledExecutorService housekeeper;
    private final AsyncExecutor async;
    private final WarmUpThread warmUpThread;
    private volatile boolean closed;

    DefaultPoolRepository(Duration housekeepingPeriod, Ticker ticker, Hooks hooks, java.util.concurrent.Executor executor) {
        this.ticker = ticker;
        this.hooks = hooks;
        int id = SEQUENCE.incrementAndGet();
        this.async = new AsyncExecutor(executor, id);
        this.clock = new Clock(ticker, !housekeepingPeriod.isZero());
        this.warmUpThread = new WarmUpThread("pool-repos-warm-up-" + id);
        if (housekeepingPeriod.isZero()) {
            this.housekeeper = null;
        } else {
            String threadName = "pool-repos-housekeeper-" + id;
            this.housekeeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            long period = housekeepingPeriod.toNanos();
            housekeeper.scheduleWithFixedDelay(this::housekeepSafely, period, period, TimeUnit.NANOSECONDS);
            housekeeper.scheduleAtFixedRate(clock::tick, Clock.RESOLUTION_NANOS, Clock.RESOLUTION_NANOS,
                    TimeUnit.NANOSECONDS);
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
            created = new DefaultConnectionPool<>(poolName, adapter, settings, factory, clock, index, events, hooks,
                    async, warmUpThread);
            pools.put(poolName, created);
            creationOrder.add(created);
        }
        events.poolCreated(created);
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
        String difference = existing.createdWith().firstDifference(settings);
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
            throw new InvalidArgumentException("connectionType", "pool '" + NameMasking.mask(poolName) + "' holds "
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
        events.add(Checks.notNull(listener, "listener"));
    }

    @Override
    public void removeListener(PoolListener listener) {
        events.remove(listener);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closePools(null);
    }

    @Override
    public ShutdownReport close(Duration timeout) {
        Checks.duration(timeout, "timeout");
        closePools(GracefulClose.shuttingDown(timeout));
        return GracefulClose.awaitThenForce(index, timeout);
    }

    /** Closes every pool once, telling later callers {@code state} (null: "is closed"). */
    private void closePools(String state) {
        synchronized (pools) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (housekeeper != null) {
            housekeeper.shutdownNow();
        }
        warmUpThread.shutdown();
        for (DefaultConnectionPool<?> pool : creationOrder) {
            try {
                pool.close(state);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, () -> "Closing pool '" + NameMasking.mask(pool.poolName()) + "' failed", ex);
            }
        }
        // After the pools: their waiting asynchronous calls have been woken to fail with PoolClosedException.
        async.shutdown();
    }

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
        index.forEach(e -> e.owner.checkLeak(e, now));
    }

    /** Connections in the index: every one idle, shared or on loan in any pool (tests). */
    int trackedCount() {
        return index.size();
    }
}
