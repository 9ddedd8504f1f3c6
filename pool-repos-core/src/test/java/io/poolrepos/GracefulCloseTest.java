package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.poolrepos.testing.EchoServer;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PoolRepository#close(Duration)} against a real server: it stops hand-outs at once, waits for
 * loans to come back (and closes them), and closes what is still out at the timeout under its holders,
 * reporting and logging it with names masked.
 */
class GracefulCloseTest {

    private final EchoServer server = EchoServer.start();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(PoolRepository.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        server.close();
    }

    @Test
    void loansGivenBackWithinTheTimeoutAreClosedAndTheShutdownIsClean() throws Exception {
        PoolRepository repository = PoolRepository.create();
        ConnectionPool<Socket> pool = repository.pool("orders", ConnectionAdapter.sockets(), PoolSettings.defaults(),
                TcpConnectionFactory.create());
        Socket idle = pool.acquire(server.name());
        pool.add(server.name(), idle);
        Socket first = pool.acquire(server.name());
        Socket second = pool.acquire(server.name());
        CountDownLatch closing = new CountDownLatch(1);
        CompletableFuture<AddResult[]> givingBack = CompletableFuture.supplyAsync(() -> {
            await().atMost(10, TimeUnit.SECONDS).until(repository::isClosed);
            closing.countDown();
            return new AddResult[] {pool.add(server.name(), first), pool.add(server.name(), second)};
        });

        ShutdownReport report = repository.close(Duration.ofSeconds(30));

        assertThat(report.isClean()).isTrue();
        assertThat(report.forced()).isEmpty();
        assertThat(report.waited()).isLessThan(Duration.ofSeconds(30));
        assertThat(givingBack.get(10, TimeUnit.SECONDS)).containsOnly(AddResult.CLOSED_POOL_CLOSED);
        assertThat(List.of(idle, first, second)).allMatch(Socket::isClosed);
        Statistics totals = pool.totals();
        assertThat(totals.inUse()).isZero();
        assertThat(totals.idle()).isZero();
        assertThat(totals.created()).isEqualTo(totals.discarded());
        assertThat(((DefaultPoolRepository) repository).trackedCount()).isZero();
        assertThat(logged).noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue());
    }

    @Test
    void connectionsStillOutAtTheTimeoutAreClosedUnderTheirHoldersReportedAndLoggedMasked() throws Exception {
        PoolRepository repository = PoolRepository.create();
        String secretName = "app:s3cret@" + server.name();
        ConnectionPool<Socket> orders = repository.pool("orders", ConnectionAdapter.sockets(), PoolSettings.defaults(),
                name -> server.connect());
        ConnectionPool<Socket> quotes = repository.pool("quotes", ConnectionAdapter.sockets(),
                PoolSettings.builder().sharable(true).build());
        Socket loan1 = orders.acquire(secretName);
        Socket loan2 = orders.acquire(secretName);
        Socket sharedSocket = server.connect();
        quotes.add(server.name(), sharedSocket);
        SharedLease<Socket> lease = quotes.share(server.name()).orElseThrow();

        ShutdownReport report = repository.close(Duration.ofMillis(200));

        assertThat(report.isClean()).isFalse();
        assertThat(report.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(report.forced()).containsExactly(
                new ShutdownReport.ForcedClose("orders", secretName, 2, 0, 0),
                new ShutdownReport.ForcedClose("quotes", server.name(), 0, 1, 0));
        assertThat(List.of(loan1, loan2, sharedSocket)).allMatch(Socket::isClosed);
        assertThat(report.toString()).contains("****@" + server.name()).doesNotContain("s3cret");
        List<String> warnings = logged.stream()
                .filter(r -> r.getLevel() == java.util.logging.Level.WARNING).map(LogRecord::getMessage).toList();
        assertThat(warnings).containsExactly(
                "Pool 'orders': 2 connection(s) still out when the shutdown timeout (PT0.2S) passed were closed under "
                        + "their holders: ****@" + server.name() + " (2 on loan, 0 shared)",
                "Pool 'quotes': 1 connection(s) still out when the shutdown timeout (PT0.2S) passed were closed under "
                        + "their holders: " + server.name() + " (0 on loan, 1 shared)");

        // The holders give them back late: counted as discarded, the books balance, the index empties.
        assertThat(orders.add(secretName, loan1)).isEqualTo(AddResult.CLOSED_POOL_CLOSED);
        orders.discard(secretName, loan2);
        lease.close();
        for (ConnectionPool<Socket> pool : List.of(orders, quotes)) {
            Statistics t = pool.totals();
            assertThat(t.adopted() + t.created()).isEqualTo(t.idle() + t.inUse() + t.closedDead() + t.evictedIdle()
                    + t.evictedLifetime() + t.overflowed() + t.discarded());
            assertThat(t.inUse() + t.idle()).isZero();
        }
        assertThat(((DefaultPoolRepository) repository).trackedCount()).isZero();
    }

    @Test
    void callersDuringTheShutdownAreToldTheRepositoryIsShuttingDown() throws Exception {
        PoolRepository repository = PoolRepository.create();
        ConnectionPool<Socket> pool = repository.pool("orders", ConnectionAdapter.sockets(), PoolSettings.defaults(),
                TcpConnectionFactory.create());
        Socket loan = pool.acquire(server.name());
        CompletableFuture<ShutdownReport> shutdown = CompletableFuture.supplyAsync(
                () -> repository.close(Duration.ofSeconds(30)));
        await().atMost(10, TimeUnit.SECONDS).until(repository::isClosed);

        assertThatThrownBy(() -> pool.acquire(server.name())).isInstanceOf(PoolClosedException.class)
                .hasMessage("Pool 'orders' is shutting down: it hands out no connections any more. Connections on "
                        + "loan are closed as they come back, and those still out after the shutdown timeout (PT30S) "
                        + "are closed under their holders.");
        assertThatThrownBy(() -> pool.get(server.name())).isInstanceOf(PoolClosedException.class)
                .hasMessageContaining("is shutting down");
        assertThatThrownBy(() -> repository.pool("late", ConnectionAdapter.sockets(), PoolSettings.defaults()))
                .isInstanceOf(PoolClosedException.class);
        assertThat(shutdown).isNotDone();

        pool.add(server.name(), loan);
        assertThat(shutdown.get(10, TimeUnit.SECONDS).isClean()).isTrue();
        assertThat(loan.isClosed()).isTrue();
    }

    @Test
    void aBadTimeoutIsRefusedAndClosesNothing() {
        PoolRepository repository = PoolRepository.create();
        assertThatThrownBy(() -> repository.close(Duration.ofSeconds(-1))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("timeout must not be negative, was PT-1S");
        assertThatThrownBy(() -> repository.close(null)).isInstanceOf(InvalidArgumentException.class);
        assertThat(repository.isClosed()).isFalse();
        repository.close();
    }
}
