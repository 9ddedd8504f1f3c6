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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool-wide open limit and share-or-connect under a running pool's operations, on real sockets:
 * {@code maxOpenInPool} is resized like the other limits and named as written in messages, warm-up
 * keeps to it, and a waiting {@code share} respects suspension and soft eviction as {@code acquire} does.
 */
class PoolOpenLimitOperationsTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final EchoServer a = EchoServer.start();
    private final EchoServer b = EchoServer.start();
    private PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
        a.close();
        b.close();
    }

    private ConnectionPool<Socket> pool(PoolSettings.Builder settings) {
        return repository.pool("capped", ConnectionAdapter.sockets(), settings.build(), TcpConnectionFactory.create());
    }

    @Test
    void aRaisedMaxOpenInPoolGivesACallerWaitingAtTheOldCapTheNewRoomAtOnce() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenInPool(1).acquireTimeout(LONG));
        Socket held = pool.acquire(a.name());
        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(b.name()));
        await().atMost(LONG).until(() -> pool.totals().waiting() == 1);

        PoolLimits after = pool.operations().resize(change -> change.maxOpenInPool(2));

        assertThat(after.maxOpenInPool()).isEqualTo(2);
        assertThat(pool.settings().maxOpenInPool()).isEqualTo(2);
        Socket got = waiter.get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(EchoServer.roundTrip(got, "room")).isEqualTo("room");
        assertThat(held.isClosed()).as("no room was made by closing the loan").isFalse();
        pool.add(a.name(), held);
        pool.add(b.name(), got);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void aLoweredMaxOpenInPoolClosesIdleConnectionsNowAndLoansOnTheirReturnUntilThePoolIsWithinIt() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenInPool(4));
        Socket loanA = pool.acquire(a.name());
        Socket loanB = pool.acquire(b.name());
        pool.add(a.name(), a.connect());

        PoolLimits after = pool.operations().resize(change -> change.maxOpenInPool(1));

        assertThat(after.changesFrom(PoolLimits.of(PoolSettings.builder().maxOpenInPool(4).build())))
                .containsExactly("maxOpenInPool 4 \u2192 1");
        assertThat(pool.totals().snapshot().idle()).as("the idle one closed now").isZero();
        assertThat(pool.add(a.name(), loanA)).as("the pool is still above the limit").isEqualTo(AddResult.CLOSED_OVERFLOW);
        assertThat(pool.add(b.name(), loanB)).as("now within it").isEqualTo(AddResult.POOLED);
        assertThat(pool.totals().snapshot().overflowed()).isEqualTo(2);
        await().atMost(LONG).until(() -> a.openConnections() + b.openConnections() == 1);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void maxOpenInPoolCannotBeSetOnAPoolCreatedWithoutItAndARejectedValueChangesNothing() {
        ConnectionPool<Socket> uncapped = pool(PoolSettings.builder());
        PoolLimits before = uncapped.operations().limits();

        assertThatThrownBy(() -> uncapped.operations().resize(change -> change.maxOpenInPool(5)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("maxOpenInPool of pool 'capped' cannot be changed while it runs")
                .extracting(ex -> ((InvalidArgumentException) ex).getArgument()).isEqualTo("maxOpenInPool");
        assertThat(uncapped.operations().limits()).isEqualTo(before);

        ConnectionPool<Socket> capped = repository.pool("other", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxOpenInPool(3).build(), TcpConnectionFactory.create());
        assertThatThrownBy(() -> capped.operations().resize(change -> change.maxOpenInPool(-1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("maxOpenInPool must be >= 0, was -1");
        assertThat(capped.operations().limits().maxOpenInPool()).isEqualTo(3);
    }

    @Test
    void aTimeoutAtThePoolLimitNamesMaxOpenInPoolAsItWasWritten() {
        Map<String, String> written = Map.of("maxOpenInPool", "pool-repos.pools.capped.max-open-in-pool",
                "acquireTimeout", "pool-repos.defaults.acquire-timeout");
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenInPool(1).settingNames(written::get));
        pool.acquire(a.name());

        assertThatThrownBy(() -> pool.acquire(b.name(), Duration.ofMillis(50)))
                .isInstanceOf(AcquireTimeoutException.class)
                .hasMessageEndingWith("maxOpenInPool=1, openInPool=1). Give connections back sooner, raise maxOpenInPool"
                        + " (pool-repos.pools.capped.max-open-in-pool) or acquireTimeout"
                        + " (pool-repos.defaults.acquire-timeout).");
    }

    @Test
    void warmUpNeverOpensBeyondMaxOpenInPoolAndWarmsTheRestOnceItIsRaised() throws Exception {
        repository.close();
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(20)).build();
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenInPool(3).minIdlePerName(2));

        WarmUp warmUp = pool.warm(List.of(a.name(), b.name()));
        // Passes run (housekeeping every 20 ms) but find no room in the pool: nothing beyond the cap,
        // and no idle connection of the other name closed to make room.
        await().during(200, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS)
                .until(() -> pool.totals().created() == 3 && pool.totals().idle() == 3 && !warmUp.isWarm());
        assertThat(pool.totals().snapshot().evictedIdle()).isZero();

        pool.operations().resize(change -> change.maxOpenInPool(4));

        warmUp.whenWarm().get(10, TimeUnit.SECONDS);
        assertThat(pool.totals().created()).isEqualTo(4);
        // The servers see a connect a moment after it returns.
        await().atMost(5, TimeUnit.SECONDS).until(() -> a.openConnections() + b.openConnections() == 4);
    }

    @Test
    void aShareWaitingWhenThePoolIsSuspendedGetsNoHandOffUntilTheResume() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).maxOpenPerName(1)
                .maxSharersPerConnection(1).acquireTimeout(LONG));
        SharedLease<Socket> held = pool.share(a.name()).orElseThrow();
        CompletableFuture<Optional<SharedLease<Socket>>> waiter = CompletableFuture.supplyAsync(() -> pool.share(a.name()));
        await().atMost(LONG).until(() -> pool.totals().waiting() == 1);

        pool.operations().suspend(SuspendMode.WAIT);
        await().atMost(LONG).until(() -> pool.totals().waiting() == 0);
        held.close();

        NameStatistics name = pool.statistics(a.name()).orElseThrow();
        assertThat(name.activeShares()).as("the share was not handed to the waiter").isZero();
        assertThat(waiter).isNotDone();

        pool.operations().resume();
        try (SharedLease<Socket> got = waiter.get(LONG.toSeconds(), TimeUnit.SECONDS).orElseThrow()) {
            assertThat(got.connection()).isSameAs(held.connection());
        }
        assertThat(pool.totals().created()).isEqualTo(1);
    }

    @Test
    void aShareThatCouldConnectFailsAtOnceWhileSuspendedToFailFastAndTimesOutWhileSuspendedToWait() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true));

        pool.operations().suspend(SuspendMode.FAIL_FAST);
        assertThatThrownBy(() -> pool.share(a.name())).isInstanceOf(PoolSuspendedException.class);
        pool.operations().suspend(SuspendMode.WAIT);
        assertThatThrownBy(() -> pool.share(a.name(), Duration.ofMillis(50)))
                .isInstanceOf(AcquireTimeoutException.class).hasMessageContaining("while the pool was suspended");

        assertThat(pool.totals().created()).as("nothing connected while suspended").isZero();
        pool.operations().resume();
        try (SharedLease<Socket> lease = pool.share(a.name()).orElseThrow()) {
            assertThat(EchoServer.roundTrip(lease.connection(), "resumed")).isEqualTo("resumed");
        }
    }

    @Test
    void theShareOfASoftEvictedConnectionIsNotHandedToAWaiterWhichGetsANewConnection() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).maxOpenPerName(1)
                .maxSharersPerConnection(1).acquireTimeout(LONG));
        SharedLease<Socket> held = pool.share(a.name()).orElseThrow();
        CompletableFuture<Optional<SharedLease<Socket>>> waiter = CompletableFuture.supplyAsync(() -> pool.share(a.name()));
        await().atMost(LONG).until(() -> pool.totals().waiting() == 1);

        pool.operations().softEvict(a.name());
        held.close();

        try (SharedLease<Socket> got = waiter.get(LONG.toSeconds(), TimeUnit.SECONDS).orElseThrow()) {
            assertThat(got.connection()).isNotSameAs(held.connection());
            assertThat(held.connection().isClosed()).as("closed by its last sharer").isTrue();
            assertThat(EchoServer.roundTrip(got.connection(), "new")).isEqualTo("new");
        }
        assertThat(pool.totals().created()).isEqualTo(2);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void acquireAndShareOrConnectUnderResizesOfMaxOpenInPoolSuspensionsAndEvictionsNeverShareAnExclusiveSocket()
            throws Exception {
        EchoServer c = EchoServer.start();
        try {
            List<String> names = List.of(a.name(), b.name(), c.name());
            ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).maxSharersPerConnection(2)
                    .maxOpenPerName(4).maxIdlePerName(4).maxOpenInPool(4).acquireTimeout(Duration.ofSeconds(60)));
            ConcurrentHashMap<Socket, AtomicInteger> exclusive = new ConcurrentHashMap<>();
            ConcurrentHashMap<Socket, AtomicInteger> sharers = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            AtomicLong operations = new AtomicLong();
            int total = 20_000;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        long n;
                        while ((n = operations.incrementAndGet()) <= total) {
                            String name = names.get(random.nextInt(names.size()));
                            if (random.nextBoolean()) {
                                Socket s = pool.acquire(name);
                                AtomicInteger h = exclusive.computeIfAbsent(s, k -> new AtomicInteger());
                                if (h.incrementAndGet() != 1) {
                                    violations.add("held by two: " + s);
                                }
                                if (sharers.computeIfAbsent(s, k -> new AtomicInteger()).get() != 0) {
                                    violations.add("held exclusively while shared: " + s);
                                }
                                if (s.isClosed()) {
                                    violations.add("handed out closed: " + s);
                                }
                                if (n % 16 == 0 && !"x".equals(EchoServer.roundTrip(s, "x"))) {
                                    violations.add("wrong reply on " + s);
                                }
                                h.decrementAndGet();
                                pool.add(name, s);
                            } else {
                                Optional<SharedLease<Socket>> lease = pool.share(name);
                                if (lease.isEmpty()) {
                                    continue;
                                }
                                Socket s = lease.get().connection();
                                AtomicInteger h = sharers.computeIfAbsent(s, k -> new AtomicInteger());
                                if (h.incrementAndGet() > 2) {
                                    violations.add("more sharers than the limit: " + s);
                                }
                                if (exclusive.computeIfAbsent(s, k -> new AtomicInteger()).get() != 0) {
                                    violations.add("shared while held exclusively: " + s);
                                }
                                if (s.isClosed()) {
                                    violations.add("shared closed: " + s);
                                }
                                h.decrementAndGet();
                                lease.get().close();
                            }
                        }
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }, "cap-ops-worker-" + t);
                workers.add(worker);
                worker.start();
            }
            AtomicInteger resizes = new AtomicInteger();
            Thread operator = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    while (operations.get() < total) {
                        int dice = random.nextInt(100);
                        if (dice < 70) {
                            int inPool = 1 + random.nextInt(6);
                            int open = 1 + random.nextInt(4);
                            pool.operations().resize(l -> l.maxOpenInPool(inPool).maxOpenPerName(open).maxIdlePerName(open));
                            resizes.incrementAndGet();
                        } else if (dice < 85) {
                            pool.operations().softEvict(names.get(random.nextInt(names.size())));
                        } else {
                            pool.operations().suspend(SuspendMode.WAIT);
                            Thread.sleep(1); // load generation: let callers meet the suspension
                            pool.operations().resume();
                        }
                        Thread.sleep(1);
                    }
                } catch (Throwable e) {
                    unexpected.add(e);
                } finally {
                    pool.operations().resume();
                }
            }, "cap-ops-operator");
            start.countDown();
            operator.start();
            for (Thread worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(180));
                assertThat(worker.isAlive()).as("a worker is stuck").isFalse();
            }
            operator.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(operator.isAlive()).as("the operator is stuck").isFalse();

            assertThat(violations).as("violations (first of %d)", violations.size()).isEmpty();
            assertThat(unexpected).as("unexpected exceptions").isEmpty();
            assertThat(resizes.get()).as("resizes done under load").isPositive();
            Counts totals = pool.totals().snapshot();
            System.out.printf("open limit under operations: %,d operations, %d resizes, %s%n", total, resizes.get(), totals);
            assertThat(totals.inUse()).isZero();
            assertThat(totals.activeShares()).isZero();
            BackendFaultTest.assertBooksBalance(pool);
            long open = java.util.stream.Stream.concat(exclusive.keySet().stream(), sharers.keySet().stream())
                    .distinct().filter(s -> !s.isClosed()).count();
            assertThat(open).as("open sockets == idle in the pool").isEqualTo(totals.idle());

            // With traffic stopped, a lowered cap holds exactly.
            pool.operations().resize(l -> l.maxOpenInPool(2));
            assertThat(pool.totals().snapshot().idle()).isLessThanOrEqualTo(2);
            BackendFaultTest.assertBooksBalance(pool);
        } finally {
            c.close();
        }
    }
}
