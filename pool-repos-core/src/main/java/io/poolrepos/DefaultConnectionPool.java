package io.poolrepos;

import java.time.Duration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one implementation of {@link ConnectionPool}: its public entry points. The names and their
 * lifecycle are in {@link Names}, each name's places and their protocol in {@link NameSlot}, the way
 * out in {@link Checkout}, the way back in {@link GiveBack}, the rules in {@link Fitness}, the figures
 * in {@link PoolTotals}, what operators change while it runs in {@link PoolOperator}. A call
 * touches one name's slot and the repository's connection index, never a structure whose size grows
 * with the number of names.
 */
final class DefaultConnectionPool<C> implements ConnectionPool<C> {

    private final String poolName;
    /** The settings the pool was created with; the current ones are the context's. */
    private final PoolSettings settings;
    private final ConnectionFactory<? extends C> factory;
    private final PoolEvents events;
    private final PoolContext<C> context;
    private final Names<C> names;
    /** {@link Names#map()}, looked up directly by get and share (see there). */
    private final ConcurrentHashMap<String, NameSlot<C>> slots;
    private final GiveBack<C> giveBack;
    private final Checkout<C> checkout;
    /** Null unless the pool is sharable and has a factory. */
    private final ShareCheckout<C> shareCheckout;
    private final PoolTotals<C> totals;
    private final AsyncExecutor async;
    private final PoolOperator<C> operator;
    private final Warmer<C> warmer;
    /** What PoolClosedException says once the repository shuts down with a timeout; null for a plain close. */
    private volatile String closedState;

    DefaultConnectionPool(String poolName, ConnectionAdapter<C> adapter, PoolSettings settings,
            ConnectionFactory<? extends C> factory, Clock clock, ConnectionIndex index, PoolEvents events,
            Hooks hooks, AsyncExecutor async, WarmUpThread warmUpThread) {
        this.poolName = poolName;
        this.settings = settings;
        this.factory = factory;
        this.events = events;
        this.context = new PoolContext<>(poolName, settings, clock, new ConnectionCloser<>(adapter, poolName),
                new Fitness<>(adapter, poolName, settings, clock), new IdlePlaces(settings.maxIdleInPool()),
                new OpenRoom(settings.maxOpenInPool()), index,
                new LeakDetector(this, settings.leakDetectionThreshold(), events), hooks, settings.settingNames());
        this.names = new Names<>(this, context, settings, events);
        this.slots = names.map();
        this.giveBack = new GiveBack<>(context, names);
        Connector<C> connector = factory == null ? null : new Connector<>(this, context, names, events, factory, settings);
        this.checkout = new Checkout<>(this, context, names, events, connector, settings);
        this.shareCheckout = connector != null && settings.sharable()
                ? new ShareCheckout<>(context, names, connector, settings) : null;
        this.totals = new PoolTotals<>(names);
        this.async = async;
        this.operator = new PoolOperator<>(context, names);
        this.warmer = new Warmer<>(this, context, names, giveBack, events, factory, settings, warmUpThread);
    }

    // ---- the pool's calls ------------------------------------------------------------------------

    @Override
    public AddResult add(String name, C connection) {
        Checks.notNull(name, "name");
        Checks.notNull(connection, "connection");
        return giveBack.add(name, connection);
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
        }
        if (context.suspension.refuses(poolName) || slot == null) {
            names.count(slot, Counter.GET_MISSES);
            return null;
        }
        PooledConnection<C> e = checkout.takeIdle(slot);
        if (e == null) {
            names.count(slot, Counter.GET_MISSES);
        } else {
            slot.countGetHit();
        }
        return e;
    }

    @Override
    public Optional<SharedLease<C>> share(String name) {
        // Kept this small so that it inlines into the caller, where the Optional usually needs no allocation.
        return Optional.ofNullable(shareCheckout == null ? join(name) : shareOrConnect(name, context.settings().acquireTimeout()));
    }

    @Override
    public Optional<SharedLease<C>> share(String name, Duration timeout) {
        Checks.duration(timeout, "timeout");
        return Optional.ofNullable(shareCheckout == null ? join(name) : shareOrConnect(name, timeout));
    }

    private SharedLease<C> shareOrConnect(String name, Duration timeout) {
        Checks.name(name, "name");
        ensureOpen();
        return shareCheckout.share(name, timeout);
    }

    /** A lease on a connection of {@code name} joined as one more sharer, or null if none can be shared. */
    private SharedLease<C> join(String name) {
        Checks.name(name, "name");
        if (!settings.sharable()) {
            throw new PoolNotSharableException(poolName, settings.settingNames());
        }
        ensureOpen();
        NameSlot<C> slot = slots.get(name);
        if (context.suspension.refuses(poolName) || slot == null) {
            return null;
        }
        PooledConnection<C> e = slot.claimShare(settings.maxSharersPerConnection());
        return e == null ? null : DefaultSharedLease.joined(slot, e);
    }

    @Override
    public C acquire(String name) {
        return acquire(name, context.settings().acquireTimeout());
    }

    @Override
    public C acquire(String name, Duration timeout) {
        checkWaitingCall(name, timeout, false);
        return checkout.acquire(name, timeout);
    }

    /** The checks of a call that may connect and wait, in the order its callers see their failures. */
    private void checkWaitingCall(String name, Duration timeout, boolean share) {
        Checks.name(name, "name");
        Checks.duration(timeout, "timeout");
        if (share && !settings.sharable()) {
            throw new PoolNotSharableException(poolName, settings.settingNames());
        }
        if (factory == null) {
            throw new NoConnectionFactoryException(poolName);
        }
        ensureOpen();
    }

    @Override
    public java.util.concurrent.CompletableFuture<C> acquireAsync(String name) {
        return acquireAsync(name, context.settings().acquireTimeout());
    }

    @Override
    public java.util.concurrent.CompletableFuture<C> acquireAsync(String name, Duration timeout) {
        checkWaitingCall(name, timeout, false);
        return AsyncCall.start(async, context.clock, timeout, (t, start) -> checkout.acquire(name, t, start),
                c -> add(name, c));
    }

    @Override
    public java.util.concurrent.CompletableFuture<SharedLease<C>> shareAsync(String name) {
        return shareAsync(name, context.settings().acquireTimeout());
    }

    @Override
    public java.util.concurrent.CompletableFuture<SharedLease<C>> shareAsync(String name, Duration timeout) {
        checkWaitingCall(name, timeout, true);
        return AsyncCall.start(async, context.clock, timeout, (t, start) -> shareCheckout.share(name, t, start),
                SharedLease::close);
    }

    @Override
    public WarmUp warm(Collection<String> namesToWarm) {
        Checks.notNull(namesToWarm, "names");
        for (String name : namesToWarm) {
            Checks.name(name, "names");
        }
        if (factory == null) {
            throw new NoConnectionFactoryException(poolName);
        }
        if (settings.minIdlePerName() == 0 && !namesToWarm.isEmpty()) {
            throw new InvalidArgumentException("minIdlePerName", "pool '" + NameMasking.mask(poolName)
                    + "' has minIdlePerName 0, so warm-up would open nothing; build its settings with minIdlePerName >= 1");
        }
        ensureOpen();
        return warmer.warm(namesToWarm);
    }

    @Override
    public void discard(String name, C connection) {
        Checks.name(name, "name");
        Checks.notNull(connection, "connection");
        giveBack.discard(name, connection);
    }

    @Override
    public int drain(String name) {
        Checks.name(name, "name");
        NameSlot<C> slot = names.find(name);
        return slot == null ? 0 : drain(slot);
    }

    @Override
    public int drainAll() {
        int closedNow = 0;
        for (NameSlot<C> slot : names.slots()) {
            closedNow += drain(slot);
        }
        return closedNow;
    }

    private int drain(NameSlot<C> slot) {
        return PoolOperator.retireIdle(slot, e -> true, CloseCause.DISCARDED);
    }

    private void ensureOpen() {
        if (context.isClosed()) {
            String state = closedState;
            throw state == null ? new PoolClosedException(poolName) : new PoolClosedException(poolName, state);
        }
    }

    /** One housekeeping pass: evictions and empty names, as of {@code now}. */
    void housekeep(long now) {
        names.housekeep(now);
        warmer.afterHousekeeping();
    }

    /** Closes the pool: no more hand-outs, idle connections closed now, shared ones after their last sharer. */
    void close() {
        close(null);
    }

    /** {@link #close()}, with what {@link PoolClosedException} tells callers from now on (null: "is closed"). */
    void close(String state) {
        if (state != null) {
            closedState = state;
        }
        if (!context.close()) {
            return;
        }
        warmer.poolClosed();
        for (NameSlot<C> slot : names.slots()) {
            drain(slot);
            slot.signalAllWaiters();
        }
        context.suspension.wakeAll();
    }

    // ---- reading ---------------------------------------------------------------------------------

    @Override
    public String poolName() {
        return poolName;
    }

    @Override
    public Class<C> connectionType() {
        return context.closer.connectionType();
    }

    @Override
    public PoolSettings settings() {
        return context.settings();
    }

    /** The settings the pool was created with, which a repository compares with those asked for again. */
    PoolSettings createdWith() {
        return settings;
    }

    @Override
    public PoolOperations operations() {
        return operator;
    }

    @Override
    public boolean canConnect() {
        return factory != null;
    }

    @Override
    public boolean isClosed() {
        return context.isClosed();
    }

    @Override
    public Statistics totals() {
        return totals;
    }

    @Override
    public Optional<NameStatistics> statistics(String name) {
        Checks.name(name, "name");
        return Optional.ofNullable(names.find(name));
    }

    @Override
    public List<NameStatistics> names() {
        return new ArrayList<>(names.slots());
    }

    @Override
    public PoolSnapshot snapshot() {
        return totals.snapshot(this);
    }

    ConnectionAdapter<C> adapter() {
        return context.closer.adapter();
    }

    @Override
    public String toString() {
        return "ConnectionPool[" + poolName + ", " + connectionType().getSimpleName() + "]";
    }
}
