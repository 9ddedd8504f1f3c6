package io.poolrepos;

/**
 * One sharer's hold on a connection handed out by {@link ConnectionPool#share}. The connection stays
 * in the pool while leased; other threads may lease it at the same time, and {@code get} never hands
 * it out while any lease on it is open.
 *
 * <p>Close the lease when done (try-with-resources). Closing is idempotent and thread-safe; the lease
 * MUST NOT be used after it is closed. The caller MUST NOT close the connection itself: the pool
 * closes it when it is found dead or evicted and its last lease is closed.
 *
 * @param <C> the connection type
 */
public interface SharedLease<C> extends AutoCloseable {

    /** The shared connection. Several threads may hold it at once: use it only as its protocol allows. */
    C connection();

    /** The name the connection was leased for. */
    String name();

    /** Whether this lease is still open. */
    boolean isOpen();

    /**
     * Gives the lease back. The first call releases it, later calls do nothing. Never throws.
     */
    @Override
    void close();
}
