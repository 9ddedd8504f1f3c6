package io.poolrepos.benchmarks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reference for the limit of share: per name a fixed array of connections and a counter; share hands
 * out the next one round-robin with one atomic increment. No sharer count, no limit per connection,
 * nothing to release.
 */
final class RoundRobinShares implements SharingPool {

    private final ConcurrentHashMap<String, Ring> rings = new ConcurrentHashMap<>();

    RoundRobinShares(String[] names, int perName) {
        for (String name : names) {
            Conn[] conns = new Conn[perName];
            for (int i = 0; i < perName; i++) {
                conns[i] = new Conn();
            }
            rings.put(name, new Ring(conns));
        }
    }

    @Override
    public Object share(String name) {
        Ring ring = rings.get(name);
        return ring.conns[Math.floorMod(ring.next.getAndIncrement(), ring.conns.length)];
    }

    @Override
    public void release(Object lease) {
        // Nothing is counted per connection, so nothing to give back.
    }

    @Override
    public void close() {
        rings.clear();
    }

    private record Ring(Conn[] conns, AtomicInteger next) {
        Ring(Conn[] conns) {
            this(conns, new AtomicInteger());
        }
    }
}
