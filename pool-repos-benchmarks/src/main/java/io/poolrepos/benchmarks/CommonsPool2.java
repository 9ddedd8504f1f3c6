package io.poolrepos.benchmarks;

import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;

/**
 * Apache Commons Pool2 {@code GenericKeyedObjectPool}, one key per name: borrowObject / returnObject.
 * Either with its defaults (JMX on, detailed statistics on) or tuned for speed as the issue asks:
 * {@code collectDetailedStatistics=false}, {@code reuseCapacityOnReturn=false} (and on maintenance),
 * JMX off.
 */
final class CommonsPool2 implements ExclusivePool {

    private final GenericKeyedObjectPool<String, Conn> pool;

    CommonsPool2(String[] names, int perName, boolean tuned) {
        GenericKeyedObjectPoolConfig<Conn> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotalPerKey(Math.max(perName, config.getMaxTotalPerKey()));
        config.setMaxIdlePerKey(Math.max(perName, config.getMaxIdlePerKey()));
        if (tuned) {
            config.setJmxEnabled(false);
            config.setCollectDetailedStatistics(false);
            config.setReuseCapacityOnReturn(false);
            config.setReuseCapacityOnMaintenance(false);
        }
        pool = new GenericKeyedObjectPool<>(new Factory(), config);
        try {
            for (String name : names) {
                for (int i = 0; i < perName; i++) {
                    pool.addObject(name);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Object get(String name) {
        try {
            return pool.borrowObject(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void add(String name, Object handle) {
        pool.returnObject(name, (Conn) handle);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Makes dummy connections and says they are valid. */
    private static final class Factory extends BaseKeyedPooledObjectFactory<String, Conn> {

        @Override
        public Conn create(String key) {
            return new Conn();
        }

        @Override
        public PooledObject<Conn> wrap(Conn conn) {
            return new DefaultPooledObject<>(conn);
        }

        @Override
        public boolean validateObject(String key, PooledObject<Conn> p) {
            return p.getObject().isAlive();
        }
    }
}
