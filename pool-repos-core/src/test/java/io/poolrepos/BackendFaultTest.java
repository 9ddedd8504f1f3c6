package io.poolrepos;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.testing.EchoServer;
import io.poolrepos.testing.SilentServer;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Backends that close, reset, stop, restart, hang or refuse, all real and on 127.0.0.1. */
class BackendFaultTest {

    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
    }

    private ConnectionPool<Socket> pool(PoolSettings settings, TcpConnectionFactory factory) {
        return repository.pool("faults", ConnectionAdapter.sockets(), settings, factory);
    }

    @Test
    void connectionsTheServerClosedOrResetAreNeverHandedOut() throws Exception {
        try (EchoServer server = EchoServer.start()) {
            ConnectionPool<Socket> pool = pool(PoolSettings.defaults(), TcpConnectionFactory.create());
            List<Socket> first = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                first.add(pool.acquire(server.name()));
            }
            first.forEach(s -> pool.add(server.name(), s));
            server.awaitAccepted(6);

            server.dropClients();
            awaitServerSideClosed(server);
            for (int i = 0; i < 6; i++) {
                String reply = pool.call(server.name(), s -> EchoServer.roundTrip(s, "after close"));
                assertThat(reply).isEqualTo("after close");
            }
            assertThat(pool.totals().closedDead()).as("all six found dead and closed").isEqualTo(6);

            server.resetClients();
            awaitServerSideClosed(server);
            String reply = pool.call(server.name(), s -> EchoServer.roundTrip(s, "after reset"));
            assertThat(reply).isEqualTo("after reset");
            assertThat(pool.totals().closedDead()).isEqualTo(7);
            assertBooksBalance(pool);
        }
    }

    @Test
    void halfOpenBackendTimesCallersOutAndTheConnectionIsNotPutBack() {
        try (SilentServer server = SilentServer.halfOpen()) {
            ConnectionPool<Socket> pool = pool(PoolSettings.defaults(),
                    TcpConnectionFactory.builder().soTimeout(Duration.ofMillis(100)).build());

            assertThatThrownBy(() -> pool.call(server.name(), s -> EchoServer.roundTrip(s, "anyone?")))
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(SocketTimeoutException.class);

            Counts totals = pool.totals().snapshot();
            assertThat(totals.idle()).as("not put back as healthy").isZero();
            assertThat(totals.inUse()).isZero();
            assertThat(totals.discarded()).isEqualTo(1);
        }
    }

    @Test
    void slowConnectIsBoundedByTheConnectTimeoutAndOthersByTheAcquireTimeout() throws Exception {
        try (SilentServer server = SilentServer.stalled()) {
            ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                    .maxWaitersPerName(1).acquireTimeout(Duration.ofMillis(50)).build(),
                    TcpConnectionFactory.builder().connectTimeout(Duration.ofMillis(300)).build());
            CountDownLatch connecting = new CountDownLatch(1);
            ConcurrentLinkedQueue<Throwable> connectorFailure = new ConcurrentLinkedQueue<>();
            Thread connector = new Thread(() -> {
                connecting.countDown();
                try {
                    pool.acquire(server.name());
                } catch (Throwable e) {
                    connectorFailure.add(e);
                }
            });
            connector.start();
            connecting.await();
            awaitInUse(pool, 1);

            long start = System.nanoTime();
            assertThatThrownBy(() -> pool.acquire(server.name())).isInstanceOf(AcquireTimeoutException.class)
                    .hasMessageContaining("timed out after 50ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(290));

            connector.join(5_000);
            assertThat(connectorFailure).singleElement().isInstanceOf(ConnectFailedException.class)
                    .extracting(Throwable::getCause).isInstanceOf(SocketTimeoutException.class);
            assertThat(pool.totals().connectFailures()).isEqualTo(1);
            assertThat(pool.totals().acquireTimeouts()).isEqualTo(1);
            assertThat(pool.totals().inUse()).as("the failed connect gave its place back").isZero();
        }
    }

    @Test
    void backendStoppingAndRestartingDuringTrafficGivesTypedErrorsAndRecovers() throws Exception {
        EchoServer server = EchoServer.start();
        int port = server.port();
        String name = server.name();
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(4).acquireTimeout(Duration.ofSeconds(2))
                .build(), TcpConnectionFactory.builder().soTimeout(Duration.ofSeconds(2)).build());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong brokenMidRequest = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        pool.call(name, s -> EchoServer.roundTrip(s, "x"));
                        ok.incrementAndGet();
                    } catch (ConnectFailedException e) {
                        refused.incrementAndGet();
                    } catch (UncheckedIOException e) {
                        brokenMidRequest.incrementAndGet();
                    } catch (IllegalStateException e) {
                        brokenMidRequest.incrementAndGet(); // echo cut short by the stop
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        awaitAtLeast(ok, 200);
        server.close();
        awaitAtLeast(refused, 20);
        long okBeforeRestart = ok.get();
        server = EchoServer.start(port);
        try {
            awaitAtLeast(ok, okBeforeRestart + 200);
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            server.close();
        }

        assertThat(unexpected).isEmpty();
        assertThat(refused.get()).isPositive();
        assertThat(ok.get()).isGreaterThan(okBeforeRestart);
        assertBooksBalance(pool);
        System.out.printf("restart: ok=%d refused=%d brokenMidRequest=%d %s%n", ok.get(), refused.get(),
                brokenMidRequest.get(), pool.totals().snapshot());
    }

    static void assertBooksBalance(ConnectionPool<?> pool) {
        Counts c = pool.totals().snapshot();
        assertThat(c.adopted() + c.created()).as("books: %s", c).isEqualTo(c.idle() + c.inUse() + c.closedDead()
                + c.evictedIdle() + c.evictedLifetime() + c.overflowed() + c.discarded());
    }

    private static void awaitServerSideClosed(EchoServer server) {
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
    }

    private static void awaitInUse(ConnectionPool<?> pool, int inUse) {
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.totals().inUse() >= inUse);
    }

    private static void awaitAtLeast(AtomicLong counter, long value) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(counter.get()).isGreaterThanOrEqualTo(value));
    }
}
