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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * maxOpenInPool: the open connections of all names together stay within it; a name that needs a
 * connection at the limit closes the oldest idle connection of another name, or waits and is woken
 * when any connection of the pool closes or becomes idle.
 */
class PoolOpenLimitTest {

    private final EchoServer a = EchoServer.start();
    private final EchoServer b = EchoServer.start();
    private final EchoServer c = EchoServer.start();
    private final ManualTicker ticker = new ManualTicker();
    private final List<PoolRepository> repositories = new ArrayList<>();

    @AfterEach
    void close() {
        repositories.forEach(PoolRepository::close);
        a.close();
        b.close();
        c.close();
    }

    private ConnectionPool<Socket> pool(PoolSettings.Builder settings) {
        PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
        repositories.add(repository);
        return repository.pool("capped", ConnectionAdapter.sockets(), settings.build(), TcpConnectionFactory.create());
    }

    @Test
    void atThePoolLimitANewConnectionClosesTheOldestIdleConnectionOfAnotherName() {
        PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).ticker(ticker).build();
        repositories.add(repository);
        ConnectionPool<Socket> pool = repository.pool("capped", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxOpenInPool(2).build(), TcpConnectionFactory.create());
        Socket older = pool.acquire(a.name());
        Socket newer = pool.acquire(b.name());
        pool.add(a.name(), older);
        ticker.advance(Duration.ofSeconds(1));
        pool.add(b.name(), newer);

        Socket third = pool.acquire(c.name());

        assertThat(older.isClosed()).as("the oldest idle connection made room").isTrue();
        assertThat(newer.isClosed()).isFalse();
        assertThat(EchoServer.roundTrip(third, "room")).isEqualTo("room");
        Counts counts = pool.totals().snapshot();
        assertThat(counts.evictedIdle()).isEqualTo(1);
        assertThat(counts.created()).isEqualTo(3);
        assertThat(counts.idle() + counts.inUse()).isEqualTo(2);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void acquireAtThePoolLimitWithNothingIdleTimesOutNamingThePoolLimit() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenInPool(2));
        pool.acquire(a.name());
        pool.acquire(b.name());

        assertThatThrownBy(() -> pool.acquire(c.name(), Duration.ofMillis(100)))
                .isInstanceOf(AcquireTimeoutException.class)
                .hasMessage("Pool 'capped', name '" + c.name() + "': acquire timed out after 100ms (idle=0, inUse=0, "
                        + "waiting=0, maxOpenInPool=2, openInPool=2). Give connections back sooner, raise "
                        + "maxOpenInPool or acquireTimeout.");
        assertThat(pool.totals().acquireTimeouts()).isEqualTo(1);
        assertThat(pool.totals().created()).isEqualTo(2);
    }

    @Test
    void aNameAtItsOwnLimitStillReportsItsOwnLimit() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenInPool(1).maxOpenPerName(1));
        pool.acquire(a.name());

        assertThatThrownBy(() -> pool.acquire(a.name(), Duration.ofMillis(50)))
                .hasMessageContaining("maxOpenPerName=1). Give connections back sooner, raise maxOpenPerName");
    }

    @Test
    void aCallerWaitingAtThePoolLimitIsWokenWhenAConnectionOfAnotherNameCloses() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenInPool(1).acquireTimeout(Duration.ofSeconds(20)));
        Socket held = pool.acquire(a.name());
        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(c.name()));
        awaitWaiting(pool, 1);

        pool.discard(a.name(), held);

        assertThat(EchoServer.roundTrip(waiter.get(10, TimeUnit.SECONDS), "woken")).isEqualTo("woken");
        assertThat(pool.totals().created()).isEqualTo(2);
    }

    @Test
    void aCallerWaitingAtThePoolLimitClosesAConnectionOfAnotherNameGivenBackIdleToMakeRoom() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenInPool(1).acquireTimeout(Duration.ofSeconds(20)));
        Socket held = pool.acquire(a.name());
        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(c.name()));
        awaitWaiting(pool, 1);

        pool.add(a.name(), held);

        assertThat(waiter.get(10, TimeUnit.SECONDS)).isNotSameAs(held);
        assertThat(held.isClosed()).as("closed to make room").isTrue();
        assertThat(pool.totals().evictedIdle()).isEqualTo(1);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void aShareAtThePoolLimitWaitsAndConnectsWhenAConnectionOfAnotherNameCloses() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).maxOpenInPool(1)
                .acquireTimeout(Duration.ofSeconds(20)));
        Socket held = pool.acquire(a.name());
        CompletableFuture<SharedLease<Socket>> waiter = CompletableFuture.supplyAsync(
                () -> pool.share(c.name()).orElseThrow());
        awaitWaiting(pool, 1);

        pool.discard(a.name(), held);

        try (SharedLease<Socket> lease = waiter.get(10, TimeUnit.SECONDS)) {
            assertThat(EchoServer.roundTrip(lease.connection(), "shared")).isEqualTo("shared");
        }
    }

    @Test
    void aNewConnectionAddedAtThePoolLimitIsClosedAsOverflow() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenInPool(1));
        pool.acquire(a.name());
        Socket fresh = b.connect();

        assertThat(pool.add(b.name(), fresh)).isEqualTo(AddResult.CLOSED_OVERFLOW);
        assertThat(fresh.isClosed()).isTrue();
        assertThat(pool.totals().overflowed()).isEqualTo(1);
    }

    @Test
    void atThePoolLimitTheWaiterLimitStillApplies() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenInPool(1).maxWaitersPerName(0));
        pool.acquire(a.name());

        assertThatThrownBy(() -> pool.acquire(c.name())).isInstanceOf(WaiterLimitExceededException.class);
    }

    @Test
    void underContentionTheOpenConnectionsNeverExceedThePoolLimitAndTheBooksBalance() throws Exception {
        int cap = 3;
        AtomicInteger live = new AtomicInteger();
        AtomicInteger highest = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        TcpConnectionFactory tcp = TcpConnectionFactory.create();
        ConnectionFactory<Socket> counting = name -> {
            Socket s = tcp.connect(name);
            opened.incrementAndGet();
            highest.accumulateAndGet(live.incrementAndGet(), Math::max);
            return s;
        };
        ConnectionAdapter<Socket> adapter = ConnectionAdapter.of(Socket.class, s -> !s.isClosed(), s -> {
            s.close();
            live.decrementAndGet();
        });
        PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
        repositories.add(repository);
        ConnectionPool<Socket> pool = repository.pool("capped", adapter, PoolSettings.builder().sharable(true)
                .maxOpenInPool(cap).maxSharersPerConnection(2).acquireTimeout(Duration.ofSeconds(30)).build(), counting);
        List<String> names = List.of(a.name(), b.name(), c.name());
        ConcurrentHashMap<Socket, Boolean> seen = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicLong operations = new AtomicLong();
        long total = 6_000;
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                highest.accumulateAndGet(live.get(), Math::max);
                Thread.onSpinWait();
            }
        }, "open-sampler");
        sampler.setDaemon(true);
        sampler.start();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (operations.incrementAndGet() <= total) {
                        String name = names.get(random.nextInt(names.size()));
                        int dice = random.nextInt(100);
                        if (dice < 25) {
                            try (SharedLease<Socket> lease = pool.share(name).orElseThrow()) {
                                seen.put(lease.connection(), Boolean.TRUE);
                            }
                        } else {
                            Socket s = pool.acquire(name);
                            seen.put(s, Boolean.TRUE);
                            if (dice < 35) {
                                pool.discard(name, s);
                            } else {
                                pool.add(name, s);
                            }
                        }
                    }
                } catch (Throwable ex) {
                    unexpected.add(ex);
                }
            }, "cap-stress-" + t);
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(120));
            assertThat(worker.isAlive()).as("a stress thread is stuck").isFalse();
        }
        running.set(false);
        sampler.join();

        assertThat(unexpected).as("unexpected exceptions").isEmpty();
        assertThat(highest.get()).as("open sockets at any moment").isLessThanOrEqualTo(cap);
        Counts counts = pool.totals().snapshot();
        System.out.printf("pool limit stress: %d sockets opened, at most %d open at once, %s%n", opened.get(),
                highest.get(), counts);
        assertThat(counts.evictedIdle()).as("room was made by closing idle connections of other names").isPositive();
        assertThat(counts.inUse()).isZero();
        assertThat(counts.waiting()).isZero();
        assertThat(counts.created()).as("every socket opened counted").isEqualTo(opened.get());
        BackendFaultTest.assertBooksBalance(pool);
        assertThat(live.get()).as("open sockets == idle in the pool").isEqualTo(counts.idle());
        assertThat(seen.keySet().stream().filter(s -> !s.isClosed()).count()).isEqualTo(counts.idle());
    }

    private static void awaitWaiting(ConnectionPool<Socket> pool, int waiting) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.totals().waiting() >= waiting);
    }
}
