package io.poolrepos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.function.ToIntFunction;

/**
 * A pool's figures over every name: live {@link Statistics} (each figure sums the current names and
 * the counts kept from removed ones) and {@link PoolSnapshot}s. Counts read here never go down from
 * one reading to the next, names being removed meanwhile or not (see {@link RemovedCounts}). Reading
 * changes nothing. Thread-safe.
 */
final class PoolTotals<C> implements Statistics {

    private final Names<C> names;

    PoolTotals(Names<C> names) {
        this.names = names;
    }

    @Override
    public long count(Counter counter) {
        RemovedCounts removed = names.removed();
        Lock lock = removed.readLock();
        lock.lock();
        try {
            long n = removed.get(counter);
            for (NameSlot<C> slot : names.slots()) {
                n += slot.count(counter);
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int idle() {
        return sum(NameSlot::idle);
    }

    @Override
    public int inUse() {
        return sum(NameSlot::inUse);
    }

    @Override
    public int sharedConnections() {
        return sum(NameSlot::sharedConnections);
    }

    @Override
    public int activeShares() {
        return sum(NameSlot::activeShares);
    }

    @Override
    public int waiting() {
        return sum(NameSlot::waiting);
    }

    private int sum(ToIntFunction<NameSlot<C>> figure) {
        int n = 0;
        for (NameSlot<C> slot : names.slots()) {
            n += figure.applyAsInt(slot);
        }
        return n;
    }

    /** The pool at this moment: a row per current name sorted by name, and totals that include removed names. */
    PoolSnapshot snapshot(ConnectionPool<C> pool) {
        List<NameSnapshot> rows = new ArrayList<>(names.size());
        long[] removedCounts;
        RemovedCounts removed = names.removed();
        Lock lock = removed.readLock();
        lock.lock();
        try {
            for (NameSlot<C> slot : names.slots()) {
                rows.add(new NameSnapshot(slot.name, slot.snapshot()));
            }
            removedCounts = removed.copy();
        } finally {
            lock.unlock();
        }
        rows.sort(Comparator.comparing(NameSnapshot::name));
        return new PoolSnapshot(pool.poolName(), pool.connectionType(), pool.settings(), pool.isClosed(),
                sum(removedCounts, rows), rows);
    }

    /** The pool's totals: the counts of removed names ({@code counts}, summed into) and of every row. */
    private static Counts sum(long[] counts, List<NameSnapshot> rows) {
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
            for (Counter counter : Counter.all()) {
                counts[counter.ordinal()] += n.count(counter);
            }
        }
        return new Counts(idle, inUse, shared, shares, waiting, counts);
    }
}
