package io.poolrepos;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The one implementation of {@link PoolOperations}: changes the pool's live state (its settings in
 * {@link PoolContext}, its {@link Suspension}, its {@link Evictions}) and then does what the change
 * asks of the connections that exist: closes idle ones above lowered limits or soft-evicted, wakes
 * waiters. The way connections on loan are treated when they come back is the pool's own
 * ({@code GiveBack}, {@code Checkout}), which reads the same live state. Thread-safe: the operations
 * are serialized by this object's lock, which is never held by the pool's traffic.
 */
final class PoolOperator<C> implements PoolOperations {

    private final PoolContext<C> context;
    private final Names<C> names;

    PoolOperator(PoolContext<C> context, Names<C> names) {
        this.context = context;
        this.names = names;
    }

    @Override
    public PoolLimits limits() {
        return PoolLimits.of(context.settings());
    }

    @Override
    public synchronized PoolLimits resize(Consumer<PoolLimits.Builder> change) {
        Checks.notNull(change, "change");
        ensureOpen();
        PoolSettings before = context.settings();
        PoolLimits.Builder builder = new PoolLimits.Builder(before);
        change.accept(builder);
        PoolSettings after = builder.build();
        refuseUncounted("maxIdleInPool", "idle", after.maxIdleInPool() != before.maxIdleInPool() && !context.idlePlaces.counts());
        refuseUncounted("maxOpenInPool", "open", after.maxOpenInPool() != before.maxOpenInPool() && !context.openRoom.counts());
        context.useSettings(after);
        context.idlePlaces.limit(after.maxIdleInPool());
        context.openRoom.limit(after.maxOpenInPool());
        closeIdleAbove(after);
        if (raised(before.maxOpenPerName(), after.maxOpenPerName())
                || raised(before.maxOpenInPool(), after.maxOpenInPool())) {
            for (NameSlot<C> slot : names.slots()) {
                // Each call grants the new room to one more waiter, as long as there is room.
                for (int i = slot.waiting(); i > 0; i--) {
                    slot.roomFreed();
                }
            }
        }
        return PoolLimits.of(after);
    }

    /** Whether an open limit now leaves more room than before (0: none). */
    private static boolean raised(int before, int after) {
        return before != 0 && (after == 0 || after > before);
    }

    /** A pool-wide limit that a pool created without it does not count cannot be changed. */
    private void refuseUncounted(String limit, String counted, boolean refused) {
        if (refused) {
            throw new InvalidArgumentException(limit, limit + " of pool '" + NameMasking.mask(context.poolName)
                    + "' cannot be changed while it runs: it was created without one (0), so it does not count its "
                    + counted + " connections. Configure " + limit + " and restart it.");
        }
    }

    /**
     * Closes idle connections above the per-name limits of {@code s}, then above its pool-wide idle
     * limit, then while the pool has more open than its lowered open limit.
     */
    private void closeIdleAbove(PoolSettings s) {
        int maxOpen = s.maxOpenPerName();
        int maxIdle = s.maxIdlePerName();
        for (NameSlot<C> slot : names.slots()) {
            int[] excess = {maxOpen == 0 ? 0 : slot.openCount() - maxOpen};
            // First those in places above the idle limit, then more while the name is above its open limit.
            slot.forEachPlaced(e -> {
                if (e.state() >= 0 && e.index >= maxIdle) {
                    slot.retire(e, CloseCause.OVERFLOW);
                    excess[0]--;
                }
            });
            slot.forEachPlaced(e -> {
                if (excess[0] > 0 && e.state() >= 0) {
                    slot.retire(e, CloseCause.OVERFLOW);
                    excess[0]--;
                }
            });
        }
        closeIdleWhile(context.idlePlaces.excess());
        closeIdleWhile(context.openRoom.excess());
    }

    /** Closes up to {@code excess} idle unshared connections of the pool, counted as overflowed. */
    private void closeIdleWhile(int excess) {
        int[] left = {excess};
        for (NameSlot<C> slot : names.slots()) {
            if (left[0] <= 0) {
                return;
            }
            slot.forEachPlaced(e -> {
                if (left[0] > 0 && e.state() == 0 && slot.retire(e, CloseCause.OVERFLOW)) {
                    left[0]--;
                }
            });
        }
    }

    @Override
    public synchronized void suspend(SuspendMode mode) {
        Checks.notNull(mode, "mode");
        ensureOpen();
        context.suspension.suspend(mode);
        // Callers waiting at a name's open limit leave its line and wait for the resume instead.
        for (NameSlot<C> slot : names.slots()) {
            slot.signalAllWaiters();
        }
    }

    @Override
    public synchronized void resume() {
        context.suspension.resume();
    }

    @Override
    public Optional<SuspendMode> suspension() {
        return Optional.ofNullable(context.suspension.mode());
    }

    @Override
    public synchronized int softEvict(String name) {
        Checks.name(name, "name");
        context.evictions.forget(n -> names.find(n) == null);
        long now = context.clock.now();
        context.evictions.evict(name, now);
        NameSlot<C> slot = names.find(name);
        return slot == null ? 0 : closeIdleEvicted(slot);
    }

    @Override
    public synchronized int softEvictAll() {
        context.evictions.evictAll(context.clock.now());
        int closed = 0;
        for (NameSlot<C> slot : names.slots()) {
            closed += closeIdleEvicted(slot);
        }
        return closed;
    }

    /** Closes the evicted idle connections of {@code slot} (shared ones after their last sharer); how many now. */
    private int closeIdleEvicted(NameSlot<C> slot) {
        return retireIdle(slot, e -> context.evictions.evicted(slot.name, e.createdAt), CloseCause.EVICTED);
    }

    /**
     * Retires the idle entries of {@code slot} that {@code which} picks (closed now; shared ones by
     * their last sharer); entries on loan are left to their owner. How many were closed now.
     */
    static <C> int retireIdle(NameSlot<C> slot, Predicate<PooledConnection<C>> which, CloseCause cause) {
        int[] closed = {0};
        slot.forEachPlaced(e -> {
            if (which.test(e) && slot.retire(e, cause)) {
                closed[0]++;
            }
        });
        return closed[0];
    }

    /**
     * Why a connection coming back to {@code slot} must be closed because of an operator's change, or
     * null: soft-evicted, or its name holds more connections than a lowered {@code maxOpenPerName}, or
     * the pool more than a lowered {@code maxOpenInPool} (two give-backs racing there may both close
     * theirs).
     */
    static CloseCause toKeep(PoolContext<?> context, NameSlot<?> slot, PooledConnection<?> e) {
        if (context.evictions.evicted(slot.name, e.createdAt)) {
            return CloseCause.EVICTED;
        }
        int maxOpen = context.settings().maxOpenPerName();
        return (maxOpen > 0 && slot.openCount() > maxOpen) || context.openRoom.excess() > 0 ? CloseCause.OVERFLOW : null;
    }

    private void ensureOpen() {
        if (context.isClosed()) {
            throw new PoolClosedException(context.poolName);
        }
    }
}
