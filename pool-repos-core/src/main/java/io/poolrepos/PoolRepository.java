package io.poolrepos;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A registry of named {@link ConnectionPool}s, created on demand: asking for a pool by name gives the
 * same pool every time, and asking with different settings is an error.
 *
 * <p>One background thread per repository (not per pool) enforces idle timeouts and lifetimes,
 * reports leaks and removes names that hold no connection; see {@link Builder#housekeepingPeriod}.
 * A second one, created for the first {@link ConnectionPool#warm warm-up}, opens the connections
 * of warm-ups. {@link #close()} closes every idle connection and stops both threads;
 * {@link #close(Duration)} also waits for connections on loan.
 *
 * <p>Thread-safe: pools can be created, used and listed from any thread.
 */
public interface PoolRepository extends AutoCloseable {

    /** A repository with the default housekeeping period. */
    static PoolRepository create() {
        return builder().build();
    }

    /** A builder for a repository. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * The pool named {@code poolName}, created with these settings if it does not exist.
     *
     * @throws PoolConflictException when the pool exists with other settings or another connection type
     * @throws PoolClosedException when the repository is closed
     * @throws InvalidArgumentException when an argument is null or the name is blank
     */
    <C> ConnectionPool<C> pool(String poolName, ConnectionAdapter<C> adapter, PoolSettings settings);

    /**
     * The pool named {@code poolName}, created with these settings and a factory for
     * {@link ConnectionPool#acquire} if it does not exist. When the pool exists, the factory it was
     * created with stays in use.
     *
     * @throws PoolConflictException when the pool exists with other settings, another connection type,
     *     or without a factory
     * @throws PoolClosedException when the repository is closed
     * @throws InvalidArgumentException when an argument is null or the name is blank
     */
    <C> ConnectionPool<C> pool(String poolName, ConnectionAdapter<C> adapter, PoolSettings settings,
            ConnectionFactory<? extends C> factory);

    /** The pool named {@code poolName}, or empty. */
    Optional<ConnectionPool<?>> find(String poolName);

    /**
     * The pool named {@code poolName}, typed.
     *
     * @throws PoolNotFoundException when there is no such pool
     * @throws InvalidArgumentException when the pool holds another connection type
     */
    <C> ConnectionPool<C> require(String poolName, Class<C> connectionType);

    /** Every pool, in the order they were created. */
    List<ConnectionPool<?>> pools();

    /** A snapshot of every pool, in the order they were created. */
    List<PoolSnapshot> snapshot();

    /** Registers a listener for events of every pool, present and future. */
    void addListener(PoolListener listener);

    /** Unregisters a listener; does nothing if it was not registered. */
    void removeListener(PoolListener listener);

    /** Whether {@link #close()} was called. */
    boolean isClosed();

    /**
     * Closes every pool (idle connections now, shared ones after their last sharer, loaned ones when
     * they are given back) and stops housekeeping. Idempotent; never throws.
     */
    @Override
    void close();

    /**
     * Shuts the repository down gracefully: closes it as {@link #close()} does (no more hand-outs;
     * {@code get}, {@code share} and {@code acquire} fail with a {@link PoolClosedException} saying the
     * repository is shutting down; idle connections are closed now and connections given back are
     * closed), then waits up to {@code timeout} for every connection on loan or shared to come back.
     * Those still out then are closed under their holders (whose next use fails) and logged, per pool
     * and masked name; their records are counted as discarded when they are given back. Calling it
     * again waits again; it never throws but for a bad argument. An interrupt ends the wait early.
     *
     * @return what had to be closed under its holders; {@link ShutdownReport#isClean()} when nothing
     * @throws InvalidArgumentException when {@code timeout} is null or negative
     */
    ShutdownReport close(Duration timeout);

    /** Collects the settings of a repository. Not thread-safe; the repository it builds is. */
    final class Builder {

        private Duration housekeepingPeriod = Duration.ofSeconds(30);
        private Ticker ticker = Ticker.SYSTEM;
        private Hooks hooks = Hooks.NONE;
        private java.util.concurrent.Executor executor;

        Builder() {
        }

        /**
         * How often the background thread evicts expired idle connections, reports leaks and removes
         * empty names. {@link Duration#ZERO} runs no thread: then expiry is checked only on
         * {@code get}, {@code share} and {@code add}, names are never removed and no leak is reported.
         * Defaults to 30 seconds.
         *
         * <p>The same thread also keeps a coarse clock (10 ms resolution) that {@code get}, {@code add}
         * and {@code share} use for expiry checks and idle stamps instead of reading the system clock
         * on every call; so timeouts are exact to about 10 ms, and FIFO order among connections given
         * back within the same 10 ms is not defined. Without the thread, they read the system clock.
         */
        public Builder housekeepingPeriod(Duration housekeepingPeriod) {
            this.housekeepingPeriod = Checks.duration(housekeepingPeriod, "housekeepingPeriod");
            return this;
        }

        /**
         * Where the pools run {@code acquireAsync} and {@code shareAsync}: each pending call occupies a
         * task of this executor while it waits or connects (the calling thread never does). Unset, the
         * repository creates its own on the first such call: a cached pool of daemon threads named
         * {@code pool-repos-async-<n>-<k>}, stopped when the repository closes; an executor given here is
         * the caller's to stop. On JDK 21 or later, {@code Executors.newVirtualThreadPerTaskExecutor()}
         * lets many thousands of calls wait at little cost.
         */
        public Builder executor(java.util.concurrent.Executor executor) {
            this.executor = Checks.notNull(executor, "executor");
            return this;
        }

        /** Time source for tests in this package. */
        Builder ticker(Ticker ticker) {
            this.ticker = Checks.notNull(ticker, "ticker");
            return this;
        }

        /** Pause points for tests in this package (see {@link Hooks}). */
        Builder hooks(Hooks hooks) {
            this.hooks = Checks.notNull(hooks, "hooks");
            return this;
        }

        /** A new repository with these settings; its housekeeping thread, if any, starts now. */
        public PoolRepository build() {
            return new DefaultPoolRepository(housekeepingPeriod, ticker, hooks, executor);
        }
    }
}
