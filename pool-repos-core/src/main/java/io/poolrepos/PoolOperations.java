package io.poolrepos;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * What an operator can do to a running pool: change its limits, suspend and resume hand-outs, and
 * retire its connections without dropping loans (soft eviction). Obtain it with
 * {@link ConnectionPool#operations()}.
 *
 * <p><b>Thread-safety.</b> Thread-safe. Operations on one pool take effect one after the other (each
 * holds the pool's operations lock while it changes state; none holds it while it closes a
 * connection or waits), and run at the same time as the pool's traffic, which takes no lock for
 * them: {@code get}, {@code add} and {@code acquire} each read the current limits, the suspension
 * and the eviction instants once where they decide. A call that overlaps an operation sees the state
 * before it or after it.
 *
 * <p><b>Books.</b> Every connection an operation closes is counted: closed because it was over a
 * lowered limit as {@link Counter#OVERFLOWED}, because it was soft-evicted as
 * {@link Counter#DISCARDED} (closed on purpose, as by {@code drain}).
 */
public interface PoolOperations {

    /** How {@code acquire}, {@code get} and {@code share} behave while the pool is suspended. */
    enum SuspendMode {
        /**
         * {@code acquire} waits until the pool is resumed or its own timeout passes (then an
         * {@link AcquireTimeoutException}); {@code get} and {@code share} find nothing.
         */
        WAIT,
        /** {@code acquire}, {@code get} and {@code share} fail at once with a {@link PoolSuspendedException}. */
        FAIL_FAST
    }

    /** The pool's current limits. */
    PoolLimits limits();

    /**
     * Changes some of the pool's limits at once: {@code change} sets those that change on a builder
     * that starts from the current ones; the pool then reads the new settings everywhere
     * ({@link ConnectionPool#settings()} included). Checked as {@link PoolSettings} checks them; a
     * rejected change changes nothing.
     *
     * <p>Lowered limits: idle connections above them are closed now, connections on loan when they
     * come back while their name is still above {@code maxOpenPerName} (or the pool above
     * {@code maxOpenInPool}, or their place above {@code maxIdlePerName}). A give-back that overlaps
     * the resize may leave its connection idle above a lowered idle limit; the next give-back of that
     * connection applies the limit. Raised {@code maxOpenPerName} or {@code maxOpenInPool}: callers
     * waiting in {@code acquire} or {@code share} get the new room at once.
     *
     * <p>Each name has a fixed number of idle places: the configured {@code maxIdlePerName}, or the
     * current one when that was higher as the name was created. So lowering {@code maxIdlePerName} and
     * raising it again up to the configured value applies to every name, while raising it above the
     * configured value applies to names created after the change (a name is created anew once
     * housekeeping has removed it, which it does when the name holds no connection). {@code maxIdleInPool}
     * and {@code maxOpenInPool} can be changed only in a pool created with them (not 0): without one
     * the pool does not count its idle (or open) connections, which every give-back (or connect and
     * close) would pay for.
     *
     * @return the new limits
     * @throws InvalidArgumentException when a value is out of range, contradicts another limit, or
     *     sets {@code maxIdleInPool} or {@code maxOpenInPool} on a pool created without it; nothing changed
     * @throws PoolClosedException when the pool is closed
     */
    PoolLimits resize(Consumer<PoolLimits.Builder> change);

    /**
     * Suspends hand-outs: from now on {@code acquire}, {@code get} and {@code share} behave as
     * {@code mode} says, and callers already waiting in {@code acquire} at a name's open limit move to
     * waiting for the resume (or fail, with {@link SuspendMode#FAIL_FAST}). {@code add},
     * {@code discard} and {@code drain} go on as usual, so that loans come back and become idle, not
     * handed to a waiter. A hand-out already past its check when this is called completes. Suspending a suspended pool changes only its mode.
     *
     * @throws PoolClosedException when the pool is closed
     */
    void suspend(SuspendMode mode);

    /** Ends a suspension, if any, and wakes every caller waiting for it. */
    void resume();

    /** The mode of the current suspension, or empty while the pool is not suspended. */
    Optional<SuspendMode> suspension();

    /**
     * Soft-evicts one name: every connection of it that exists now is closed and never handed out
     * again; idle ones now, shared ones when their last sharer leaves, those on loan when they come
     * back (and are not handed to a waiter). The loans themselves go on undisturbed. Connections made
     * later are kept; with the repository's housekeeping clock (10 ms steps) one made within the same
     * step as the call may be closed too.
     *
     * @return how many connections were closed now
     * @throws InvalidArgumentException when {@code name} is null or blank
     */
    int softEvict(String name);

    /** Soft-evicts every name of the pool, as {@link #softEvict(String)} does; returns how many were closed now. */
    int softEvictAll();
}
