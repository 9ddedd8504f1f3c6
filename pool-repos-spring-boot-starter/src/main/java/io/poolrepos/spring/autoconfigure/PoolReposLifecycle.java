package io.poolrepos.spring.autoconfigure;

import java.time.Duration;

import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.ShutdownReport;
import io.poolrepos.Statistics;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The pool repository in the application's lifecycle: on start, the warm-up of the configured
 * {@code warm-up-names} begins ({@link StartupWarmUp}); on stop, the repository shuts down gracefully
 * with {@code pool-repos.shutdown-timeout} ({@link PoolRepository#close(Duration)}): new acquires fail
 * saying it is shutting down, loans given back are closed, and those still out at the timeout are
 * closed under their holders and logged by the core. A stopped repository stays closed: stopping the
 * context ends the pools for good.
 *
 * <p>Thread-safe: Spring calls start and stop one at a time; {@link #isRunning()} reads a volatile flag.
 */
final class PoolReposLifecycle implements SmartLifecycle {

    /**
     * Lifecycle beans stop in descending phase order and start in ascending order. Boot stops web
     * requests in two steps: WebServerGracefulShutdownLifecycle (phase DEFAULT_PHASE - 1024) waits for
     * the requests in flight, then WebServerStartStopLifecycle (DEFAULT_PHASE - 2048) stops the server.
     * Below both, the repository drains only once no request can arrive and those in flight are done
     * with their connections, or abandoned by the server's own timeout; beans at the default phase (task
     * executors and schedulers, message listeners) have stopped too. On start, being lower means the
     * warm-up begins before the web server listens.
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

    private static final Log LOG = LogFactory.getLog(PoolReposLifecycle.class);

    private final PoolRepository repository;
    private final StartupWarmUp warmUp;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    PoolReposLifecycle(PoolRepository repository, StartupWarmUp warmUp, Duration shutdownTimeout) {
        this.repository = repository;
        this.warmUp = warmUp;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        warmUp.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (repository.isClosed()) {
            return;
        }
        int out = 0;
        for (ConnectionPool<?> pool : repository.pools()) {
            Statistics totals = pool.totals();
            out += totals.inUse() + totals.sharedConnections();
        }
        if (out > 0) {
            LOG.info("Shutting down the pool repository: waiting up to " + shutdownTimeout + " (pool-repos.shutdown-timeout) for "
                    + out + " connection(s) on loan or shared to come back");
        }
        ShutdownReport report = repository.close(shutdownTimeout);
        if (out > 0 && report.isClean()) {
            LOG.info("Pool repository shut down cleanly: every connection came back within " + report.waited().toMillis() + " ms");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
