package io.poolrepos.sample;

import io.poolrepos.sample.client.ExclusiveEchoClient;
import io.poolrepos.sample.client.SharedRequestClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a bounded burst of calls so that the pool figures move while a person watches: {@code workers}
 * threads call the backends in turn until the run's time is up. Worker 0, 3, 6, … goes through the
 * exclusive pool, worker 1, 4, 7, … through the sharable one, and worker 2, 5, 8, … through the TLS
 * pool to the TLS backends, so that with three workers or more every pool has traffic. A run always
 * ends by itself; at most one runs at a time.
 *
 * <p>Thread-safe.
 */
public final class TrafficGenerator implements AutoCloseable {

    static final Duration MAX_DURATION = Duration.ofMinutes(10);
    static final int MAX_WORKERS = 32;

    private final ExclusiveEchoClient echo;
    private final SharedRequestClient shared;
    private final ExclusiveEchoClient secure;
    private final Backends backends;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger activeWorkers = new AtomicInteger();
    private final AtomicLong echoCalls = new AtomicLong();
    private final AtomicLong sharedCalls = new AtomicLong();
    private final AtomicLong secureCalls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private volatile long startedAtMillis;
    private volatile long endsAtMillis;
    private volatile int workers;
    private ExecutorService executor;

    TrafficGenerator(ExclusiveEchoClient echo, SharedRequestClient shared, ExclusiveEchoClient secure,
            Backends backends) {
        this.echo = echo;
        this.shared = shared;
        this.secure = secure;
        this.backends = backends;
    }

    /**
     * Starts a run, unless one is running already (then that one goes on and nothing changes).
     *
     * @param duration how long the run lasts, 1 second to 10 minutes
     * @param workers concurrent callers, 1 to 32
     * @return the status after the call
     * @throws IllegalArgumentException when an argument is out of range
     */
    public synchronized Status start(Duration duration, int workers) {
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration must be from 1 second to 10 minutes, was " + duration);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be from 1 to " + MAX_WORKERS + ", was " + workers);
        }
        if (activeWorkers.get() > 0) {
            return status();
        }
        if (executor != null) {
            executor.shutdown();
        }
        int run = runs.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "traffic-" + run + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long now = System.currentTimeMillis();
        this.startedAtMillis = now;
        this.endsAtMillis = now + duration.toMillis();
        this.workers = workers;
        long deadline = System.nanoTime() + duration.toNanos();
        activeWorkers.set(workers);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            executor.execute(() -> {
                try {
                    work(worker, deadline);
                } finally {
                    activeWorkers.decrementAndGet();
                }
            });
        }
        return status();
    }

    private void work(int worker, long deadline) {
        int route = worker % 3;
        for (int i = 0; System.nanoTime() < deadline && !Thread.currentThread().isInterrupted(); i++) {
            int backend = worker / 3 + i;
            String text = "w" + worker + "-" + i;
            try {
                String reply;
                if (route == 0) {
                    reply = echo.echo(backends.name(backend), text);
                    echoCalls.incrementAndGet();
                } else if (route == 1) {
                    reply = shared.request(backends.name(backend), text);
                    sharedCalls.incrementAndGet();
                } else {
                    reply = secure.echo(backends.tlsName(backend), text);
                    secureCalls.incrementAndGet();
                }
                if (!reply.equals(text)) {
                    throw new IllegalStateException("reply '" + reply + "' does not match request '" + text + "'");
                }
            } catch (RuntimeException ex) {
                failures.incrementAndGet();
                lastFailure.set(ex.toString());
            }
        }
    }

    /** Where the generator stands: the current or last run and the calls since start-up. */
    public Status status() {
        return new Status(activeWorkers.get() > 0, runs.get(), workers, startedAtMillis, endsAtMillis,
                echoCalls.get(), sharedCalls.get(), secureCalls.get(), failures.get(), lastFailure.get());
    }

    /** Stops a run in progress. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * A reading of the generator. Immutable.
     *
     * @param running whether a run is in progress
     * @param runs runs started since start-up
     * @param workers workers of the current or last run
     * @param startedAtMillis when the current or last run started (epoch millis), 0 if none
     * @param endsAtMillis when it ends or ended (epoch millis), 0 if none
     * @param echoCalls successful calls through the exclusive pool, all runs
     * @param sharedCalls successful calls through the sharable pool, all runs
     * @param secureCalls successful calls through the TLS pool, all runs
     * @param failures failed calls, all runs
     * @param lastFailure the last failure, or null
     */
    public record Status(boolean running, int runs, int workers, long startedAtMillis, long endsAtMillis,
            long echoCalls, long sharedCalls, long secureCalls, long failures, String lastFailure) {
    }
}
