package io.poolrepos.benchmarks;

import com.zaxxer.hikari.util.ConcurrentBag;
import com.zaxxer.hikari.util.ConcurrentBag.IConcurrentBagEntry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * HikariCP's {@link ConcurrentBag}, one bag per name in a {@link ConcurrentHashMap}: borrow with no
 * wait, requite. The bag does no liveness check (HikariPool does that around it), so neither does this.
 */
final class HikariBags implements ExclusivePool {

    private final ConcurrentHashMap<String, ConcurrentBag<Entry>> bags = new ConcurrentHashMap<>();

    HikariBags(String[] names, int perName) {
        for (String name : names) {
            ConcurrentBag<Entry> bag = new ConcurrentBag<>(waiting -> { });
            for (int i = 0; i < perName; i++) {
                bag.add(new Entry(new Conn()));
            }
            bags.put(name, bag);
        }
    }

    @Override
    public Object get(String name) {
        try {
            return bags.get(name).borrow(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void add(String name, Object handle) {
        bags.get(name).requite((Entry) handle);
    }

    @Override
    public Conn connection(Object handle) {
        return ((Entry) handle).conn;
    }

    @Override
    public void close() {
        bags.values().forEach(ConcurrentBag::close);
    }

    /** A bag entry: the connection and the state the bag claims by compare-and-set. */
    static final class Entry implements IConcurrentBagEntry {

        private static final AtomicIntegerFieldUpdater<Entry> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Entry.class, "state");

        final Conn conn;
        private volatile int state;

        Entry(Conn conn) {
            this.conn = conn;
        }

        @Override
        public boolean compareAndSet(int expect, int update) {
            return STATE.compareAndSet(this, expect, update);
        }

        @Override
        public void setState(int update) {
            state = update;
        }

        @Override
        public int getState() {
            return state;
        }
    }
}
