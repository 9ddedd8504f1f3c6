package io.poolrepos;

/** Which idle connection of a name {@code get} hands out first. Immutable and thread-safe. */
public enum IdleOrder {
    /**
     * The most recently returned connection first: a few connections stay busy and warm, the rest
     * idle out and are evicted. The default.
     */
    LIFO,
    /**
     * The connection idle the longest first: use rotates over every connection, which keeps all of
     * them from hitting a server-side idle timeout.
     */
    FIFO
}
