package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.testing.EchoServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A name whose connects fail is not hammered: connect backoff per name, one probe at a time. */
class ConnectBackoffTest {

    private final ManualTicker ticker = new ManualTicker();
    private final PoolRepository manualClock = PoolRepository.builder().housekeepingPeriod(Duration.ZERO)
            .ticker(ticker).build();
    private final PoolRepository realClock = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        manualClock.close();
        realClock.close();
    }

    @Test
    void aBackendThatIsDownGetsAFewConnectsNotOnePerCallerAndIsUsedAgainWithinAStepOfItsReturn() throws Exception {
        int port = freePort();
        AtomicInteger attempts = new AtomicInteger();
        TcpConnectionFactory tcp = TcpConnectionFactory.builder().connectTimeout(Duration.ofSeconds(1)).build();
        ConnectionPool<Socket> pool = realClock.pool("down", ConnectionAdapter.sockets(),
                PoolSettings.builder().connectBackoff(Duration.ofMillis(50)).connectBackoffMax(Duration.ofMillis(400)).build(),
                name -> {
                    attempts.incrementAndGet();
                    return tcp.connect(name);
                });
        String name = "127.0.0.1:" + port;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong fastFailures = new AtomicLong();
        AtomicLong served = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread caller = new Thread(() -> {
                while (running.get()) {
                    try {
                        pool.call(name, s -> EchoServer.roundTrip(s, "up?"));
                        served.incrementAndGet();
                    } catch (ConnectBackoffException ex) {
                        fastFailures.incrementAndGet();
                    } catch (ConnectFailedException ex) {
                        // a real attempt that failed
                    }
                }
            });
            caller.start();
            callers.add(caller);
        }
        Thread.sleep(1_500);
        int attemptsWhileDown = attempts.get();

        long restartedAt = System.nanoTime();
        try (EchoServer server = EchoServer.start(port)) {
            while (served.get() == 0 && System.nanoTime() - restartedAt < TimeUnit.SECONDS.toNanos(5)) {
                Thread.sleep(1);
            }
            long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
            running.set(false);
            for (Thread caller : callers) {
                caller.join(5_000);
            }
            System.out.printf("backoff: %d connect attempts in 1.5 s from 8 callers while down, %,d fast failures,"
                    + " served again %d ms after the restart%n", attemptsWhileDown, fastFailures.get(), recoveryMillis);
            // Steps of 50, 100, 200, then 400 ms at most, each drawn from its upper half: at most about
            // 10 attempts in 1.5 s; without backoff, 8 callers make thousands.
            assertThat(attemptsWhileDown).isBetween(2, 16);
            assertThat(fastFailures.get()).isEqualTo(pool.totals().fastFailures()).isGreaterThan(100);
            assertThat(pool.totals().connectFailures()).isEqualTo(attemptsWhileDown);
            // Within one step (at most 400 ms) of the restart, plus scheduling slack on 2 cores.
            assertThat(recoveryMillis).isLessThan(1_000);
            assertThat(served.get()).isPositive();
        }
    }

    @Test
    void aFastFailureNamesThePoolTheLastErrorAndWhenTheNextAttemptIsAllowed() {
        AtomicInteger attempts = new AtomicInteger();
        ConnectionPool<Dummy> pool = manualClock.pool("backoff", Dummy.ADAPTER, PoolSettings.builder()
                .connectBackoff(Duration.ofSeconds(1)).connectBackoffMax(Duration.ofSeconds(8)).build(), name -> {
                    attempts.incrementAndGet();
                    throw new ConnectException("Connection refused");
                });

        assertThatThrownBy(() -> pool.acquire("user:secret@db:5432")).isInstanceOf(ConnectFailedException.class)
                .isNotInstanceOf(ConnectBackoffException.class);
        assertThatThrownBy(() -> pool.acquire("user:secret@db:5432"))
                .isInstanceOfSatisfying(ConnectBackoffException.class, ex -> {
                    assertThat(ex.getFailures()).isEqualTo(1);
                    assertThat(ex.getRetryIn()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
                    assertThat(ex.getCause()).isInstanceOf(ConnectException.class);
                    assertThat(ex.getPoolName()).isEqualTo("backoff");
                })
                .hasMessageContaining("Pool 'backoff', name '****@db:5432'")
                .hasMessageContaining("not connecting for another")
                .hasMessageContaining("after 1 failed connect in a row")
                .hasMessageContaining("Connection refused")
                .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("secret"));
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(pool.totals().fastFailures()).isEqualTo(1);
        assertThat(pool.totals().getMisses()).as("a fast failure is a miss too").isEqualTo(2);
        assertThat(pool.statistics("user:secret@db:5432").orElseThrow().snapshot().count(Counter.FAST_FAILURES))
                .isEqualTo(1);
    }

    @Test
    void eachFailureInARowDoublesTheWaitUpToTheMaximumAndASuccessEndsIt() {
        AtomicBoolean up = new AtomicBoolean(false);
        AtomicInteger attempts = new AtomicInteger();
        ConnectionPool<Dummy> pool = manualClock.pool("steps", Dummy.ADAPTER, PoolSettings.builder()
                .connectBackoff(Duration.ofSeconds(1)).connectBackoffMax(Duration.ofSeconds(4)).build(), name -> {
                    attempts.incrementAndGet();
                    if (!up.get()) {
                        throw new ConnectException("Connection refused");
                    }
                    return new Dummy();
                });
        assertThatThrownBy(() -> pool.acquire("n")).isNotInstanceOf(ConnectBackoffException.class);
        long[] maxWaits = {1_000, 2_000, 4_000, 4_000};
        for (long maxWait : maxWaits) {
            Duration retryIn = ((ConnectBackoffException) catchFailure(pool)).getRetryIn();
            assertThat(retryIn.toMillis()).as("step up to %d ms", maxWait).isBetween(maxWait / 2, maxWait);
            ticker.advance(retryIn);
            assertThat(catchFailure(pool)).as("the probe itself fails").isNotInstanceOf(ConnectBackoffException.class);
        }
        up.set(true);
        ticker.advance(Duration.ofSeconds(4));
        Dummy d = pool.acquire("n");
        pool.add("n", d);
        pool.discard("n", pool.acquire("n"));
        assertThat(pool.acquire("n")).as("no backoff after the success: connects at once").isNotNull();
        assertThat(attempts.get()).isEqualTo(1 + maxWaits.length + 2);
    }

    @Test
    void onlyOneCallerTriesAgainWhileTheOthersFailAtOnce() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        ConnectionPool<Dummy> pool = manualClock.pool("probe", Dummy.ADAPTER, PoolSettings.defaults(), name -> {
            if (attempts.incrementAndGet() == 1) {
                throw new ConnectException("Connection refused");
            }
            probing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return new Dummy();
        });
        assertThatThrownBy(() -> pool.acquire("n")).isInstanceOf(ConnectFailedException.class);
        ticker.advance(Duration.ofMillis(100));

        CompletableFuture<Dummy> probe = CompletableFuture.supplyAsync(() -> pool.acquire("n"));
        assertThat(probing.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> pool.acquire("n")).isInstanceOf(ConnectBackoffException.class)
                .hasMessageContaining("another caller is trying to connect again now");
        release.countDown();

        assertThat(probe.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(pool.acquire("n")).as("the probe's success ended the backoff").isNotNull();
        assertThat(attempts.get()).isEqualTo(3);
    }

    @Test
    void aZeroBackoffTriesEveryConnect() {
        AtomicInteger attempts = new AtomicInteger();
        ConnectionPool<Dummy> pool = manualClock.pool("off", Dummy.ADAPTER,
                PoolSettings.builder().connectBackoff(Duration.ZERO).build(), name -> {
                    attempts.incrementAndGet();
                    throw new ConnectException("Connection refused");
                });
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(() -> pool.acquire("n")).isNotInstanceOf(ConnectBackoffException.class);
        }
        assertThat(attempts.get()).isEqualTo(50);
        assertThat(pool.totals().fastFailures()).isZero();
    }

    @Test
    void idleConnectionsAreStillHandedOutWhileTheNameIsInBackoff() {
        ConnectionPool<Dummy> pool = manualClock.pool("idle", Dummy.ADAPTER, PoolSettings.defaults(), name -> {
            throw new ConnectException("Connection refused");
        });
        assertThatThrownBy(() -> pool.acquire("n")).isInstanceOf(ConnectFailedException.class);
        Dummy idle = new Dummy();
        pool.add("n", idle);
        assertThat(pool.acquire("n")).isSameAs(idle);
    }

    @Test
    void aMaximumBelowTheInitialBackoffIsRefused() {
        assertThatThrownBy(() -> PoolSettings.builder().connectBackoff(Duration.ofSeconds(2))
                .connectBackoffMax(Duration.ofSeconds(1)).build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("connectBackoffMax (PT1S) must not be below connectBackoff (PT2S)");
    }

    private static Throwable catchFailure(ConnectionPool<Dummy> pool) {
        try {
            pool.acquire("n");
        } catch (RuntimeException ex) {
            return ex;
        }
        throw new AssertionError("acquire succeeded");
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
