package io.poolrepos;

/** Which idle connection of a name {@code get} hands out first. Immutable and thread-safe. */
public enum IdleOrder {
    /**
     * The most recently returned connection first: a few connections stay busy and warm, the rest
     * idle out and are evicted. The default. Once several threads compete for one name's
     * connections, each thread first tries the connection it took last (if it is idle), so that
     * threads keep to connections of their own instead of taking them from each other.
     */
    LIFO,
    /**
     * The connection idle the longest first: use rotates over every connection, which keeps all of
     * them from hitting a server-side idle timeout.
     */
    FIFO
}
