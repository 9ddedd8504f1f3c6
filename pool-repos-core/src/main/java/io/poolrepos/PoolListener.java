package io.poolrepos;

/**
 * Hears what happens in a repository's pools as it happens, for metrics and logs; every method
 * defaults to doing nothing. Register one with {@link PoolRepository#addListener}.
 *
 * <p>Methods are called on the thread that caused the event, outside any lock of the pool, and MUST
 * return quickly and not call back into the pool's {@code get}/{@code add}/{@code share}. An
 * exception thrown by a listener is logged and otherwise ignored. Implementations MUST be thread-safe.
 */
public interface PoolListener {

    /** A pool was created in the repository. */
    default void poolCreated(ConnectionPool<?> pool) {
    }

    /** A name appeared in a pool: its first connection arrived. {@code statistics} stays the same object while the name exists. */
    default void nameAdded(ConnectionPool<?> pool, NameStatistics statistics) {
    }

    /** A name left a pool: it held no connection and housekeeping (or closing) removed it. */
    default void nameRemoved(ConnectionPool<?> pool, NameStatistics statistics) {
    }

    /**
     * An {@code acquire} ended.
     *
     * @param waitNanos how long the call took, including any connect and wait
     * @param outcome how it ended
     */
    default void acquireCompleted(ConnectionPool<?> pool, String name, long waitNanos, AcquireOutcome outcome) {
    }

    /**
     * A connect for {@code acquire} ended: the pool's {@link ConnectionFactory} returned a connection
     * the pool took ({@code succeeded}), or it failed and {@code acquire} throws
     * {@link ConnectFailedException}.
     *
     * @param connectNanos how long the connect took
     */
    default void connectCompleted(ConnectionPool<?> pool, String name, long connectNanos, boolean succeeded) {
    }

    /**
     * A connection handed out by {@code get} or {@code acquire} came back: given back with {@code add}
     * (whether the pool kept it or closed it) or closed with {@code discard}. Leases of {@code share}
     * are not loans.
     *
     * @param loanNanos how long it was out, measured on the repository's coarse clock (the loan's start
     *     is the time stamp that leak detection keeps anyway): exact to about 10 ms in a repository with
     *     housekeeping, exact without; the error of the start and of the end are alike, so that sums and
     *     means over many loans are right
     */
    default void loanEnded(ConnectionPool<?> pool, String name, long loanNanos) {
    }

    /** A connection has been out on loan longer than the leak-detection threshold. */
    default void leakDetected(ConnectionPool<?> pool, String name, long loanedNanos, Throwable takenAt) {
    }

    /** How an {@code acquire} ended. */
    enum AcquireOutcome {
        /** An idle connection was handed out. */
        IDLE,
        /** A new connection was opened and handed out. */
        CREATED,
        /** The call timed out. */
        TIMEOUT,
        /** The call failed: connect failed, too many waiters, or the pool closed. */
        FAILED
    }
}
