package io.poolrepos;

/**
 * Thrown by {@code add} or {@code discard} when taking the connection would let two users hold one
 * socket, or when the connection does not belong where it is being given. The pool is unchanged and
 * the caller still owns the connection. Immutable and thread-safe.
 */
public class ConnectionRejectedException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    /** Why a connection was rejected. */
    public enum Reason {
        /** The connection is already idle in the pool: adding it again would let two callers get it. */
        ALREADY_IDLE,
        /** The connection is idle in the pool and shared: it is not the caller's to give. */
        BEING_SHARED,
        /** Another thread is adding the same connection at this moment. */
        BEING_ADDED,
        /** The connection was taken from another name of this pool; it must go back under that name. */
        TAKEN_FROM_OTHER_NAME,
        /** The connection belongs to another pool of the repository. */
        TAKEN_FROM_OTHER_POOL,
        /** The object is not of the pool's connection type. */
        WRONG_TYPE,
        /** {@code discard} of a connection that is not on loan from this pool. */
        NOT_ON_LOAN
    }

    private final String poolName;
    private final String name;
    private final Reason reason;

    ConnectionRejectedException(String poolName, String name, Reason reason, String detail) {
        super("Connection rejected by pool '" + NameMasking.mask(poolName) + "' for name '" + NameMasking.mask(name) + "' (" + reason + "): " + detail);
        this.poolName = poolName;
        this.name = name;
        this.reason = reason;
    }

    public String getPoolName() {
        return poolName;
    }

    public String getName() {
        return name;
    }

    public Reason getReason() {
        return reason;
    }
}
