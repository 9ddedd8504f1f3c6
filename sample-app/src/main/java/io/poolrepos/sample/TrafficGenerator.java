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
 * <p>A run with trouble also runs {@link TroubleDrills} on a thread of its own, one after the other,
 * {@link #TROUBLE_PAUSE} apart, as long as the run lasts: from {@link #TROUBLE_PAUSE} in, the
 * exclusive pool is exhausted on the first backend (an acquire times out, an add under the wrong name
 * is rejected, connections overflow), then the TLS backend is stopped for {@link #OUTAGE} (connect
 * failures, fast failures in backoff, connections found dead or discarded, the pool's health DOWN). A
 * run of 8 seconds or more sees both (pause, exhaustion, pause, outage). A drill that began ends its work (the stopped
 * backend is always started again) even if the run's time is up, and the run counts as running until then.
 *
 * <p>Thread-safe.
 */
public final class TrafficGenerator implements AutoCloseable {

    static final Duration MAX_DURATION = Duration.ofMinutes(10);
    static final int MAX_WORKERS = 32;
    /** How long a worker waits after a failed call before its next one. */
    static final Duration FAILURE_PAUSE = Duration.ofMillis(50);
    static final Duration TROUBLE_PAUSE = Duration.ofSeconds(1);
    static final Duration EXHAUST_HOLD = Duration.ofSeconds(1);
    static final Duration OUTAGE = Duration.ofSeconds(3);

    private final ExclusiveEchoClient echo;
    private final SharedRequestClient shared;
    private final ExclusiveEchoClient secure;
    private final Backends backends;
    private final TroubleDrills drills;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger activeWorkers = new AtomicInteger();
    private final AtomicLong echoCalls = new AtomicLong();
    private final AtomicLong sharedCalls = new AtomicLong();
    private final AtomicLong secureCalls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final AtomicReference<String> lastTrouble = new AtomicReference<>();
    private volatile long startedAtMillis;
    private volatile long endsAtMillis;
    private volatile int workers;
    private volatile boolean trouble;
    private ExecutorService executor;

    TrafficGenerator(ExclusiveEchoClient echo, SharedRequestClient shared, ExclusiveEchoClient secure,
            Backends backends) {
        this.echo = echo;
        this.shared = shared;
        this.secure = secure;
        this.backends = backends;
        this.drills = new TroubleDrills(echo.pool(), secure.pool(), backends);
    }

    /**
     * Starts a run, unless one is running already (then that one goes on and nothing changes).
     *
     * @param duration how long the run lasts, 1 second to 10 minutes
     * @param workers concurrent callers, 1 to 32
     * @param trouble whether to run the trouble drills too (see the class comment)
     * @return the status after the call
     * @throws IllegalArgumentException when an argument is out of range
     */
    public synchronized Status start(Duration duration, int workers, boolean trouble) {
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
        executor = Executors.newFixedThreadPool(workers + (trouble ? 1 : 0), r -> {
            Thread t = new Thread(r, "traffic-" + run + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long now = System.currentTimeMillis();
        this.startedAtMillis = now;
        this.endsAtMillis = now + duration.toMillis();
        this.workers = workers;
        this.trouble = trouble;
        long deadline = System.nanoTime() + duration.toNanos();
        activeWorkers.set(workers + (trouble ? 1 : 0));
        if (trouble) {
            executor.execute(() -> {
                try {
                    makeTrouble(deadline);
                } finally {
                    activeWorkers.decrementAndGet();
                }
            });
        }
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
                // As a client should: not straight back at a backend that just failed (a stopped one
                // fails at once, and a worker would spin on it).
                if (!pause(FAILURE_PAUSE)) {
                    return;
                }
            }
        }
    }

    private void makeTrouble(long deadline) {
        try {
            if (pauseBefore(deadline)) {
                lastTrouble.set(drills.exhaust(backends.name(0), backends.name(1), EXHAUST_HOLD));
            }
            if (pauseBefore(deadline)) {
                lastTrouble.set(drills.outage(backends.tlsName(0), OUTAGE));
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            lastTrouble.set("a drill failed: " + ex);
        }
    }

    /** Sleeps; false when interrupted (the run is being stopped). */
    private static boolean pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits {@link #TROUBLE_PAUSE}; whether the run still has time for a drill after it. */
    private static boolean pauseBefore(long deadline) throws InterruptedException {
        Thread.sleep(TROUBLE_PAUSE.toMillis());
        return System.nanoTime() < deadline;
    }

    /** Where the generator stands: the current or last run and the calls since start-up. */
    public Status status() {
        return new Status(activeWorkers.get() > 0, runs.get(), workers, startedAtMillis, endsAtMillis,
                echoCalls.get(), sharedCalls.get(), secureCalls.get(), failures.get(), lastFailure.get(), trouble,
                lastTrouble.get());
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
     * @param trouble whether the current or last run makes trouble
     * @param lastTrouble what the last trouble drill did, or null
     */
    public record Status(boolean running, int runs, int workers, long startedAtMillis, long endsAtMillis,
            long echoCalls, long sharedCalls, long secureCalls, long failures, String lastFailure, boolean trouble,
            String lastTrouble) {
    }
}
