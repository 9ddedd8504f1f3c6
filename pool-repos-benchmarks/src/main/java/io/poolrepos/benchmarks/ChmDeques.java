package io.poolrepos.benchmarks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Reference for the limit: a {@link ConcurrentHashMap} of {@link ConcurrentLinkedDeque}s, last in first
 * out. No statistics, no exclusivity check, no liveness check; allocates one node per add.
 */
final class ChmDeques implements ExclusivePool {

    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Conn>> deques = new ConcurrentHashMap<>();

    ChmDeques(String[] names, int perName) {
        for (String name : names) {
            ConcurrentLinkedDeque<Conn> deque = new ConcurrentLinkedDeque<>();
            for (int i = 0; i < perName; i++) {
                deque.addFirst(new Conn());
            }
            deques.put(name, deque);
        }
    }

    @Override
    public Object get(String name) {
        return deques.get(name).pollFirst();
    }

    @Override
    public void add(String name, Object handle) {
        deques.get(name).addFirst((Conn) handle);
    }

    @Override
    public void close() {
        deques.clear();
    }
}
