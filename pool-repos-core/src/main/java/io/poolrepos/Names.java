package io.poolrepos;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The names of one pool and their lifecycle: look-up, creation within {@link PoolSettings#maxNames()},
 * eviction of expired idle connections, and the retirement and removal of names that hold nothing.
 * A call touches one name's slot in a concurrent map, never a structure whose size grows with the
 * number of names. Thread-safe.
 */
final class Names<C> {

    private final ConnectionPool<C> pool;
    private final PoolContext<C> context;
    private final PoolSettings settings;
    private final PoolEvents events;
    private final ConcurrentHashMap<String, NameSlot<C>> slots = new ConcurrentHashMap<>();
    private final AtomicInteger nameCount = new AtomicInteger();
    private final RemovedCounts removed = new RemovedCounts();

    Names(ConnectionPool<C> pool, PoolContext<C> context, PoolSettings settings, PoolEvents events) {
        this.pool = pool;
        this.context = context;
        this.settings = settings;
        this.events = events;
    }

    /** The repository's listeners, for the give-back to report loan ends. */
    PoolEvents events() {
        return events;
    }

    /** Reports the end of a loan of {@code slot}'s name that began at {@code loanedAt} (coarse clock). */
    void loanEnded(NameSlot<C> slot, long loanedAt) {
        events.loanEnded(pool, slot.name, Math.max(0, context.clock.now() - loanedAt));
    }

    /** The slot of {@code name}, or null; perhaps retired a moment ago (then nothing can enter it). */
    NameSlot<C> find(String name) {
        return slots.get(name);
    }

    /**
     * The map behind {@link #find}, for add, get and share to keep and look names up in directly:
     * on one name a get + add is a chain of dependent loads, and each hop through another object
     * showed in the benchmarks (BENCHMARKS.md, "Core layout A/B"). Callers only read it.
     */
    ConcurrentHashMap<String, NameSlot<C>> map() {
        return slots;
    }

    /**
     * The slot of {@code name}, created if new.
     *
     * @throws NameLimitExceededException when the name is new and the pool holds {@code maxNames} names
     */
    NameSlot<C> slotFor(String name) {
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
                removed.count(Counter.REJECTED);
                throw new NameLimitExceededException(context.poolName, name, settings.maxNames(), context.settingNames);
            }
            NameSlot<C> created = new NameSlot<>(context, name, idlePlaces(), settings.sharable());
            NameSlot<C> existing = slots.putIfAbsent(name, created);
            if (existing != null) {
                nameCount.decrementAndGet();
                continue;
            }
            events.nameAdded(pool, created);
            return created;
        }
    }

    /**
     * How many idle places a new name gets: those configured, or more when an operator has raised
     * {@code maxIdlePerName} above that since; a lowered limit only leaves places unused (see
     * {@link PoolOperations#resize}), so that raising it back applies to every name.
     */
    private int idlePlaces() {
        return Math.max(settings.maxIdlePerName(), context.settings().maxIdlePerName());
    }

    /**
     * Counts an event on {@code slot}, which the caller may hold nothing of (see
     * {@link NameCounters#increment}); a count that lands after the name's removal is moved to the
     * pool's counts here. Null counts the event among the pool's own counts.
     */
    void count(NameSlot<C> slot, Counter counter) {
        if (slot == null) {
            removed.count(counter);
        } else if (slot.increment(counter)) {
            removeRetired(slot);
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
                CloseCause cause = context.fitness.toStay(e, now, s == 0);
                if (cause != null) {
                    slot.retire(e, cause);
                }
            });
            if (slot.tryRetire()) {
                removeRetired(slot);
            }
        }
    }

    /**
     * Takes a retired slot out of the names, if nobody has yet, and moves its counts into the pool's.
     * Also called for a count that landed on the slot after its removal (see {@link #count}): the move
     * is of what earlier moves left, so calling it again moves that count and nothing twice.
     */
    private void removeRetired(NameSlot<C> slot) {
        if (removed.remove(() -> slots.remove(slot.name, slot), slot)) {
            nameCount.decrementAndGet();
            events.nameRemoved(pool, slot);
        }
    }

    /**
     * Makes room under the pool-wide open limit for {@code needy}: closes the idle, unshared connection
     * of another name that has been idle longest, counted as evicted idle. Looks at every place of
     * every name, so it costs time in proportion to them; it runs only when the pool is at its limit.
     *
     * @return whether a connection was closed (its room may still go to another caller first)
     */
    boolean makeRoom(NameSlot<C> needy) {
        OldestIdle<C> oldest = new OldestIdle<>();
        for (NameSlot<C> slot : slots.values()) {
            if (slot != needy) {
                oldest.slot = slot;
                slot.forEachPlaced(oldest);
            }
        }
        // Closed only if still idle and unshared as seen: one taken or joined meanwhile is left alone.
        if (oldest.entry == null || !oldest.entry.casWord(oldest.word, PooledConnection.CLOSED)) {
            return false;
        }
        oldest.owner.finishClose(oldest.entry, CloseCause.MAKE_ROOM, true);
        return true;
    }

    /** The idle, unshared entry seen with the earliest idle-since time, and its state word then. */
    private static final class OldestIdle<C> implements java.util.function.Consumer<PooledConnection<C>> {
        NameSlot<C> slot;
        NameSlot<C> owner;
        PooledConnection<C> entry;
        long word;

        @Override
        public void accept(PooledConnection<C> e) {
            long w = e.word();
            // Only in its own place: one only passing through a place may be idle before it is placed.
            if (PooledConnection.stateOf(w) == 0 && slot.holdsPlace(e) && (entry == null || e.stamp < entry.stamp)) {
                owner = slot;
                entry = e;
                word = w;
            }
        }
    }

    /** The current names' slots, a weakly consistent view. */
    Collection<NameSlot<C>> slots() {
        return slots.values();
    }

    int size() {
        return slots.size();
    }

    /** The pool's counts kept beside its names. */
    RemovedCounts removed() {
        return removed;
    }
}
