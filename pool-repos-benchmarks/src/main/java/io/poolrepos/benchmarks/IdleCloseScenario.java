package io.poolrepos.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request/reply benchmark's scenario of a server that closes idle connections: the server closes
 * every connection idle for {@code idleClose}; the client threads send bursts of requests, all threads
 * together, separated by pauses longer than that. So every connection kept from one burst to the next
 * has been closed by the server when the next burst takes it, and only a pool that notices the close
 * before handing the connection out loses no request. A failed request is counted, not retried: the
 * caller would have seen the error.
 *
 * <p>A pause lasts {@code pause} and then until the server has closed every connection, so that no
 * close races a request (that race exists for real, and no check before the request can catch it).
 * A burst is kept short ({@code requestsPerBurst} over all threads) so that connections are not closed
 * within it; its longest duration is reported. Not thread-safe: run from one thread.
 */
final class IdleCloseScenario {

    /** What happened in one run of the scenario. */
    record Result(ClientConfig config, int threads, long requests, long failed, long closedByServer, long opened,
            boolean allClosedInPauses, long longestBurstMillis, String firstFailure) {
    }

    private IdleCloseScenario() {
    }

    /**
     * Runs {@code bursts} bursts of about {@code requestsPerBurst} requests (at least 2 per thread) on
     * {@code threads} threads through {@code config}, against a server that closes connections idle
     * for {@code idleClose}, with pauses of {@code pause} in between.
     */
    static Result run(ClientConfig config, int threads, int bursts, int requestsPerBurst, Duration idleClose,
            Duration pause) throws IOException, InterruptedException {
        int perThread = Math.max(2, requestsPerBurst / threads);
        LongAdder requests = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        AtomicLong burstStart = new AtomicLong(System.nanoTime());
        AtomicLong longestBurst = new AtomicLong();
        boolean[] allClosed = {true};
        try (KeyValueServer server = new KeyValueServer(config.transport(), KeyValues.STANDARD, idleClose)) {
            Connector connector = new Connector(config.transport(), server.name());
            try (Connections connections = config.connections(connector, threads)) {
                CyclicBarrier betweenBursts = new CyclicBarrier(threads, () -> {
                    longestBurst.accumulateAndGet(System.nanoTime() - burstStart.get(), Math::max);
                    try {
                        Thread.sleep(pause.toMillis());
                        allClosed[0] &= server.awaitNoneOpen(Duration.ofSeconds(5));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    burstStart.set(System.nanoTime());
                });
                List<Thread> clients = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Lane lane = new Lane(connections, KeyValues.STANDARD, t * 97);
                    Thread client = new Thread(() -> {
                        try {
                            for (int b = 0; b < bursts; b++) {
                                for (int r = 0; r < perThread; r++) {
                                    requests.increment();
                                    try {
                                        lane.request();
                                    } catch (IOException | RuntimeException e) {
                                        failed.increment();
                                        firstFailure.compareAndSet(null, e.toString());
                                    }
                                }
                                betweenBursts.await();
                            }
                        } catch (InterruptedException | BrokenBarrierException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "idle-close-client-" + t);
                    clients.add(client);
                }
                clients.forEach(Thread::start);
                for (Thread client : clients) {
                    client.join();
                }
                return new Result(config, threads, requests.sum(), failed.sum(), server.idleClosed(), connector.opened(),
                        allClosed[0], longestBurst.get() / 1_000_000, firstFailure.get());
            }
        }
    }
}
