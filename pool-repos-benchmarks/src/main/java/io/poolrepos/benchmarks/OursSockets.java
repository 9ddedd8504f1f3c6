package io.poolrepos.benchmarks;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import java.net.Socket;

/**
 * pool-repos as a user runs it: a repository with its defaults, one pool with a factory, one name;
 * {@code acquire}, {@code add}, and {@code discard} after a failed request. Thread-safe.
 */
final class OursSockets implements Connections {

    private final String name;
    private final PoolRepository repository = PoolRepository.create();
    private final ConnectionPool<Socket> pool;

    OursSockets(Connector connector, ConnectionAdapter<Socket> adapter, PoolSettings settings) {
        this.name = connector.name();
        this.pool = repository.pool("kv", adapter, settings, n -> connector.open());
    }

    @Override
    public Socket take() {
        return pool.acquire(name);
    }

    @Override
    public void giveBack(Socket socket) {
        pool.add(name, socket);
    }

    @Override
    public void discard(Socket socket) {
        pool.discard(name, socket);
    }

    @Override
    public void close() {
        repository.close();
    }
}
