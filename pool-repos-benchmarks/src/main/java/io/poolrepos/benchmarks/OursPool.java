package io.poolrepos.benchmarks;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.SharedLease;

/**
 * pool-repos as a user runs it: default repository (housekeeping thread on), default settings except
 * enough {@code maxNames} for the scenario, statistics and exclusivity checks on. Nothing is turned
 * off for the benchmark.
 */
final class OursPool implements ExclusivePool, SharingPool {

    static final ConnectionAdapter<Conn> ADAPTER = ConnectionAdapter.of(Conn.class, Conn::isAlive, c -> { });

    private final PoolRepository repository;
    private final ConnectionPool<Conn> pool;

    OursPool(String[] names, int perName, boolean sharable) {
        this(PoolRepository.create(), names, perName, sharable);
    }

    OursPool(PoolRepository repository, String[] names, int perName, boolean sharable) {
        this.repository = repository;
        this.pool = repository.pool("bench", ADAPTER, PoolSettings.builder()
                .maxNames(Math.max(names.length, PoolSettings.defaults().maxNames()))
                .sharable(sharable)
                .build());
        for (String name : names) {
            for (int i = 0; i < perName; i++) {
                pool.add(name, new Conn());
            }
        }
    }

    ConnectionPool<Conn> pool() {
        return pool;
    }

    @Override
    public Object get(String name) {
        return pool.get(name).orElse(null);
    }

    @Override
    public void add(String name, Object handle) {
        pool.add(name, (Conn) handle);
    }

    @Override
    public Object share(String name) {
        return pool.share(name).orElse(null);
    }

    @Override
    public void release(Object lease) {
        ((SharedLease<?>) lease).close();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Conn leasedConnection(Object lease) {
        return ((SharedLease<Conn>) lease).connection();
    }

    @Override
    public void close() {
        repository.close();
    }
}
