package io.poolrepos;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One pool of a {@link PoolRepository}: for each <em>name</em> (usually {@code host:port}) the open
 * connections kept for it. Obtain one from {@link PoolRepository#pool}.
 *
 * <p><b>Exclusivity.</b> A connection handed out by {@link #get} or {@link #acquire} is held by the
 * caller alone until it gives it back with {@link #add} (or closes it with {@link #discard}): no
 * other {@code get}, {@code acquire} or {@code share} hands it out meanwhile, and a connection with
 * an open {@link SharedLease} is never handed out by {@code get} or {@code acquire}.
 *
 * <p><b>Nothing is lost.</b> Every connection that enters the pool is at every moment idle, in use,
 * or closed and counted; see {@link Statistics}. Every connection taken MUST be given back, dead or
 * alive: {@code add} closes a dead one and frees its place.
 *
 * <p><b>Thread-safety.</b> Instances are thread-safe; no call holds a lock while it closes or opens
 * a connection, and no call blocks longer than {@link PoolSettings#acquireTimeout()} plus one
 * connect. The cost of a call does not grow with the number of names.
 *
 * @param <C> the connection type
 */
public interface ConnectionPool<C> {

    /** The pool's name in its repository. */
    String poolName();

    /** The connection type this pool holds. */
    Class<C> connectionType();

    /** The pool's current settings: those it was created with, with the limits an operator changed since. */
    PoolSettings settings();

    /** Runtime operations on this pool: resize, suspend and resume, soft eviction. */
    PoolOperations operations();

    /** Whether the pool has a {@link ConnectionFactory}, so that {@link #acquire} can open connections. */
    boolean canConnect();

    /**
     * Puts a connection into the pool under {@code name}: one taken from it earlier, or one the pool
     * has not seen yet. Whatever the result, the caller MUST NOT use the connection any more.
     *
     * <p>A connection that is closed or dead is closed and counted ({@link AddResult#CLOSED_DEAD}), as
     * is one past its lifetime. One that would exceed a limit is closed and counted as overflowed.
     * After the pool closed, the connection is closed.
     *
     * @return what became of the connection
     * @throws ConnectionRejectedException when the connection is already idle in the pool, is shared,
     *     is being added by another thread, was taken from another name or pool, or is of the wrong
     *     type; the pool is unchanged and the caller still owns the connection
     * @throws NameLimitExceededException when {@code name} is new and the pool holds
     *     {@link PoolSettings#maxNames()} names; the caller still owns the connection
     * @throws InvalidArgumentException when {@code name} is null or blank or {@code connection} null
     */
    AddResult add(String name, C connection);

    /**
     * Takes an idle connection of {@code name} for exclusive use, without waiting. Connections found
     * dead or expired on the way are closed, counted and skipped; a shared connection is never taken.
     * Which idle connection comes first follows {@link PoolSettings#idleOrder()}.
     *
     * @return the connection, or empty when the name has no idle, unshared, live connection
     * @throws PoolClosedException when the pool is closed
     * @throws InvalidArgumentException when {@code name} is null or blank
     */
    Optional<C> get(String name);

    /**
     * Leases a connection of {@code name} that stays in the pool, so that several callers may use it
     * at once. Takes the connection with the fewest sharers (of equally loaded ones, preferably the
     * one this thread joined last), and never one that already has
     * {@link PoolSettings#maxSharersPerConnection()} sharers, nor one on exclusive loan.
     *
     * <p><b>Without a {@link ConnectionFactory}</b> it does not wait and does not connect: it joins an
     * idle connection given to the pool with {@link #add}, or returns empty.
     *
     * <p><b>With a factory</b> it shares or connects, as {@link #acquire} takes or connects: when every
     * connection of the name is at its sharer limit, or there is none, it opens a new one, which stays
     * in the pool shared by the caller; at the name's limit it waits up to
     * {@link PoolSettings#acquireTimeout()}. A shared connection needs one of the name's idle places,
     * so {@code share} opens at most {@link PoolSettings#maxIdlePerName()} connections per name (or
     * {@link PoolSettings#maxOpenPerName()} when that is lower), and only while
     * {@link PoolSettings#maxIdleInPool()} leaves a place. Waiting is first come, first served among
     * callers of {@code share}: the share of a sharer that closes its lease goes to the one that has
     * waited longest, and a caller that arrives while others wait queues behind them. The waiter limit,
     * connect backoff and exceptions are those of {@code acquire}, and so is the behaviour while the
     * pool is suspended ({@link PoolOperations#suspend}); without a factory a suspended pool shares
     * nothing.
     *
     * @return a lease to close when done. Empty only when the pool has no factory and no connection of
     *     the name can take another sharer, or when the pool keeps no idle connections
     *     ({@code maxIdlePerName} 0), so that nothing can be shared
     * @throws PoolNotSharableException when the pool is not {@linkplain PoolSettings#sharable() sharable}
     * @throws PoolClosedException when the pool is or becomes closed
     * @throws InvalidArgumentException when {@code name} is null or blank
     * @throws AcquireTimeoutException with a factory, when nothing came free in time
     * @throws WaiterLimitExceededException with a factory, when {@link PoolSettings#maxWaitersPerName()}
     *     callers wait in {@code share} already
     * @throws ConnectFailedException with a factory, when the factory failed; a
     *     {@link ConnectBackoffException}, at once, while the name is in connect backoff
     * @throws NameLimitExceededException with a factory, when {@code name} is new and the pool is full of names
     */
    Optional<SharedLease<C>> share(String name);

    /**
     * {@link #share(String)}, waiting at most {@code timeout} instead of the pool's
     * {@link PoolSettings#acquireTimeout()}; the same as {@code share(name)} in a pool without a factory,
     * which never waits.
     *
     * @throws InvalidArgumentException when {@code timeout} is null or negative, or {@code name} null or blank
     * @throws AcquireTimeoutException when nothing came free within {@code timeout}
     */
    Optional<SharedLease<C>> share(String name, java.time.Duration timeout);

    /**
     * Takes an idle connection of {@code name}, or opens a new one with the pool's
     * {@link ConnectionFactory}. At {@link PoolSettings#maxOpenPerName()} it waits up to
     * {@link PoolSettings#acquireTimeout()} for a connection to come back or a place to free up.
     * Waiting is first come, first served: a connection given back, or room freed, goes to the caller
     * that has waited longest, and a caller that arrives while others wait queues behind them.
     *
     * @return a connection for exclusive use; give it back with {@link #add}
     * @throws NoConnectionFactoryException when the pool has no factory
     * @throws AcquireTimeoutException when nothing came free in time; the message carries the counts
     * @throws WaiterLimitExceededException when {@link PoolSettings#maxWaitersPerName()} callers wait already
     * @throws ConnectFailedException when the factory failed; a {@link ConnectBackoffException}, at once,
     *     while the name is in {@linkplain PoolSettings#connectBackoff() connect backoff}
     * @throws NameLimitExceededException when {@code name} is new and the pool is full of names
     * @throws PoolClosedException when the pool is or becomes closed
     * @throws InvalidArgumentException when {@code name} is null or blank
     */
    C acquire(String name);

    /**
     * {@link #acquire(String)}, waiting at most {@code timeout} instead of the pool's
     * {@link PoolSettings#acquireTimeout()}: a deadline for this call alone.
     *
     * @throws InvalidArgumentException when {@code timeout} is null or negative, or {@code name} null or blank
     * @throws AcquireTimeoutException when nothing came free within {@code timeout}
     */
    C acquire(String name, java.time.Duration timeout);

    /**
     * {@link #acquire(String)} without blocking the calling thread: the returned future completes with
     * a connection for exclusive use (give it back with {@link #add}) when one is idle, opened, or comes
     * free within {@link PoolSettings#acquireTimeout()}, counted from this call; else exceptionally with
     * what {@code acquire} throws ({@link AcquireTimeoutException} and the others), unwrapped. The wait
     * and the connect run on the repository's executor ({@link PoolRepository.Builder#executor}); the
     * waiter takes its place in the same first come, first served line as blocking callers, when the
     * executor starts it.
     *
     * <p><b>Cancelling</b> the future ({@code cancel}) ends its wait; a connection that reaches a future
     * already cancelled or completed otherwise goes back to the pool, counted as added, so none is lost.
     *
     * <p>On a virtual thread, prefer plain {@code acquire}: blocking there costs no platform thread. In
     * reactive code wrap it lazily, {@code Mono.fromFuture(() -> pool.acquireAsync(name))}: disposing the
     * subscription cancels the future, and the connection is not lost.
     *
     * @throws NoConnectionFactoryException at once, when the pool has no factory
     * @throws PoolClosedException at once, when the pool is closed (the future fails with it when the pool
     *     closes later)
     * @throws InvalidArgumentException at once, when {@code name} is null or blank
     */
    java.util.concurrent.CompletableFuture<C> acquireAsync(String name);

    /**
     * {@link #acquireAsync(String)}, waiting at most {@code timeout} from this call.
     *
     * @throws InvalidArgumentException at once, when {@code timeout} is null or negative
     */
    java.util.concurrent.CompletableFuture<C> acquireAsync(String name, java.time.Duration timeout);

    /**
     * {@link #share(String)} of a pool with a factory, without blocking the calling thread: as
     * {@link #acquireAsync(String)}, the future completes with a lease (close it when done), or
     * exceptionally; a lease that reaches a future already cancelled is closed. It completes with
     * {@code null} only in a pool that keeps no idle connections ({@code maxIdlePerName} 0).
     *
     * @throws PoolNotSharableException at once, when the pool is not sharable
     * @throws NoConnectionFactoryException at once, when the pool has no factory (its {@code share} never waits)
     * @throws PoolClosedException at once, when the pool is closed
     * @throws InvalidArgumentException at once, when {@code name} is null or blank
     */
    java.util.concurrent.CompletableFuture<SharedLease<C>> shareAsync(String name);

    /** {@link #shareAsync(String)}, waiting at most {@code timeout} from this call. */
    java.util.concurrent.CompletableFuture<SharedLease<C>> shareAsync(String name, java.time.Duration timeout);

    /**
     * Runs {@code work} with a connection from {@link #acquire} and gives it back: with {@link #add}
     * when the work returns or fails in a way that leaves the connection fit, with {@link #discard}
     * when it fails in a way that may have broken it. Broken, by default ({@link #breaksConnection}):
     * an {@link java.io.IOException} anywhere in the failure's causes (a read timeout, a reset, an
     * {@link java.io.UncheckedIOException}), or an {@link Error}; a connection whose request failed
     * midway may be out of step and must not be handed out again. Any other exception (the protocol
     * answered with an error, the application rejected the reply) gives the connection back, where
     * {@code add} still checks it.
     *
     * @return what the work returned
     * @throws X what the work threw, always the original; a failure while giving the connection back or
     *     discarding it is added to it as suppressed
     * @throws PoolReposException what {@code acquire} throws
     */
    default <R, X extends Exception> R call(String name, ConnectionWork<? super C, ? extends R, X> work) throws X {
        return call(name, work, ConnectionPool::breaksConnection);
    }

    /**
     * {@link #call(String, ConnectionWork)}, with {@code breaks} telling which failures of the work
     * leave the connection broken (discarded) rather than fit (given back). An {@link Error} always
     * discards it.
     */
    default <R, X extends Exception> R call(String name, ConnectionWork<? super C, ? extends R, X> work,
            Predicate<? super Exception> breaks) throws X {
        Checks.notNull(work, "work");
        Checks.notNull(breaks, "breaks");
        C connection = acquire(name);
        R result;
        try {
            result = work.apply(connection);
        } catch (Throwable failure) {
            try {
                if (!(failure instanceof Exception ex) || breaks.test(ex)) {
                    discard(name, connection);
                } else {
                    add(name, connection);
                }
            } catch (RuntimeException | Error givingBack) {
                failure.addSuppressed(givingBack);
            }
            throw failure;
        }
        add(name, connection);
        return result;
    }

    /**
     * Whether a failure of work on a connection means the connection may be broken: an
     * {@link java.io.IOException} is the failure or one of its causes. What {@link #call(String,
     * ConnectionWork)} uses.
     */
    static boolean breaksConnection(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts keeping {@link PoolSettings#minIdlePerName()} idle connections open for each of
     * {@code names}, and returns at once. The pool's {@link ConnectionFactory} opens them on the
     * repository's warm-up thread, never on a caller's; housekeeping tops the names up after evictions
     * and closes for as long as the pool is open. Connects count as any other (created, connect
     * failures) and keep to {@code maxOpenPerName}, {@code maxIdleInPool} and connect backoff, so a
     * backend that is down is retried no more often than backoff allows. Names given again stay as
     * they are.
     *
     * @return the warm-up of these names, to poll or wait on
     * @throws NoConnectionFactoryException when the pool has no factory
     * @throws InvalidArgumentException when {@code names} is null or holds a null or blank name, or
     *     {@code minIdlePerName} is 0 and {@code names} is not empty
     * @throws PoolClosedException when the pool is closed
     */
    WarmUp warm(java.util.Collection<String> names);

    /**
     * Closes a connection taken from this pool under {@code name} that the caller will not give back
     * (broken mid-request, say), and frees its place for {@code acquire}. Counted as discarded.
     *
     * @throws ConnectionRejectedException when the connection is not on loan from this pool under {@code name}
     * @throws InvalidArgumentException when {@code name} is null or blank or {@code connection} null
     */
    void discard(String name, C connection);

    /**
     * Closes every idle, unshared connection of {@code name}; shared ones are closed after their last
     * sharer leaves. Connections on loan are not touched.
     *
     * @return how many connections were closed now
     */
    int drain(String name);

    /** Closes every idle connection of every name, as {@link #drain(String)} does. */
    int drainAll();

    /**
     * Live statistics summed over every name, including names removed since. A count read here never
     * goes down from one reading to the next, names being removed meanwhile or not.
     */
    Statistics totals();

    /** Live statistics of one name, or empty when the pool holds no connection for it. */
    Optional<NameStatistics> statistics(String name);

    /** Live statistics of every current name, in no particular order. */
    List<NameStatistics> names();

    /** An immutable copy of the pool's figures, per name sorted by name. Costs time in proportion to the names. */
    PoolSnapshot snapshot();

    /** Whether the pool (or its repository) is closed. */
    boolean isClosed();
}
