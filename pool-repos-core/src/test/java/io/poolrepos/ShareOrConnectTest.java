package io.poolrepos;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.testing.EchoServer;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * share on a sharable pool with a factory: it joins a connection below its sharer limit, else opens
 * one within the open limits, else waits in line like acquire; without a factory it neither connects
 * nor waits.
 */
class ShareOrConnectTest {

    private final EchoServer server = EchoServer.start();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    private ConnectionPool<Socket> pool(PoolSettings.Builder settings) {
        return repository.pool("quotes", ConnectionAdapter.sockets(), settings.sharable(true).build(),
                TcpConnectionFactory.create());
    }

    @Test
    void shareConnectsWhenTheNameHasNoConnectionAndKeepsItInThePoolShared() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder());

        try (SharedLease<Socket> lease = pool.share(server.name()).orElseThrow()) {
            assertThat(EchoServer.roundTrip(lease.connection(), "hi")).isEqualTo("hi");
            NameStatistics name = pool.statistics(server.name()).orElseThrow();
            assertThat(name.sharedConnections()).isEqualTo(1);
            assertThat(name.activeShares()).isEqualTo(1);
            assertThat(name.inUse()).as("shared, not on loan").isZero();
            assertThat(pool.get(server.name())).as("a shared connection is not handed out for exclusive use").isEmpty();
        }
        assertThat(pool.totals().created()).isEqualTo(1);
        assertThat(pool.totals().shares()).isEqualTo(1);
        assertThat(pool.totals().idle()).as("stays in the pool after its last lease").isEqualTo(1);
        server.awaitAccepted(1);
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void shareJoinsBelowTheSharerLimitAndConnectsOnlyWhenEveryConnectionIsAtIt() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxSharersPerConnection(2));

        SharedLease<Socket> a = pool.share(server.name()).orElseThrow();
        SharedLease<Socket> b = pool.share(server.name()).orElseThrow();
        SharedLease<Socket> c = pool.share(server.name()).orElseThrow();

        assertThat(b.connection()).as("joined below the sharer limit").isSameAs(a.connection());
        assertThat(c.connection()).as("a new one once the first is at its limit").isNotSameAs(a.connection());
        assertThat(pool.totals().created()).isEqualTo(2);
        server.awaitAccepted(2);
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void shareOpensUpToTheOpenLimitThenWaitsAndGetsTheShareOfTheSharerThatLeaves() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxSharersPerConnection(1).maxOpenPerName(2)
                .acquireTimeout(Duration.ofSeconds(20)));
        SharedLease<Socket> first = pool.share(server.name()).orElseThrow();
        SharedLease<Socket> second = pool.share(server.name()).orElseThrow();
        assertThat(second.connection()).isNotSameAs(first.connection());

        CompletableFuture<SharedLease<Socket>> waiter = CompletableFuture.supplyAsync(
                () -> pool.share(server.name()).orElseThrow());
        awaitWaiting(pool, 1);
        assertThat(waiter).as("waits at the open limit").isNotDone();
        first.close();

        SharedLease<Socket> third = waiter.get(10, TimeUnit.SECONDS);
        assertThat(third.connection()).as("the share of the sharer that left").isSameAs(first.connection());
        assertThat(pool.totals().created()).as("no connection beyond the limit").isEqualTo(2);
        assertThat(pool.statistics(server.name()).orElseThrow().activeShares()).isEqualTo(2);
        third.close();
        second.close();
        assertThat(pool.totals().waiting()).isZero();
    }

    @Test
    void waitingShareConnectsWhenAConnectionOfTheNameIsClosed() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxSharersPerConnection(1).maxOpenPerName(1)
                .acquireTimeout(Duration.ofSeconds(20)));
        Socket exclusive = pool.acquire(server.name());

        CompletableFuture<SharedLease<Socket>> waiter = CompletableFuture.supplyAsync(
                () -> pool.share(server.name()).orElseThrow());
        awaitWaiting(pool, 1);
        pool.discard(server.name(), exclusive);

        SharedLease<Socket> lease = waiter.get(10, TimeUnit.SECONDS);
        assertThat(lease.connection()).isNotSameAs(exclusive);
        assertThat(pool.totals().created()).isEqualTo(2);
        lease.close();
    }

    @Test
    void waitingShareJoinsAConnectionGivenBackIdle() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxSharersPerConnection(1).maxOpenPerName(1)
                .acquireTimeout(Duration.ofSeconds(20)));
        Socket exclusive = pool.acquire(server.name());

        CompletableFuture<SharedLease<Socket>> waiter = CompletableFuture.supplyAsync(
                () -> pool.share(server.name()).orElseThrow());
        awaitWaiting(pool, 1);
        pool.add(server.name(), exclusive);

        assertThat(waiter.get(10, TimeUnit.SECONDS).connection()).isSameAs(exclusive);
        assertThat(pool.totals().created()).isEqualTo(1);
    }

    @Test
    void shareTimesOutWhenNothingFreesAndTheMessageNamesTheOpenLimit() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxSharersPerConnection(1).maxOpenPerName(1));
        SharedLease<Socket> held = pool.share(server.name()).orElseThrow();

        assertThatThrownBy(() -> pool.share(server.name(), Duration.ofMillis(100)))
                .isInstanceOf(AcquireTimeoutException.class)
                .hasMessage("Pool 'quotes', name '" + server.name() + "': acquire timed out after 100ms (idle=1, "
                        + "inUse=0, waiting=0, maxOpenPerName=1). Close leases sooner, raise maxOpenPerName, "
                        + "maxSharersPerConnection or acquireTimeout.");
        assertThat(pool.totals().acquireTimeouts()).isEqualTo(1);
        assertThat(pool.totals().created()).isEqualTo(1);
        held.close();
    }

    @Test
    void shareOpensNoMoreConnectionsThanTheNameHasIdlePlacesAndSaysSoOnTimeout() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxSharersPerConnection(1).maxIdlePerName(1));
        SharedLease<Socket> held = pool.share(server.name()).orElseThrow();

        assertThatThrownBy(() -> pool.share(server.name(), Duration.ofMillis(50)))
                .isInstanceOf(AcquireTimeoutException.class)
                .hasMessageContaining("maxIdlePerName=1, the most connections share keeps per name). Close leases "
                        + "sooner, raise maxIdlePerName");
        assertThat(pool.totals().created()).isEqualTo(1);
        held.close();
    }

    @Test
    void shareWithTheWaiterLimitReachedFailsAtOnce() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxSharersPerConnection(1).maxOpenPerName(1)
                .maxWaitersPerName(1).acquireTimeout(Duration.ofSeconds(20)));
        SharedLease<Socket> held = pool.share(server.name()).orElseThrow();
        CompletableFuture<SharedLease<Socket>> waiter = CompletableFuture.supplyAsync(
                () -> pool.share(server.name()).orElseThrow());
        awaitWaiting(pool, 1);

        assertThatThrownBy(() -> pool.share(server.name())).isInstanceOf(WaiterLimitExceededException.class);
        held.close();
        waiter.get(10, TimeUnit.SECONDS).close();
    }

    @Test
    void shareWhileTheBackendIsDownFailsWithTheConnectErrorAndLeavesNothingOpen() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().connectBackoff(Duration.ofSeconds(10))
                .connectBackoffMax(Duration.ofSeconds(10)));
        String name = server.name();
        server.close();

        assertThatThrownBy(() -> pool.share(name)).isInstanceOf(ConnectFailedException.class);
        assertThatThrownBy(() -> pool.share(name)).as("in connect backoff").isInstanceOf(ConnectBackoffException.class);
        assertThat(pool.totals().idle()).isZero();
        assertThat(pool.statistics(name).map(s -> s.idle() + s.inUse()).orElse(0)).isZero();
    }

    @Test
    void closingThePoolEndsAWaitingShare() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxSharersPerConnection(1).maxOpenPerName(1)
                .acquireTimeout(Duration.ofSeconds(20)));
        SharedLease<Socket> held = pool.share(server.name()).orElseThrow();
        CompletableFuture<SharedLease<Socket>> waiter = CompletableFuture.supplyAsync(
                () -> pool.share(server.name()).orElseThrow());
        awaitWaiting(pool, 1);

        repository.close();

        assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(PoolClosedException.class);
        held.close();
        assertThat(held.connection().isClosed()).as("closed with its last lease").isTrue();
    }

    @Test
    void shareWithoutAFactoryNeitherConnectsNorWaits() {
        ConnectionPool<Socket> pool = repository.pool("plain", ConnectionAdapter.sockets(),
                PoolSettings.builder().sharable(true).maxSharersPerConnection(1).build());

        assertThat(pool.share(server.name())).isEmpty();
        assertThat(pool.share(server.name(), Duration.ofSeconds(30))).isEmpty();
        Socket s = server.connect();
        pool.add(server.name(), s);
        SharedLease<Socket> lease = pool.share(server.name()).orElseThrow();
        assertThat(pool.share(server.name())).as("at its sharer limit: empty at once").isEmpty();
        lease.close();
        server.awaitAccepted(1);
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void shareOrConnectUnderStressNeverExceedsTheLimitsAndTheBooksBalance() throws Exception {
        int maxSharers = 2;
        int maxOpen = 3;
        try (EchoServer other = EchoServer.start()) {
            ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxSharersPerConnection(maxSharers)
                    .maxIdlePerName(maxOpen).maxOpenPerName(maxOpen).acquireTimeout(Duration.ofSeconds(30)));
            List<String> names = List.of(server.name(), other.name());
            ConcurrentHashMap<Socket, AtomicInteger> sharers = new ConcurrentHashMap<>();
            ConcurrentHashMap<Socket, AtomicInteger> exclusive = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            AtomicLong operations = new AtomicLong();
            int threads = 8;
            long total = 4_000;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        while (operations.incrementAndGet() <= total) {
                            String name = names.get(random.nextInt(names.size()));
                            int dice = random.nextInt(100);
                            if (dice < 75) {
                                try (SharedLease<Socket> lease = pool.share(name).orElseThrow()) {
                                    Socket s = lease.connection();
                                    int n = sharers.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                                    if (n > maxSharers) {
                                        violations.add("more than " + maxSharers + " sharers: " + n);
                                    }
                                    if (exclusive.getOrDefault(s, new AtomicInteger()).get() != 0) {
                                        violations.add("shared while held exclusively");
                                    }
                                    if (random.nextInt(4) == 0) {
                                        Thread.yield();
                                    }
                                    sharers.get(s).decrementAndGet();
                                }
                            } else {
                                Socket s = pool.acquire(name);
                                int n = exclusive.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                                if (n != 1 || sharers.getOrDefault(s, new AtomicInteger()).get() != 0) {
                                    violations.add("held exclusively by two, or while shared");
                                }
                                exclusive.get(s).decrementAndGet();
                                if (dice < 80) {
                                    pool.discard(name, s);
                                } else {
                                    pool.add(name, s);
                                }
                            }
                            for (String each : names) {
                                int open = pool.statistics(each).map(s -> ((NameCapacity<?>) s).openCount()).orElse(0);
                                if (open > maxOpen) {
                                    violations.add("open " + open + " above " + maxOpen);
                                }
                            }
                        }
                    } catch (Throwable ex) {
                        unexpected.add(ex);
                    }
                }, "share-stress-" + t);
                workers.add(worker);
                worker.start();
            }
            start.countDown();
            for (Thread worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(120));
                assertThat(worker.isAlive()).as("a stress thread is stuck").isFalse();
            }

            assertThat(unexpected).as("unexpected exceptions").isEmpty();
            assertThat(violations).as("violations").isEmpty();
            Counts c = pool.totals().snapshot();
            assertThat(c.shares()).as("work was done").isGreaterThan(total / 2);
            assertThat(c.inUse()).isZero();
            assertThat(c.activeShares()).isZero();
            assertThat(c.waiting()).isZero();
            BackendFaultTest.assertBooksBalance(pool);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.accepted() + other.accepted() >= c.created());
            assertThat(c.created()).as("every connection opened was counted")
                    .isEqualTo(server.accepted() + other.accepted());
            long open = sharers.keySet().stream().filter(s -> !s.isClosed()).count()
                    + exclusive.keySet().stream().filter(s -> !sharers.containsKey(s) && !s.isClosed()).count();
            assertThat(open).as("open sockets == idle in the pool").isEqualTo(c.idle());
        }
    }

    private static void awaitWaiting(ConnectionPool<Socket> pool, int waiting) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.totals().waiting() >= waiting);
    }
}
