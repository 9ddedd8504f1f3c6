package io.poolrepos;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.testing.EchoServer;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * acquireAsync and shareAsync: the calling thread never blocks, the future completes when a connection
 * comes free or is opened, honours the timeout, queues fairly with blocking callers, and cancelling it
 * loses no connection.
 */
class AsyncAcquireTest {

    private final EchoServer server = EchoServer.start();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    private ConnectionPool<Socket> pool(PoolSettings.Builder settings) {
        return repository.pool("async", ConnectionAdapter.sockets(), settings.build(), TcpConnectionFactory.create());
    }

    @Test
    void acquireAsyncCompletesWithANewConnectionAndThenWithTheIdleOne() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder());

        Socket first = pool.acquireAsync(server.name()).get(10, TimeUnit.SECONDS);
        assertThat(EchoServer.roundTrip(first, "async")).isEqualTo("async");
        pool.add(server.name(), first);

        assertThat(pool.acquireAsync(server.name()).get(10, TimeUnit.SECONDS)).isSameAs(first);
        assertThat(pool.totals().created()).isEqualTo(1);
    }

    @Test
    void theCallingThreadDoesNotBlockWhileThePoolIsExhausted() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(20)));
        Socket held = pool.acquire(server.name());
        List<CompletableFuture<Socket>> futures = new ArrayList<>();

        Thread caller = new Thread(() -> futures.add(pool.acquireAsync(server.name())));
        caller.start();
        caller.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(caller.isAlive()).as("the caller returned although nothing is free").isFalse();
        CompletableFuture<Socket> future = futures.get(0);
        assertThat(future).isNotDone();
        awaitWaiting(pool, 1);
        pool.add(server.name(), held);
        assertThat(future.get(10, TimeUnit.SECONDS)).isSameAs(held);
    }

    @Test
    void acquireAsyncFailsWithTheAcquireTimeoutWhenNothingFrees() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1));
        pool.acquire(server.name());

        CompletableFuture<Socket> future = pool.acquireAsync(server.name(), Duration.ofMillis(100));

        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AcquireTimeoutException.class).hasMessageContaining("timed out after 100ms");
        assertThat(pool.totals().acquireTimeouts()).isEqualTo(1);
    }

    @Test
    void asyncAndBlockingCallersAreServedInTheOrderTheyCameToWait() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(20)));
        Socket held = pool.acquire(server.name());
        CompletableFuture<Socket> blocking = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        awaitWaiting(pool, 1);
        CompletableFuture<Socket> async = pool.acquireAsync(server.name());
        awaitWaiting(pool, 2);

        pool.add(server.name(), held);
        Socket first = blocking.get(10, TimeUnit.SECONDS);
        assertThat(async).as("came later, waits").isNotDone();
        pool.add(server.name(), first);

        assertThat(async.get(10, TimeUnit.SECONDS)).isSameAs(held);
    }

    @Test
    void cancellingAWaitingFutureEndsItsWaitAndLeavesTheConnectionToTheNext() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(20)));
        Socket held = pool.acquire(server.name());
        CompletableFuture<Socket> cancelled = pool.acquireAsync(server.name());
        awaitWaiting(pool, 1);

        assertThat(cancelled.cancel(true)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.totals().waiting() == 0);
        CompletableFuture<Socket> next = pool.acquireAsync(server.name());
        awaitWaiting(pool, 1);
        pool.add(server.name(), held);

        assertThat(next.get(10, TimeUnit.SECONDS)).isSameAs(held);
    }

    @Test
    void aCancellationStormWhileConnectionsAreHandedOffLosesNoConnection() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(2).acquireTimeout(Duration.ofSeconds(30)));
        List<CompletableFuture<Socket>> futures = new ArrayList<>();
        AtomicInteger served = new AtomicInteger();
        ExecutorService cancellers = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 400; i++) {
                CompletableFuture<Socket> future = pool.acquireAsync(server.name());
                // Served ones hold their connection 0.2 ms and give it back: hand-offs all along, and
                // 400 futures on 2 connections take long enough that the cancellations below meet
                // futures still pending, however fast the JDK serves them.
                future.thenAcceptAsync(s -> {
                    served.incrementAndGet();
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    pool.add(server.name(), s);
                });
                futures.add(future);
                if (ThreadLocalRandom.current().nextBoolean()) {
                    // At random moments: before its task runs, while it waits, as a connection reaches it.
                    long delay = ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(3));
                    cancellers.execute(() -> {
                        java.util.concurrent.locks.LockSupport.parkNanos(delay);
                        future.cancel(true);
                    });
                }
            }
            CompletableFuture.allOf(futures.stream().map(f -> f.handle((s, e) -> null)).toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
        } finally {
            cancellers.shutdown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.totals().inUse() == 0 && pool.totals().waiting() == 0);

        long cancelled = futures.stream().filter(CompletableFuture::isCancelled).count();
        long failed = futures.stream().filter(f -> f.isCompletedExceptionally() && !f.isCancelled()).count();
        Counts counts = pool.totals().snapshot();
        System.out.printf("cancellation storm: %d served, %d cancelled, %d connections given back by the pool "
                + "for cancelled futures, %s%n", served.get(), cancelled, counts.added() - served.get(), counts);
        assertThat(failed).as("no future failed other than by cancellation").isZero();
        assertThat(cancelled).as("cancellations happened").isPositive();
        assertThat(served.get() + cancelled).isEqualTo(futures.size());
        // Every connection handed out came back: to a served future's caller, or to the pool for a cancelled one.
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.totals().added() >= served.get());
        assertThat(pool.totals().added()).as("every hand-out given back, by the caller or by the pool")
                .isEqualTo(pool.totals().getHits() + pool.totals().created());
        assertThat(counts.created()).isLessThanOrEqualTo(2);
        assertThat(counts.inUse()).isZero();
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void shareAsyncCompletesWithTheShareOfTheSharerThatLeaves() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).maxSharersPerConnection(1)
                .maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(20)));
        SharedLease<Socket> held = pool.share(server.name()).orElseThrow();
        CompletableFuture<SharedLease<Socket>> future = pool.shareAsync(server.name());
        awaitWaiting(pool, 1);

        held.close();

        try (SharedLease<Socket> lease = future.get(10, TimeUnit.SECONDS)) {
            assertThat(lease.connection()).isSameAs(held.connection());
        }
    }

    @Test
    void aLeaseThatReachesACancelledShareFutureIsClosed() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).maxSharersPerConnection(1)
                .maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(20)));
        SharedLease<Socket> held = pool.share(server.name()).orElseThrow();
        CompletableFuture<SharedLease<Socket>> future = pool.shareAsync(server.name());
        awaitWaiting(pool, 1);
        future.cancel(true);
        held.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> pool.totals().activeShares() == 0 && pool.totals().waiting() == 0);
        assertThat(pool.share(server.name(), Duration.ofSeconds(5))).as("the connection is free again").isPresent();
    }

    @Test
    void theRepositoryRunsAsyncCallsOnTheExecutorItWasGivenOrOnItsOwnDaemonThreads() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        ExecutorService own = Executors.newCachedThreadPool();
        try (PoolRepository given = PoolRepository.builder().housekeepingPeriod(Duration.ZERO)
                .executor(task -> {
                    tasks.incrementAndGet();
                    own.execute(task);
                }).build()) {
            ConnectionPool<Socket> pool = given.pool("given", ConnectionAdapter.sockets(), PoolSettings.defaults(),
                    TcpConnectionFactory.create());
            pool.add(server.name(), pool.acquireAsync(server.name()).get(10, TimeUnit.SECONDS));
            assertThat(tasks).hasValue(1);
        } finally {
            own.shutdown();
        }

        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(20)));
        Socket held = pool.acquire(server.name());
        CompletableFuture<Socket> waiting = pool.acquireAsync(server.name());
        awaitWaiting(pool, 1);
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("pool-repos-async-"))
                .isNotEmpty().allMatch(Thread::isDaemon);
        pool.add(server.name(), held);
        pool.add(server.name(), waiting.get(10, TimeUnit.SECONDS));
    }

    @Test
    void closingThePoolFailsAWaitingFuture() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(20)));
        pool.acquire(server.name());
        CompletableFuture<Socket> future = pool.acquireAsync(server.name());
        awaitWaiting(pool, 1);

        repository.close();

        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(PoolClosedException.class);
        assertThatThrownBy(() -> pool.acquireAsync(server.name())).isInstanceOf(PoolClosedException.class);
    }

    private static void awaitWaiting(ConnectionPool<Socket> pool, int waiting) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.totals().waiting() >= waiting);
    }
}
