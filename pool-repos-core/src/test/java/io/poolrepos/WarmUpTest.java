package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.poolrepos.testing.EchoServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Warm-up ({@link ConnectionPool#warm}) against real servers on 127.0.0.1: it opens
 * {@code minIdlePerName} idle connections per name on the repository's warm-up thread, tops them up
 * after drains and evictions, keeps to the open limit, and waits out connect backoff against a dead
 * backend.
 */
class WarmUpTest {

    private final EchoServer a = EchoServer.start();
    private final EchoServer b = EchoServer.start();
    private PoolRepository repository;

    @AfterEach
    void close() {
        if (repository != null) {
            repository.close();
        }
        a.close();
        b.close();
    }

    @Test
    void warmUpOpensMinIdlePerNameOnItsOwnThreadAndCountsThemAsCreated() throws Exception {
        repository = PoolRepository.create();
        Set<String> connectingThreads = ConcurrentHashMap.newKeySet();
        TcpConnectionFactory tcp = TcpConnectionFactory.create();
        ConnectionPool<Socket> pool = repository.pool("warm", ConnectionAdapter.sockets(),
                PoolSettings.builder().minIdlePerName(3).build(), name -> {
                    connectingThreads.add(Thread.currentThread().getName());
                    return tcp.connect(name);
                });

        WarmUp warmUp = pool.warm(List.of(a.name(), b.name()));
        warmUp.whenWarm().get(10, TimeUnit.SECONDS);

        assertThat(warmUp.isWarm()).isTrue();
        assertThat(warmUp.notWarm()).isEmpty();
        assertThat(warmUp.names()).containsExactly(a.name(), b.name());
        assertThat(pool.statistics(a.name()).orElseThrow().idle()).isEqualTo(3);
        assertThat(pool.statistics(b.name()).orElseThrow().idle()).isEqualTo(3);
        assertThat(pool.totals().created()).isEqualTo(6);
        assertThat(pool.totals().inUse()).isZero();
        a.awaitAccepted(3);
        b.awaitAccepted(3);
        assertThat(connectingThreads).singleElement().asString().startsWith("pool-repos-warm-up-");
        // The warm connections serve callers without a connect.
        Socket s = pool.acquire(a.name());
        assertThat(EchoServer.roundTrip(s, "hi")).isEqualTo("hi");
        pool.add(a.name(), s);
        assertThat(pool.totals().created()).isEqualTo(6);
    }

    @Test
    void housekeepingTopsAWarmedNameUpAfterADrainAndAfterIdleEviction() throws Exception {
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(20)).build();
        ConnectionPool<Socket> pool = repository.pool("topped", ConnectionAdapter.sockets(),
                PoolSettings.builder().minIdlePerName(2).idleTimeout(Duration.ofMillis(300)).build(),
                TcpConnectionFactory.create());
        pool.warm(List.of(a.name())).whenWarm().get(10, TimeUnit.SECONDS);

        assertThat(pool.drain(a.name())).isEqualTo(2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.totals().created() >= 4
                && pool.statistics(a.name()).map(NameStatistics::idle).orElse(0) == 2);

        // Idle connections expire after 300 ms; each eviction is followed by a top-up.
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.totals().evictedIdle() >= 2
                && pool.statistics(a.name()).map(NameStatistics::idle).orElse(0) == 2);
        Statistics totals = pool.totals();
        assertThat(totals.created()).isGreaterThanOrEqualTo(6);
        assertThat(totals.idle()).isLessThanOrEqualTo(2); // never more than minIdle kept without callers
        assertThat(totals.connectFailures()).isZero();
    }

    @Test
    void warmUpKeepsToMaxOpenPerNameAndWarmsWhenLoansComeBack() throws Exception {
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(20)).build();
        ConnectionPool<Socket> pool = repository.pool("limited", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxOpenPerName(2).minIdlePerName(2).build(), TcpConnectionFactory.create());
        Socket first = pool.acquire(a.name());
        Socket second = pool.acquire(a.name());

        WarmUp warmUp = pool.warm(List.of(a.name()));
        // Passes run (housekeeping every 20 ms) but find no room: nothing is opened beyond the limit.
        await().during(200, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS)
                .until(() -> pool.totals().created() == 2 && !warmUp.isWarm());

        pool.add(a.name(), first);
        pool.add(a.name(), second);
        warmUp.whenWarm().get(10, TimeUnit.SECONDS);
        assertThat(pool.totals().created()).isEqualTo(2);
        assertThat(pool.totals().idle()).isEqualTo(2);
    }

    @Test
    void warmUpOfADeadBackendWaitsOutConnectBackoffAndReportsTheNameNotWarm() throws Exception {
        int deadPort;
        try (EchoServer dead = EchoServer.start()) {
            deadPort = dead.port();
        }
        String deadName = "127.0.0.1:" + deadPort;
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(10)).build();
        ConnectionPool<Socket> pool = repository.pool("dead", ConnectionAdapter.sockets(),
                PoolSettings.builder().minIdlePerName(2).connectBackoff(Duration.ofMillis(200))
                        .connectBackoffMax(Duration.ofMillis(400)).build(), TcpConnectionFactory.create());
        long start = System.nanoTime();

        WarmUp warmUp = pool.warm(List.of(a.name(), deadName));
        await().atMost(20, TimeUnit.SECONDS).until(() -> pool.totals().connectFailures() >= 2);
        // Asking again starts a pass at once each time, on a name housekeeping keeps removing (with the
        // backoff callers see): the warm-up's own backoff still holds.
        for (int i = 0; i < 40; i++) {
            pool.warm(List.of(deadName));
            Thread.sleep(5);
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> pool.totals().connectFailures() >= 4);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long failures = pool.totals().connectFailures();

        // Each wait is at least half its step (100, 200, 200, ... ms): housekeeping every 10 ms asks
        // for passes, but no connect happens before the backoff allows it.
        assertThat(failures).isLessThanOrEqualTo(2 + elapsedMs / 100);
        assertThat(warmUp.whenWarm()).isNotDone();
        assertThat(warmUp.notWarm()).containsExactly(deadName);
        assertThat(warmUp.lastFailure(deadName)).get().isInstanceOf(ConnectFailedException.class)
                .extracting(Throwable::getCause).isInstanceOf(ConnectException.class);
        assertThat(warmUp.lastFailure(a.name())).isEmpty();
        assertThat(pool.statistics(a.name()).orElseThrow().idle()).isEqualTo(2);

        repository.close();
        assertThatThrownBy(() -> warmUp.whenWarm().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PoolClosedException.class);
    }

    @Test
    void aNameWhoseBackendComesBackBecomesWarmAtTheEndOfItsBackoffWithoutHousekeeping() throws Exception {
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
        AtomicBoolean down = new AtomicBoolean(true);
        TcpConnectionFactory tcp = TcpConnectionFactory.create();
        ConnectionPool<Socket> pool = repository.pool("flaky", ConnectionAdapter.sockets(),
                PoolSettings.builder().minIdlePerName(1).connectBackoff(Duration.ofMillis(50))
                        .connectBackoffMax(Duration.ofMillis(100)).build(), name -> {
                    if (down.get()) {
                        throw new IOException("backend down");
                    }
                    return tcp.connect(name);
                });

        WarmUp warmUp = pool.warm(List.of(a.name()));
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.totals().connectFailures() >= 2);
        assertThat(warmUp.isWarm()).isFalse();
        down.set(false);

        warmUp.whenWarm().get(10, TimeUnit.SECONDS);
        assertThat(pool.statistics(a.name()).orElseThrow().idle()).isEqualTo(1);
        assertThat(warmUp.lastFailure(a.name())).isEmpty();
    }

    @Test
    void warmUpRacingTrafficEvictionAndDrainsNeverHandsAConnectionToTwoCallersAndTheBooksBalance() throws Exception {
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(1)).build();
        ConnectionPool<Socket> pool = repository.pool("raced", ConnectionAdapter.sockets(),
                PoolSettings.builder().minIdlePerName(3).maxIdlePerName(4).maxOpenPerName(6)
                        .idleTimeout(Duration.ofMillis(30)).acquireTimeout(Duration.ofSeconds(10)).build(),
                TcpConnectionFactory.create());
        pool.warm(List.of(a.name(), b.name()));
        Set<Socket> held = ConcurrentHashMap.newKeySet();
        java.util.Queue<String> violations = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicLong rounds = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String name = t % 2 == 0 ? a.name() : b.name();
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 3_000; i++) {
                        Socket s = pool.acquire(name);
                        if (!held.add(s)) {
                            violations.add("held by two callers: " + s);
                        }
                        if (i % 100 == 0) {
                            assertThat(EchoServer.roundTrip(s, "x")).isEqualTo("x");
                        }
                        held.remove(s);
                        if (i % 10 == 0) {
                            pool.drain(name);
                        }
                        pool.add(name, s);
                        rounds.incrementAndGet();
                    }
                } catch (Throwable ex) {
                    violations.add(ex.toString());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }

        assertThat(violations).isEmpty();
        assertThat(rounds.get()).isEqualTo(12_000);
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.statistics(a.name()).map(NameStatistics::idle).orElse(0) >= 3
                && pool.statistics(b.name()).map(NameStatistics::idle).orElse(0) >= 3);
        ShutdownReport report = repository.close(Duration.ofSeconds(10));
        assertThat(report.isClean()).isTrue();
        Statistics t = pool.totals();
        assertThat(t.adopted() + t.created()).isEqualTo(t.idle() + t.inUse() + t.closedDead() + t.evictedIdle()
                + t.evictedLifetime() + t.overflowed() + t.discarded());
        assertThat(t.idle() + t.inUse()).isZero();
        assertThat(((DefaultPoolRepository) repository).trackedCount()).isZero();
        assertThat(t.created()).isGreaterThan(6); // warm-up reopened what drains and evictions closed
    }

    @Test
    void warmUpRefusesPoolsThatCannotWarmAndNamesThatAreBlank() {
        repository = PoolRepository.create();
        ConnectionPool<Socket> noFactory = repository.pool("nofactory", ConnectionAdapter.sockets(),
                PoolSettings.builder().minIdlePerName(1).build());
        ConnectionPool<Socket> noMinIdle = repository.pool("nominidle", ConnectionAdapter.sockets(),
                PoolSettings.defaults(), TcpConnectionFactory.create());
        ConnectionPool<Socket> warmable = repository.pool("warmable", ConnectionAdapter.sockets(),
                PoolSettings.builder().minIdlePerName(1).build(), TcpConnectionFactory.create());

        assertThatThrownBy(() -> noFactory.warm(List.of(a.name()))).isInstanceOf(NoConnectionFactoryException.class);
        assertThatThrownBy(() -> noMinIdle.warm(List.of(a.name()))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("minIdlePerName 0").hasMessageContaining("minIdlePerName >= 1");
        assertThatThrownBy(() -> warmable.warm(List.of(a.name(), " "))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("names must not be blank");
        assertThatThrownBy(() -> warmable.warm(null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> PoolSettings.builder().maxIdlePerName(2).minIdlePerName(3).build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("minIdlePerName (3) must not exceed maxIdlePerName (2): warm-up keeps idle connections");
        assertThatThrownBy(() -> PoolSettings.builder().minIdlePerName(-1))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("minIdlePerName must be >= 0, was -1");
        assertThat(warmable.names()).isEmpty();
        assertThat(a.accepted()).isZero();
    }
}
