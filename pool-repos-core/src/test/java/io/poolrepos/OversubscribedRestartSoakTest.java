package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.testing.EchoServer;
import io.poolrepos.testing.ProcessResources;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many more callers than connections, fair waiting and connect backoff at work together, while the
 * backend is stopped and started again and again: every caller ends (no hang), every outcome is
 * typed, no socket is held by two callers, the books balance and no file descriptor is left open.
 * 6 s by default; {@code -Dpoolrepos.oversubscribed-soak.seconds=N} runs longer.
 */
class OversubscribedRestartSoakTest {

    private static final long SECONDS = Long.getLong("poolrepos.oversubscribed-soak.seconds", 6);

    @Test
    void sixtyFourCallersOnFourConnectionsThroughBackendRestartsEndWithBalancedBooksAndNoLeak() throws Exception {
        int fdsBefore = ProcessResources.openFileDescriptors();
        List<String> fdListBefore = ProcessResources.describeFileDescriptors();
        EchoServer[] server = {EchoServer.start()};
        int port = server[0].port();
        String name = server[0].name();
        AtomicLong ok = new AtomicLong();
        AtomicLong connectFailed = new AtomicLong();
        AtomicLong fastFailed = new AtomicLong();
        AtomicLong timedOut = new AtomicLong();
        AtomicLong broken = new AtomicLong();
        AtomicInteger restarts = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        ConcurrentHashMap<Socket, AtomicInteger> holders = new ConcurrentHashMap<>();
        try (PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(100)).build()) {
            ConnectionPool<Socket> pool = repository.pool("oversubscribed", ConnectionAdapter.sockets(),
                    PoolSettings.builder().maxOpenPerName(4).acquireTimeout(Duration.ofSeconds(2))
                            .connectBackoff(Duration.ofMillis(20)).connectBackoffMax(Duration.ofMillis(200)).build(),
                    TcpConnectionFactory.builder().soTimeout(Duration.ofSeconds(2)).build());
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                Thread caller = new Thread(() -> {
                    while (running.get()) {
                        try {
                            pool.call(name, s -> {
                                if (holders.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet() != 1) {
                                    unexpected.add(new AssertionError("a socket held by two callers at once"));
                                }
                                try {
                                    return EchoServer.roundTrip(s, "x");
                                } finally {
                                    holders.get(s).decrementAndGet();
                                }
                            });
                            ok.incrementAndGet();
                        } catch (ConnectBackoffException e) {
                            fastFailed.incrementAndGet();
                        } catch (ConnectFailedException e) {
                            connectFailed.incrementAndGet();
                        } catch (AcquireTimeoutException e) {
                            timedOut.incrementAndGet();
                        } catch (UncheckedIOException | IllegalStateException e) {
                            broken.incrementAndGet(); // the echo cut short by a stop
                        } catch (Throwable e) {
                            unexpected.add(e);
                        }
                    }
                }, "oversubscribed-" + t);
                callers.add(caller);
                caller.start();
            }
            long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
            while (System.nanoTime() < end && unexpected.isEmpty()) {
                Thread.sleep(400);
                server[0].close();
                Thread.sleep(100);
                server[0] = EchoServer.start(port);
                restarts.incrementAndGet();
            }
            long okBeforeTheLastRestart = ok.get();
            Thread.sleep(500); // the last start: served again within a few backoff steps
            running.set(false);
            for (Thread caller : callers) {
                caller.join(10_000);
            }
            server[0].close();

            assertThat(callers).as("every caller ended").noneMatch(Thread::isAlive);
            assertThat(unexpected).isEmpty();
            assertThat(ok.get()).as("served again after the last restart").isGreaterThan(okBeforeTheLastRestart);
            BackendFaultTest.assertBooksBalance(pool);
            System.out.printf("oversubscribed soak: %d s, %d restarts, 64 callers on 4 connections: ok=%,d "
                    + "connectFailed=%,d fastFailed=%,d timedOut=%,d brokenMidRequest=%,d %s%n", SECONDS,
                    restarts.get(), ok.get(), connectFailed.get(), fastFailed.get(), timedOut.get(), broken.get(),
                    pool.totals().snapshot());
        }
        ProcessResources.awaitFileDescriptorsBackTo(fdsBefore, fdListBefore);
    }
}
