package io.poolrepos.benchmarks;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;

/**
 * commons-pool2's {@code GenericKeyedObjectPool} at a limit, for the oversubscribed scenario:
 * {@code maxTotalPerKey} and {@code maxIdlePerKey} the number of connections, {@code fairness} on or
 * off, a borrow blocking up to the timeout it is given; every other setting at its default, objects
 * that are plain {@code Object}s. Shaped as {@link OversubscribedRun} expects (acquire as a
 * {@code Function<Duration, Object>} that throws {@code NoSuchElementException} on timeout, give-back
 * as a {@code Consumer}), because that class loads it by name. Thread-safe.
 */
public final class CommonsPool2Waiting implements Function<Duration, Object>, Consumer<Object>, AutoCloseable {

    private final GenericKeyedObjectPool<String, Object> pool;

    public CommonsPool2Waiting(int connections, boolean fairness) {
        GenericKeyedObjectPoolConfig<Object> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotalPerKey(connections);
        config.setMaxIdlePerKey(connections);
        config.setFairness(fairness);
        config.setBlockWhenExhausted(true);
        pool = new GenericKeyedObjectPool<>(new BaseKeyedPooledObjectFactory<>() {
            @Override
            public Object create(String key) {
                return new Object();
            }

            @Override
            public PooledObject<Object> wrap(Object value) {
                return new DefaultPooledObject<>(value);
            }
        }, config);
    }

    /** Borrows, waiting at most {@code timeout}; {@code NoSuchElementException} when it ran out. */
    @Override
    public Object apply(Duration timeout) {
        try {
            return pool.borrowObject(OversubscribedRun.NAME, timeout.toMillis());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void accept(Object connection) {
        pool.returnObject(OversubscribedRun.NAME, connection);
    }

    @Override
    public void close() {
        pool.close();
    }
}
