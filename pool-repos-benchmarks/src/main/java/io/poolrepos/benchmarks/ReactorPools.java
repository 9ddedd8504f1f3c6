package io.poolrepos.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolBuilder;
import reactor.pool.PooledRef;

/**
 * reactor-pool: one {@code SimpleDequePool} (what {@code PoolBuilder.buildPool()} builds) per name in
 * a {@link ConcurrentHashMap}. Its API is asynchronous; this adapter BLOCKS on each acquire and
 * release ({@code Mono.block()}), which is how a thread-per-request caller would use it.
 */
final class ReactorPools implements ExclusivePool {

    private final ConcurrentHashMap<String, InstrumentedPool<Conn>> pools = new ConcurrentHashMap<>();

    ReactorPools(String[] names, int perName) {
        for (String name : names) {
            InstrumentedPool<Conn> pool = PoolBuilder.from(Mono.fromSupplier(Conn::new))
                    .sizeBetween(0, perName)
                    .idleResourceReuseMruOrder()
                    .buildPool();
            pools.put(name, pool);
            // Allocate perName connections now, then release them all, so that they are idle.
            List<PooledRef<Conn>> refs = new ArrayList<>();
            for (int i = 0; i < perName; i++) {
                refs.add(pool.acquire().block());
            }
            refs.forEach(ref -> ref.release().block());
        }
    }

    @Override
    public Object get(String name) {
        return pools.get(name).acquire().block();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void add(String name, Object handle) {
        ((PooledRef<Conn>) handle).release().block();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Conn connection(Object handle) {
        return ((PooledRef<Conn>) handle).poolable();
    }

    @Override
    public void close() {
        pools.values().forEach(InstrumentedPool::dispose);
    }
}
