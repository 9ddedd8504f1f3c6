package io.poolrepos.benchmarks;

import io.poolrepos.ConnectionAdapter;
import java.io.IOException;
import java.net.Socket;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;

/**
 * commons-pool2's {@code GenericKeyedObjectPool} with one key, at its defaults but for its size:
 * {@code borrowObject}, {@code returnObject}, and {@code invalidateObject} after a failed request.
 * With {@code testOnBorrow} it validates with the library's own check,
 * {@code ConnectionAdapter.sockets().isUsable}, which probes the peer exactly as pool-repos does.
 * Thread-safe.
 */
final class CommonsPool2Sockets implements Connections {

    private final String name;
    private final GenericKeyedObjectPool<String, Socket> pool;

    CommonsPool2Sockets(Connector connector, int room, boolean testOnBorrow) {
        this.name = connector.name();
        GenericKeyedObjectPoolConfig<Socket> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotalPerKey(Math.max(room, config.getMaxTotalPerKey()));
        config.setMaxIdlePerKey(Math.max(room, config.getMaxIdlePerKey()));
        config.setTestOnBorrow(testOnBorrow);
        pool = new GenericKeyedObjectPool<>(new BaseKeyedPooledObjectFactory<>() {
            @Override
            public Socket create(String key) throws IOException {
                return connector.open();
            }

            @Override
            public PooledObject<Socket> wrap(Socket socket) {
                return new DefaultPooledObject<>(socket);
            }

            @Override
            public boolean validateObject(String key, PooledObject<Socket> p) {
                return ConnectionAdapter.sockets().isUsable(p.getObject());
            }

            @Override
            public void destroyObject(String key, PooledObject<Socket> p) throws IOException {
                p.getObject().close();
            }
        }, config);
    }

    @Override
    public Socket take() throws IOException {
        try {
            return pool.borrowObject(name);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public void giveBack(Socket socket) {
        pool.returnObject(name, socket);
    }

    @Override
    public void discard(Socket socket) {
        try {
            pool.invalidateObject(name, socket);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
