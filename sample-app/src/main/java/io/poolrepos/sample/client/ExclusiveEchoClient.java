package io.poolrepos.sample.client;

import io.poolrepos.ConnectionPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request/response over a socket held exclusively: {@code acquire} takes an idle connection (or
 * opens one), one {@code ECHO} round trip runs on it, and {@code add} gives it back. A connection
 * that failed mid-request is {@code discard}ed, never given back, because a reply may still be on
 * its way and would reach the next caller.
 *
 * <p>Thread-safe: every call works on a connection no other thread holds.
 */
public final class ExclusiveEchoClient {

    private final ConnectionPool<Socket> pool;
    private final AtomicLong acquires = new AtomicLong();

    public ExclusiveEchoClient(ConnectionPool<Socket> pool) {
        this.pool = pool;
    }

    /** The pool this client takes its connections from. */
    public ConnectionPool<Socket> pool() {
        return pool;
    }

    /**
     * Sends {@code ECHO text} to {@code name} ({@code host:port}) and returns the reply.
     *
     * @throws IllegalArgumentException when the text is not one line of at most 1000 characters
     * @throws UncheckedIOException when the round trip failed
     * @throws io.poolrepos.PoolReposException when no connection could be had
     */
    public String echo(String name, String text) {
        Lines.checkText(text);
        // Counted before the call: every successful acquire counts exactly one get hit or one created
        // connection in the pool, which the end-to-end test compares with this figure.
        acquires.incrementAndGet();
        Socket socket = pool.acquire(name);
        String reply;
        try {
            Lines.write(socket.getOutputStream(), "ECHO " + text);
            reply = Lines.read(socket.getInputStream());
        } catch (IOException | RuntimeException ex) {
            pool.discard(name, socket);
            if (ex instanceof IOException io) {
                throw new UncheckedIOException("ECHO to " + name + " failed: " + io.getMessage(), io);
            }
            throw (RuntimeException) ex;
        }
        pool.add(name, socket);
        return reply;
    }

    /** Calls of {@link #echo} that reached {@code acquire}. */
    public long acquires() {
        return acquires.get();
    }
}
