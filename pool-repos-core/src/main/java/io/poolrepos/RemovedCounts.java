package io.poolrepos;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * The counts a pool keeps beside its names: those of names removed since, and of events on names the
 * pool did not hold. A name's removal and the move of its counts here are one step to readers of the
 * pool's totals, who hold {@link #readLock()}: between the two, a reader would find the counts in
 * neither place, and the totals would go down for that reading (a monitoring system takes a drop for
 * a reset). Neither add, get nor share takes the lock. Thread-safe.
 */
final class RemovedCounts {

    private final AtomicLongArray counts = new AtomicLongArray(Counter.all().length);
    private final ReadWriteLock moving = new ReentrantReadWriteLock();

    /** Counts an event on a name the pool does not hold. */
    void count(Counter counter) {
        counts.incrementAndGet(counter.ordinal());
    }

    /**
     * Runs {@code removal} (which takes a retired name out of the pool's names) and moves the name's
     * counts here, as one step to readers.
     *
     * @return what {@code removal} returned
     */
    boolean remove(BooleanSupplier removal, NameCounters<?> name) {
        Lock lock = moving.writeLock();
        lock.lock();
        try {
            boolean removed = removal.getAsBoolean();
            name.moveCountsTo(counts);
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** Held by readers who sum these counts with those of the current names. */
    Lock readLock() {
        return moving.readLock();
    }

    long get(Counter counter) {
        return counts.get(counter.ordinal());
    }

    /** A copy of every count, one per {@link Counter} in declaration order. */
    long[] copy() {
        long[] copy = new long[counts.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
    }
}
