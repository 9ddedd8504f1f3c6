package io.poolrepos;

/**
 * What {@link ConnectionPool#add} did with a connection. Whatever the result, the caller no longer
 * owns the connection: it is either idle in the pool or closed (and counted). Immutable and
 * thread-safe.
 */
public enum AddResult {
    /** The connection is idle in the pool and can be handed out again. */
    POOLED,
    /** The connection was closed or dead; the pool closed it and counted it as closed-dead. */
    CLOSED_DEAD,
    /** The connection outlived {@link PoolSettings#maxLifetime()}, or was soft-evicted ({@link PoolOperations#softEvict}); the pool closed it. */
    CLOSED_EXPIRED,
    /** Keeping it would exceed a limit (max idle per name or in the pool, max open); the pool closed it. */
    CLOSED_OVERFLOW,
    /** The pool is closed; the pool closed the connection. */
    CLOSED_POOL_CLOSED
}
