package io.poolrepos.sample.client;

import io.poolrepos.ConnectionPool;
import io.poolrepos.SharedLease;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many concurrent callers over few connections: each call leases a connection with {@code share}
 * (it stays in the pool, other callers lease it too) and sends a request tagged with an id, so the
 * reply reaches the right caller over the shared socket.
 *
 * <p>In a pool with a connection factory {@code share} connects by itself: when no pooled connection
 * can take another sharer it opens one within the pool's limits, or waits in line (up to the pool's
 * acquire timeout) until a sharer leaves.
 *
 * <p>Thread-safe. One {@link Multiplexer} (one reader thread) per socket, created the first time a
 * caller leases that socket and dropped when the socket fails.
 */
public final class SharedRequestClient {

    private final ConnectionPool<Socket> pool;
    private final Duration timeout;
    private final Map<Socket, Multiplexer> multiplexers = new ConcurrentHashMap<>();
    private final AtomicLong leases = new AtomicLong();

    /**
     * @param pool a sharable pool of sockets with a connection factory
     * @param timeout how long one request waits for its reply
     */
    public SharedRequestClient(ConnectionPool<Socket> pool, Duration timeout) {
        if (!pool.settings().sharable()) {
            throw new IllegalArgumentException("pool '" + pool.poolName() + "' must be sharable (sharable: true)");
        }
        if (!pool.canConnect()) {
            throw new IllegalArgumentException("pool '" + pool.poolName() + "' needs a connection factory (connect: tcp)");
        }
        this.pool = pool;
        this.timeout = timeout;
    }

    /** The pool this client leases its connections from. */
    public ConnectionPool<Socket> pool() {
        return pool;
    }

    /**
     * Sends {@code REQ <id> text} to {@code name} ({@code host:port}) over a shared connection and
     * returns the reply text.
     *
     * @throws IllegalArgumentException when the text is not one line of at most 1000 characters
     * @throws UncheckedIOException when the request failed or timed out
     * @throws io.poolrepos.PoolReposException when no connection could be had
     */
    public String request(String name, String text) {
        Lines.checkText(text);
        // Never empty in a pool that can connect: share opens a connection or waits for a sharer to leave.
        SharedLease<Socket> lease = pool.share(name).orElseThrow();
        // Counted per lease handed out: the pool's `shares` figure must match it.
        leases.incrementAndGet();
        try (lease) {
            return multiplexerFor(lease.connection()).call(text, timeout);
        }
    }

    private Multiplexer multiplexerFor(Socket socket) {
        Multiplexer m = multiplexers.get(socket);
        if (m != null) {
            return m;
        }
        return multiplexers.computeIfAbsent(socket,
                s -> Multiplexer.start(s, dead -> multiplexers.remove(dead.socket(), dead)));
    }

    /** Leases {@link #request} obtained from {@code share}. */
    public long leases() {
        return leases.get();
    }

    /** Sockets with a live reader thread. */
    public int multiplexedSockets() {
        return multiplexers.size();
    }
}
