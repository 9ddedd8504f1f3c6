package io.poolrepos.benchmarks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Reference for the limit: per name a fixed array of slots; get claims the first full slot by
 * compare-and-set to null, add fills the first empty one. Nothing is allocated per call; no
 * statistics, no exclusivity check, no liveness check.
 */
final class CasSlots implements ExclusivePool {

    /** As many places as pool-repos' default {@code maxIdlePerName}, so both scan the same length. */
    static final int SLOTS = 8;

    private final ConcurrentHashMap<String, AtomicReferenceArray<Conn>> slots = new ConcurrentHashMap<>();

    CasSlots(String[] names, int perName) {
        for (String name : names) {
            AtomicReferenceArray<Conn> array = new AtomicReferenceArray<>(Math.max(SLOTS, perName));
            for (int i = 0; i < perName; i++) {
                array.set(i, new Conn());
            }
            slots.put(name, array);
        }
    }

    @Override
    public Object get(String name) {
        AtomicReferenceArray<Conn> array = slots.get(name);
        for (int i = 0; i < array.length(); i++) {
            Conn c = array.get(i);
            if (c != null && array.compareAndSet(i, c, null)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public void add(String name, Object handle) {
        AtomicReferenceArray<Conn> array = slots.get(name);
        for (int i = 0; i < array.length(); i++) {
            if (array.get(i) == null && array.compareAndSet(i, null, (Conn) handle)) {
                return;
            }
        }
        throw new IllegalStateException("no empty slot for " + name);
    }

    @Override
    public void close() {
        slots.clear();
    }
}
