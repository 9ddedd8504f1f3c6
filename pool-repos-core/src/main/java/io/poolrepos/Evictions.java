package io.poolrepos;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The instants of a pool's soft evictions: one for the whole pool, one per name evicted on its own.
 * A connection created at or before the instant that applies to it is evicted: never handed out
 * again, closed when idle or when it comes back. Comparing the creation time each record keeps for
 * its lifetime with these instants costs the records nothing. Traffic reads one volatile field
 * while no eviction applies to a connection that new. Writers are serialized by the pool's
 * operations lock; readers are lock-free. Thread-safe.
 */
final class Evictions {

    private static final long NONE = Long.MIN_VALUE;

    /** The latest instant of any eviction: connections created after it are evicted by none. */
    private volatile long latest = NONE;
    private volatile long all = NONE;
    private final ConcurrentHashMap<String, Long> byName = new ConcurrentHashMap<>();

    /** Whether a connection of {@code name} created at {@code createdAt} has been soft-evicted. */
    boolean evicted(String name, long createdAt) {
        if (createdAt > latest) {
            return false;
        }
        if (createdAt <= all) {
            return true;
        }
        Long at = byName.get(name);
        return at != null && createdAt <= at;
    }

    /** Evicts the connections of {@code name} created at or before {@code now}. */
    void evict(String name, long now) {
        byName.merge(name, now, Math::max);
        raise(now); // after the entry: a reader that sees the new instant finds the entry
    }

    /** Evicts every connection created at or before {@code now}. */
    void evictAll(long now) {
        all = Math.max(all, now);
        raise(now);
        byName.clear(); // every entry is now at or below the pool's instant
    }

    /** Drops the instants of names that {@code gone} says hold no connection any more. */
    void forget(Predicate<String> gone) {
        byName.keySet().removeIf(gone);
    }

    private void raise(long now) {
        if (now > latest) {
            latest = now;
        }
    }
}
