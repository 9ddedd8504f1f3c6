package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.poolrepos.PoolOperations.SuspendMode;
import io.poolrepos.testing.EchoServer;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resize, suspend and resume, soft eviction: each on real sockets to an echo server on 127.0.0.1. */
class PoolOperationsTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final EchoServer server = EchoServer.start();
    private final EchoServer other = EchoServer.start();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
        server.close();
        other.close();
    }

    private ConnectionPool<Socket> pool(PoolSettings settings) {
        return repository.pool("orders", ConnectionAdapter.sockets(), settings, TcpConnectionFactory.create());
    }

    private static List<Socket> acquire(ConnectionPool<Socket> pool, String name, int count) {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(pool.acquire(name));
        }
        return sockets;
    }

    // ---- resize ----------------------------------------------------------------------------------

    @Test
    void loweredLimitsCloseIdleConnectionsAboveThemNowAndLoansAboveThemOnTheirReturn() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(6).maxIdlePerName(6).build());
        List<Socket> sockets = acquire(pool, server.name(), 6);
        for (Socket s : sockets.subList(0, 3)) {
            pool.add(server.name(), s);
        }

        PoolLimits limits = pool.operations().resize(change -> change.maxOpenPerName(2).maxIdlePerName(2));

        assertThat(limits.maxOpenPerName()).isEqualTo(2);
        assertThat(pool.settings().maxOpenPerName()).isEqualTo(2);
        assertThat(pool.settings().maxIdlePerName()).isEqualTo(2);
        NameStatistics name = pool.statistics(server.name()).orElseThrow();
        assertThat(name.idle()).as("idle ones above the new open limit are closed now").isZero();
        assertThat(name.inUse()).isEqualTo(3);
        assertThat(name.overflowed()).isEqualTo(3);
        List<AddResult> results = new ArrayList<>();
        for (Socket s : sockets.subList(3, 6)) {
            assertThat(EchoServer.roundTrip(s, "still mine")).isEqualTo("still mine");
            results.add(pool.add(server.name(), s));
        }
        assertThat(results).containsExactly(AddResult.CLOSED_OVERFLOW, AddResult.POOLED, AddResult.POOLED);
        assertThat(name.idle()).isEqualTo(2);
        assertThat(name.overflowed()).isEqualTo(4);
        await().atMost(LONG).until(() -> server.openConnections() == 2);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void loweringBothLimitsOfANameKeepsAsManyIdleConnectionsAsTheyAllow() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(6).maxIdlePerName(6).build());
        for (Socket s : acquire(pool, server.name(), 4)) {
            pool.add(server.name(), s);
        }

        pool.operations().resize(change -> change.maxOpenPerName(2).maxIdlePerName(2));

        assertThat(pool.statistics(server.name()).orElseThrow().idle()).isEqualTo(2);
        assertThat(pool.totals().snapshot().overflowed()).isEqualTo(2);
        await().atMost(LONG).until(() -> server.openConnections() == 2);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void aLoweredMaxIdlePerNameMovesAReturningConnectionIntoAPlaceWithinIt() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(4).maxIdlePerName(4).build());
        List<Socket> sockets = acquire(pool, server.name(), 4);

        pool.operations().resize(change -> change.maxIdlePerName(1));

        List<AddResult> results = new ArrayList<>();
        for (Socket s : sockets) {
            results.add(pool.add(server.name(), s));
        }
        assertThat(results).containsExactly(AddResult.POOLED, AddResult.CLOSED_OVERFLOW, AddResult.CLOSED_OVERFLOW,
                AddResult.CLOSED_OVERFLOW);
        assertThat(pool.statistics(server.name()).orElseThrow().idle()).isEqualTo(1);
        assertThat(pool.get(server.name())).contains(sockets.get(0));
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void aRaisedOpenLimitGivesWaitingCallersTheNewRoomAtOnce() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1).acquireTimeout(LONG).build());
        Socket held = pool.acquire(server.name());
        // A thread each: the default async executor may run one task at a time on a 2-core machine.
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
        Socket a;
        Socket b;
        try {
            CompletableFuture<Socket> first = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()), callers);
            CompletableFuture<Socket> second = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()), callers);
            await().atMost(LONG).until(() -> pool.statistics(server.name()).orElseThrow().waiting() == 2);

            pool.operations().resize(change -> change.maxOpenPerName(3));

            a = first.get(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            b = second.get(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            callers.shutdown();
        }
        assertThat(List.of(held, a, b)).doesNotHaveDuplicates();
        assertThat(pool.totals().snapshot().created()).isEqualTo(3);
        pool.add(server.name(), held);
        pool.add(server.name(), a);
        pool.add(server.name(), b);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void aRejectedResizeNamesTheLimitAndChangesNothing() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(4).maxIdlePerName(2).build());
        pool.add(server.name(), server.connect());
        server.awaitAccepted(1); // a connect returns before the server's accept loop counts it
        PoolLimits before = pool.operations().limits();

        assertThatThrownBy(() -> pool.operations().resize(change -> change.maxOpenPerName(-1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("maxOpenPerName must be >= 0, was -1")
                .extracting(ex -> ((InvalidArgumentException) ex).getArgument()).isEqualTo("maxOpenPerName");
        assertThatThrownBy(() -> pool.operations().resize(change -> change.maxIdlePerName(3).maxOpenPerName(2)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("maxIdlePerName (3) must not exceed maxOpenPerName (2)");
        assertThatThrownBy(() -> pool.operations().resize(change -> change.acquireTimeout(Duration.ofSeconds(-1))))
                .hasMessage("acquireTimeout must not be negative, was PT-1S");
        assertThatThrownBy(() -> pool.operations().resize(change -> change.maxIdleInPool(5)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("maxIdleInPool of pool 'orders' cannot be changed while it runs");

        assertThat(pool.operations().limits()).isEqualTo(before);
        assertThat(pool.settings().maxOpenPerName()).isEqualTo(4);
        assertThat(pool.statistics(server.name()).orElseThrow().idle()).isEqualTo(1);
        assertThat(server.openConnections()).isEqualTo(1);
    }

    @Test
    void aLoweredMaxIdleInPoolClosesIdleConnectionsAboveItAcrossNames() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdleInPool(4).build());
        pool.add(server.name(), server.connect());
        pool.add(server.name(), server.connect());
        pool.add(other.name(), other.connect());
        pool.add(other.name(), other.connect());

        pool.operations().resize(change -> change.maxIdleInPool(1));

        assertThat(pool.totals().snapshot().idle()).isEqualTo(1);
        assertThat(pool.totals().snapshot().overflowed()).isEqualTo(3);
        assertThat(pool.add(server.name(), server.connect())).isEqualTo(AddResult.CLOSED_OVERFLOW);
        pool.operations().resize(change -> change.maxIdleInPool(0));
        assertThat(pool.add(server.name(), server.connect())).isEqualTo(AddResult.POOLED);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void theRepositoryStillHandsOutAResizedPoolForTheSettingsItWasCreatedWith() {
        PoolSettings configured = PoolSettings.builder().maxOpenPerName(4).build();
        ConnectionPool<Socket> pool = pool(configured);
        pool.operations().resize(change -> change.maxOpenPerName(8));

        assertThat(pool(configured)).isSameAs(pool);
    }

    // ---- suspend and resume ----------------------------------------------------------------------

    @Test
    void whileSuspendedToWaitAcquireWaitsForTheResumeAndGetFindsNothing() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().acquireTimeout(LONG).build());
        pool.add(server.name(), server.connect());
        pool.operations().suspend(SuspendMode.WAIT);

        assertThat(pool.get(server.name())).isEmpty();
        assertThatThrownBy(() -> pool.acquire(server.name(), Duration.ofMillis(50)))
                .isInstanceOf(AcquireTimeoutException.class).hasMessageContaining("while the pool was suspended");
        AtomicReference<Socket> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> got.set(pool.acquire(server.name())));
        waiter.start();
        await().atMost(LONG).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        assertThat(pool.operations().suspension()).contains(SuspendMode.WAIT);
        assertThat(got.get()).isNull();

        pool.operations().resume();

        waiter.join(LONG.toMillis());
        assertThat(got.get()).isNotNull();
        assertThat(pool.operations().suspension()).isEmpty();
        assertThat(pool.totals().snapshot().created()).as("the idle one was handed out").isZero();
        pool.add(server.name(), got.get());
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void whileSuspendedToFailFastHandOutsFailAtOnceAndGiveBacksAreKept() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket loaned = pool.acquire(server.name());
        pool.operations().suspend(SuspendMode.FAIL_FAST);

        assertThatThrownBy(() -> pool.acquire(server.name())).isInstanceOf(PoolSuspendedException.class)
                .hasMessageContaining("Pool 'orders' is suspended")
                .extracting(ex -> ((PoolSuspendedException) ex).getPoolName()).isEqualTo("orders");
        assertThatThrownBy(() -> pool.get(server.name())).isInstanceOf(PoolSuspendedException.class);
        assertThatThrownBy(() -> pool.get("unknown.example:1")).isInstanceOf(PoolSuspendedException.class);
        assertThat(pool.add(server.name(), loaned)).isEqualTo(AddResult.POOLED);
        assertThat(pool.statistics(server.name()).orElseThrow().idle()).isEqualTo(1);

        pool.operations().resume();
        assertThat(pool.acquire(server.name())).isSameAs(loaned);
        pool.add(server.name(), loaned);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void whileSuspendedShareFindsNothingOrFailsFastAndLeasesHeldGoOn() {
        ConnectionPool<Socket> pool = repository.pool("quotes", ConnectionAdapter.sockets(),
                PoolSettings.builder().sharable(true).build());
        pool.add(server.name(), server.connect());
        SharedLease<Socket> held = pool.share(server.name()).orElseThrow();

        pool.operations().suspend(SuspendMode.WAIT);
        assertThat(pool.share(server.name())).isEmpty();
        pool.operations().suspend(SuspendMode.FAIL_FAST);
        assertThatThrownBy(() -> pool.share(server.name())).isInstanceOf(PoolSuspendedException.class);
        assertThat(EchoServer.roundTrip(held.connection(), "held lease")).isEqualTo("held lease");
        held.close();

        pool.operations().resume();
        try (SharedLease<Socket> again = pool.share(server.name()).orElseThrow()) {
            assertThat(again.connection()).isSameAs(held.connection());
        }
    }

    @Test
    void aCallerWaitingAtTheOpenLimitWhenThePoolIsSuspendedGetsNothingUntilTheResume() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1).acquireTimeout(LONG).build());
        Socket held = pool.acquire(server.name());
        AtomicReference<Socket> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> got.set(pool.acquire(server.name())));
        waiter.start();
        await().atMost(LONG).until(() -> pool.statistics(server.name()).orElseThrow().waiting() == 1);

        pool.operations().suspend(SuspendMode.WAIT);
        await().atMost(LONG).until(() -> pool.statistics(server.name()).orElseThrow().waiting() == 0
                && waiter.getState() == Thread.State.TIMED_WAITING);
        assertThat(pool.add(server.name(), held)).isEqualTo(AddResult.POOLED);
        assertThat(pool.statistics(server.name()).orElseThrow().idle()).as("not handed to the waiter").isEqualTo(1);
        assertThat(got.get()).isNull();

        pool.operations().resume();
        waiter.join(LONG.toMillis());
        assertThat(got.get()).isSameAs(held);
        pool.add(server.name(), held);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void aCallerWaitingAtTheOpenLimitFailsWhenThePoolIsSuspendedToFailFast() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1).acquireTimeout(LONG).build());
        Socket held = pool.acquire(server.name());
        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        await().atMost(LONG).until(() -> pool.statistics(server.name()).orElseThrow().waiting() == 1);

        pool.operations().suspend(SuspendMode.FAIL_FAST);

        assertThatThrownBy(() -> waiter.get(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(PoolSuspendedException.class);
        pool.add(server.name(), held);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void closingASuspendedPoolEndsTheWaitForTheResume() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().acquireTimeout(LONG).build());
        pool.operations().suspend(SuspendMode.WAIT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                pool.acquire(server.name());
            } catch (RuntimeException ex) {
                failure.set(ex);
            }
        });
        waiter.start();
        await().atMost(LONG).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);

        repository.close();

        waiter.join(LONG.toMillis());
        assertThat(failure.get()).isInstanceOf(PoolClosedException.class);
    }

    // ---- soft eviction ---------------------------------------------------------------------------

    @Test
    void softEvictionClosesIdleConnectionsNowAndLoansWhenTheyComeBackWithoutTouchingOtherNames() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket loaned = pool.acquire(server.name());
        pool.add(server.name(), server.connect());
        pool.add(server.name(), server.connect());
        pool.add(other.name(), other.connect());

        int closedNow = pool.operations().softEvict(server.name());

        assertThat(closedNow).isEqualTo(2);
        assertThat(pool.statistics(server.name()).orElseThrow().idle()).isZero();
        assertThat(pool.statistics(other.name()).orElseThrow().idle()).isEqualTo(1);
        assertThat(EchoServer.roundTrip(loaned, "the loan goes on")).isEqualTo("the loan goes on");
        assertThat(pool.add(server.name(), loaned)).isEqualTo(AddResult.CLOSED_EXPIRED);
        assertThat(pool.get(server.name())).isEmpty();
        await().atMost(LONG).until(() -> server.openConnections() == 0);
        assertThat(pool.totals().snapshot().discarded()).isEqualTo(3);

        Socket fresh = pool.acquire(server.name());
        assertThat(pool.add(server.name(), fresh)).as("connections made after the eviction are kept")
                .isEqualTo(AddResult.POOLED);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void softEvictingThePoolClosesEveryNamesIdleConnectionsAndNeverHandsOutAnOldOne() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket loaned = pool.acquire(other.name());
        pool.add(server.name(), server.connect());
        pool.add(other.name(), other.connect());

        assertThat(pool.operations().softEvictAll()).isEqualTo(2);

        assertThat(pool.totals().snapshot().idle()).isZero();
        assertThat(pool.add(other.name(), loaned)).isEqualTo(AddResult.CLOSED_EXPIRED);
        assertThat(pool.acquire(other.name())).isNotSameAs(loaned);
        assertThat(pool.totals().snapshot().discarded()).isEqualTo(3);
        await().atMost(LONG).until(() -> server.openConnections() == 0 && other.openConnections() == 1);
    }

    @Test
    void aConnectionPlacedWhileTheEvictionSweepsIsClosedByItsGiveBack() {
        AtomicReference<ConnectionPool<Socket>> poolRef = new AtomicReference<>();
        AtomicReference<Integer> closedBySweep = new AtomicReference<>();
        Hooks evictJustBeforePlacing = new Hooks() {
            @Override
            public void beforePlacing() {
                // The give-back has checked the connection and is about to publish it: the sweep misses it.
                if (closedBySweep.get() == null) {
                    closedBySweep.set(poolRef.get().operations().softEvictAll());
                }
            }
        };
        try (PoolRepository hooked = PoolRepository.builder().housekeepingPeriod(Duration.ZERO)
                .hooks(evictJustBeforePlacing).build()) {
            ConnectionPool<Socket> pool = hooked.pool("orders", ConnectionAdapter.sockets(), PoolSettings.defaults());
            poolRef.set(pool);

            assertThat(pool.add(server.name(), server.connect())).isEqualTo(AddResult.CLOSED_EXPIRED);

            assertThat(closedBySweep.get()).isZero();
            assertThat(pool.totals().snapshot().idle()).isZero();
            assertThat(pool.totals().snapshot().discarded()).isEqualTo(1);
            await().atMost(LONG).until(() -> server.openConnections() == 0);
            BackendFaultTest.assertBooksBalance(pool);
        }
    }

    @Test
    void operationsRejectBadArgumentsAndChangeNothing() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        pool.add(server.name(), server.connect());

        assertThatThrownBy(() -> pool.operations().softEvict(" ")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("name must not be blank, was ' '");
        assertThatThrownBy(() -> pool.operations().suspend(null)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("mode must not be null");
        assertThatThrownBy(() -> pool.operations().resize(null)).hasMessage("change must not be null");

        assertThat(pool.operations().suspension()).isEmpty();
        assertThat(pool.statistics(server.name()).orElseThrow().idle()).isEqualTo(1);
    }
}
