package io.poolrepos;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.testing.EchoServer;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** acquire: connect on a miss, the per-name cap, waiting, timeouts, waiter limit, connect failures. */
class AcquireTest {

    private final EchoServer server = EchoServer.start();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    private ConnectionPool<Socket> pool(PoolSettings settings) {
        return repository.pool("orders", ConnectionAdapter.sockets(), settings, TcpConnectionFactory.create());
    }

    @Test
    void acquireOpensAConnectionOnAMissAndReusesItAfterAdd() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());

        Socket first = pool.acquire(server.name());
        assertThat(EchoServer.roundTrip(first, "one")).isEqualTo("one");
        pool.add(server.name(), first);
        Socket second = pool.acquire(server.name());

        assertThat(second).isSameAs(first);
        assertThat(server.accepted()).isEqualTo(1);
        Counts counts = pool.totals().snapshot();
        assertThat(counts.created()).isEqualTo(1);
        assertThat(counts.getHits()).isEqualTo(1);
        assertThat(counts.getMisses()).isEqualTo(1);
    }

    @Test
    void acquireAtTheCapTimesOutWithAMessageThatNamesEverything() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                .acquireTimeout(Duration.ofMillis(100)).build());
        pool.acquire(server.name());

        assertThatThrownBy(() -> pool.acquire(server.name()))
                .isInstanceOfSatisfying(AcquireTimeoutException.class, e -> {
                    assertThat(e.getPoolName()).isEqualTo("orders");
                    assertThat(e.getName()).isEqualTo(server.name());
                    assertThat(e.getTimeout()).isEqualTo(Duration.ofMillis(100));
                    assertThat(e.getInUse()).isEqualTo(1);
                    assertThat(e.getIdle()).isZero();
                })
                .hasMessage("Pool 'orders', name '" + server.name() + "': acquire timed out after 100ms (idle=0, "
                        + "inUse=1, waiting=0, maxOpenPerName=1). Give connections back sooner, raise maxOpenPerName "
                        + "or acquireTimeout.");
        assertThat(pool.totals().acquireTimeouts()).isEqualTo(1);
        assertThat(pool.statistics(server.name()).orElseThrow().acquireTimeouts()).isEqualTo(1);
        assertThat(pool.totals().getMisses()).as("the connect and the timeout").isEqualTo(2);
        assertThat(pool.totals().waiting()).isZero();
    }

    @Test
    void waitingAcquireGetsTheConnectionGivenBack() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                .acquireTimeout(Duration.ofSeconds(10)).build());
        Socket held = pool.acquire(server.name());

        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        awaitWaiting(pool, 1);
        pool.add(server.name(), held);

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isSameAs(held);
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void waitingAcquireGetsAConnectionGivenBackAfterItLostItsPlace() throws Exception {
        // One place, two open: x, on loan, loses its place to y; y is taken too; the waiter must be
        // woken by x's give-back, which looks for a place anew (it takes y's).
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(2)
                .acquireTimeout(Duration.ofSeconds(10)).build());
        Socket x = pool.acquire(server.name());
        Socket y = server.connect();
        assertThat(pool.add(server.name(), y)).isEqualTo(AddResult.POOLED);
        assertThat(pool.acquire(server.name())).isSameAs(y);

        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        awaitWaiting(pool, 1);
        assertThat(pool.add(server.name(), x)).isEqualTo(AddResult.POOLED);

        assertThat(waiter.get(5, TimeUnit.SECONDS)).as("woken by the give-back, not by its 10 s timeout").isSameAs(x);
    }

    @Test
    void waitingAcquireConnectsWhenAnotherCallersConnectFailsAndFreesThePlace() throws Exception {
        // maxOpenPerName 1: the first caller's connect holds the only place until it fails; the
        // waiter must be woken then, and connects itself.
        CountDownLatch connecting = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        AtomicInteger connects = new AtomicInteger();
        // Connect backoff off: the waiter's connect must really run after the first one failed.
        ConnectionPool<Socket> pool = repository.pool("orders", ConnectionAdapter.sockets(), PoolSettings.builder()
                .maxIdlePerName(1).maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(10))
                .connectBackoff(Duration.ZERO).build(), name -> {
                    if (connects.incrementAndGet() == 1) {
                        connecting.countDown();
                        awaitQuietly(fail);
                        throw new java.io.IOException("refused, after a while");
                    }
                    return server.connect();
                });
        // Threads of its own: the common pool may have a single one, which the blocked connect would hold.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Socket> first = threads.submit(() -> pool.acquire(server.name()));
            assertThat(connecting.await(5, TimeUnit.SECONDS)).isTrue();
            Future<Socket> waiter = threads.submit(() -> pool.acquire(server.name()));
            awaitWaiting(pool, 1);

            fail.countDown();

            assertThat(waiter.get(5, TimeUnit.SECONDS).isClosed()).as("woken by the failed connect").isFalse();
            assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ConnectFailedException.class);
        } finally {
            fail.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void waitingAcquireOnASharablePoolGetsTheConnectionItsLastSharerLeaves() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).maxOpenPerName(1)
                .acquireTimeout(Duration.ofSeconds(10)).build());
        Socket s = server.connect();
        pool.add(server.name(), s);
        SharedLease<Socket> lease = pool.share(server.name()).orElseThrow();

        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        awaitWaiting(pool, 1);
        lease.close();

        assertThat(waiter.get(5, TimeUnit.SECONDS)).as("woken when the last sharer left").isSameAs(s);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void waitingAcquireOpensANewConnectionWhenAPlaceIsFreedByDiscard() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                .acquireTimeout(Duration.ofSeconds(10)).build());
        Socket held = pool.acquire(server.name());

        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        awaitWaiting(pool, 1);
        pool.discard(server.name(), held);

        Socket fresh = waiter.get(5, TimeUnit.SECONDS);
        assertThat(fresh).isNotSameAs(held);
        assertThat(fresh.isClosed()).isFalse();
    }

    @Test
    void aWaitOnANameThatHousekeepingRemovedMeanwhileEndsAtOnce() throws Exception {
        // An acquire that found the name at its open limit comes to wait; just before, the last
        // connection closed and housekeeping retired the now empty name. Nothing can enter a
        // retired name, so nothing would wake the wait before its deadline: it must end at once,
        // and acquire then finds the name anew.
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1)
                .acquireTimeout(Duration.ofSeconds(10)).build());
        Socket held = pool.acquire(server.name());
        NameSlot<?> slot = (NameSlot<?>) pool.statistics(server.name()).orElseThrow();
        pool.discard(server.name(), held);
        assertThat(slot.tryRetire()).as("retired as housekeeping does").isTrue();

        long start = System.nanoTime();
        WaitRoom.Waiter waiter = slot.awaitAvailable(server.name(), false, start + Duration.ofSeconds(5).toNanos(), 1, 10, 0);

        assertThat(waiter.outcome()).isEqualTo(WaitRoom.Outcome.LOOK_AGAIN);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("wait").isLessThan(Duration.ofSeconds(1));
        Socket fresh = pool.acquire(server.name());
        assertThat(EchoServer.roundTrip(fresh, "again")).isEqualTo("again");
    }

    @Test
    void acquireFailsFastWhenTooManyCallersWait() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                .maxWaitersPerName(1).acquireTimeout(Duration.ofSeconds(10)).build());
        Socket held = pool.acquire(server.name());
        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        awaitWaiting(pool, 1);

        assertThatThrownBy(() -> pool.acquire(server.name())).isInstanceOf(WaiterLimitExceededException.class)
                .hasMessageContaining("1 callers are already waiting (maxWaitersPerName)");

        pool.add(server.name(), held);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isSameAs(held);
        assertThat(pool.totals().waiting()).as("the refused caller no longer counts as waiting").isZero();
        assertThat(pool.totals().getMisses()).as("the connect and the refused wait").isEqualTo(2);
        assertThat(pool.totals().getHits()).as("the waiter").isEqualTo(1);
    }

    @Test
    void refusedConnectIsReportedAndFreesThePlace() throws Exception {
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        // Connect backoff off: the second connect must really run.
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                .connectBackoff(Duration.ZERO).build());
        String name = "127.0.0.1:" + closedPort;

        assertThatThrownBy(() -> pool.acquire(name)).isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("Pool 'orders', name '" + name + "': could not open a connection")
                .hasCauseInstanceOf(java.net.ConnectException.class);
        assertThatThrownBy(() -> pool.acquire(name)).as("the failed attempt did not keep the only place")
                .isInstanceOf(ConnectFailedException.class);
        assertThat(pool.totals().connectFailures()).isEqualTo(2);
        assertThat(pool.totals().inUse()).isZero();
    }

    @Test
    void badNameFailsTheConnectWithTheReason() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());

        assertThatThrownBy(() -> pool.acquire("no-port-here")).isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("name must be host:port");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void factoryReturningTheWrongTypeFailsTheConnectAndFreesThePlace() {
        List<java.io.StringReader> made = new CopyOnWriteArrayList<>();
        ConnectionFactory wrong = name -> {
            java.io.StringReader reader = new java.io.StringReader("not a socket");
            made.add(reader);
            return reader;
        };
        // Connect backoff off: the second connect must really run.
        ConnectionPool<Socket> pool = repository.pool("mistyped", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxOpenPerName(1).connectBackoff(Duration.ZERO).build(), wrong);

        assertThatThrownBy(() -> pool.acquire(server.name())).isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("returned a java.io.StringReader, but the pool holds java.net.Socket");
        assertThatThrownBy(() -> pool.acquire(server.name())).isInstanceOf(ConnectFailedException.class);
        assertThat(pool.totals().inUse()).isZero();
        assertThat(made).hasSize(2).allSatisfy(reader -> assertThatThrownBy(reader::read)
                .as("the mistyped object is closed, not leaked").hasMessage("Stream closed"));
    }

    @Test
    void acquireWithoutAFactoryIsAClearError() {
        ConnectionPool<Socket> pool = repository.pool("plain", ConnectionAdapter.sockets(), PoolSettings.defaults());

        assertThat(pool.canConnect()).isFalse();
        assertThatThrownBy(() -> pool.acquire(server.name())).isInstanceOf(NoConnectionFactoryException.class)
                .hasMessageContaining("Pool 'plain' has no ConnectionFactory");
    }

    @Test
    void closingThePoolWakesWaitersWithPoolClosed() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                .acquireTimeout(Duration.ofSeconds(30)).build());
        pool.acquire(server.name());
        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        awaitWaiting(pool, 1);

        repository.close();

        assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(PoolClosedException.class);
    }

    @Test
    void listenerHearsHowEachAcquireEnded() {
        CopyOnWriteArrayList<PoolListener.AcquireOutcome> outcomes = new CopyOnWriteArrayList<>();
        repository.addListener(new PoolListener() {
            @Override
            public void acquireCompleted(ConnectionPool<?> pool, String name, long waitNanos,
                    AcquireOutcome outcome) {
                assertThat(waitNanos).isNotNegative();
                outcomes.add(outcome);
            }
        });
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                .acquireTimeout(Duration.ofMillis(20)).build());

        Socket s = pool.acquire(server.name());
        assertThatThrownBy(() -> pool.acquire(server.name())).isInstanceOf(AcquireTimeoutException.class);
        pool.add(server.name(), s);
        pool.acquire(server.name());

        assertThat(outcomes).containsExactly(PoolListener.AcquireOutcome.CREATED, PoolListener.AcquireOutcome.TIMEOUT,
                PoolListener.AcquireOutcome.IDLE);
    }

    @Test
    void listenerHearsHowLongEachConnectTookAndWhetherItSucceeded() throws Exception {
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        String refusing = "127.0.0.1:" + closedPort;
        CopyOnWriteArrayList<String> connects = new CopyOnWriteArrayList<>();
        repository.addListener(new PoolListener() {
            @Override
            public void connectCompleted(ConnectionPool<?> pool, String name, long connectNanos, boolean succeeded) {
                assertThat(connectNanos).isPositive();
                connects.add(name + (succeeded ? " connected" : " failed"));
            }
        });
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());

        Socket s = pool.acquire(server.name());
        pool.add(server.name(), s);
        pool.acquire(server.name()); // idle: no connect
        assertThatThrownBy(() -> pool.acquire(refusing)).isInstanceOf(ConnectFailedException.class);

        assertThat(connects).containsExactly(server.name() + " connected", refusing + " failed");
    }

    private static void awaitWaiting(ConnectionPool<Socket> pool, int waiting) {
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.totals().waiting() >= waiting);
    }
}
