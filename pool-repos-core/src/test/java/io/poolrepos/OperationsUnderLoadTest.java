package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.PoolOperations.SuspendMode;
import io.poolrepos.testing.EchoServer;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * Operators at work while real threads take and give back real sockets: an operator thread resizes
 * every limit up and down, soft-evicts names and the pool, suspends and resumes, all the time. No
 * socket is held by two, none soft-evicted before a take began is handed out by it, nothing is lost,
 * and once traffic stops the last limits hold exactly.
 */
class OperationsUnderLoadTest {

    private static final int THREADS = 6;
    private static final int OPERATIONS = 60_000;

    private final List<EchoServer> servers = List.of(EchoServer.start(), EchoServer.start(), EchoServer.start());
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
        servers.forEach(EchoServer::close);
    }

    @Test
    void resizeSuspendAndSoftEvictionUnderLoadNeverShareASocketNorLoseOneAndTheLastLimitsHold() throws Exception {
        ConnectionPool<Socket> pool = repository.pool("ops", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxOpenPerName(6).maxIdlePerName(6).maxIdleInPool(12)
                        .acquireTimeout(Duration.ofSeconds(60)).build(), TcpConnectionFactory.create());
        List<String> names = servers.stream().map(EchoServer::name).toList();
        ConcurrentHashMap<Socket, AtomicInteger> holders = new ConcurrentHashMap<>();
        // Socket -> number of the soft eviction of the whole pool that covered it (it existed before the call).
        ConcurrentHashMap<Socket, Integer> evictedBy = new ConcurrentHashMap<>();
        AtomicInteger evictionsDone = new AtomicInteger();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicLong operations = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long n;
                    while ((n = operations.incrementAndGet()) <= OPERATIONS) {
                        String name = names.get(random.nextInt(names.size()));
                        int evictionsBefore = evictionsDone.get();
                        Optional<Socket> taken = random.nextBoolean() ? Optional.of(pool.acquire(name)) : pool.get(name);
                        if (taken.isEmpty()) {
                            continue;
                        }
                        Socket s = taken.get();
                        AtomicInteger h = holders.computeIfAbsent(s, k -> new AtomicInteger());
                        if (h.incrementAndGet() != 1) {
                            violations.add("held by two: " + s);
                        }
                        if (s.isClosed()) {
                            violations.add("handed out closed: " + s);
                        }
                        Integer evicted = evictedBy.get(s);
                        if (evicted != null && evicted <= evictionsBefore) {
                            violations.add("handed out after soft eviction " + evicted + ": " + s);
                        }
                        if (n % 16 == 0 && !"x".equals(EchoServer.roundTrip(s, "x"))) {
                            violations.add("wrong reply on " + s);
                        }
                        h.decrementAndGet();
                        if (n % 50 == 0) {
                            pool.discard(name, s);
                        } else {
                            pool.add(name, s);
                        }
                    }
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }, "ops-worker-" + t);
            workers.add(worker);
            worker.start();
        }
        AtomicInteger resizes = new AtomicInteger();
        AtomicInteger suspensions = new AtomicInteger();
        Thread operator = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                while (operations.get() < OPERATIONS) {
                    int dice = random.nextInt(100);
                    if (dice < 70) {
                        int open = 1 + random.nextInt(6);
                        int idle = random.nextInt(open + 1);
                        int inPool = random.nextInt(13);
                        pool.operations().resize(c -> c.maxOpenPerName(open).maxIdlePerName(idle).maxIdleInPool(inPool));
                        resizes.incrementAndGet();
                    } else if (dice < 80) {
                        pool.operations().softEvict(names.get(random.nextInt(names.size())));
                    } else if (dice < 85) {
                        List<Socket> existing = new ArrayList<>(holders.keySet());
                        int number = evictionsDone.get() + 1;
                        pool.operations().softEvictAll();
                        existing.forEach(s -> evictedBy.putIfAbsent(s, number));
                        evictionsDone.set(number);
                    } else {
                        pool.operations().suspend(SuspendMode.WAIT);
                        suspensions.incrementAndGet();
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
        }, "ops-operator");
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
        assertThat(evictionsDone.get()).as("pool-wide soft evictions done under load").isPositive();
        assertThat(suspensions.get()).as("suspensions done under load").isPositive();
        assertThat(pool.totals().snapshot().getHits()).as("connections were reused between operations").isPositive();
        Counts totals = pool.totals().snapshot();
        System.out.printf("operations under load: %,d operations, %d resizes, %d pool-wide evictions, %d suspensions, %s%n",
                OPERATIONS, resizes.get(), evictionsDone.get(), suspensions.get(), totals);
        assertThat(totals.inUse()).isZero();
        BackendFaultTest.assertBooksBalance(pool);
        long open = holders.keySet().stream().filter(s -> !s.isClosed()).count();
        assertThat(open).as("open sockets == idle in the pool").isEqualTo(totals.idle());

        // With traffic stopped, a resize holds exactly.
        pool.operations().resize(c -> c.maxOpenPerName(2).maxIdlePerName(1).maxIdleInPool(2));
        for (String name : names) {
            pool.statistics(name).ifPresent(s -> assertThat(s.idle()).as("idle of %s", s.name()).isLessThanOrEqualTo(1));
        }
        assertThat(pool.totals().snapshot().idle()).isLessThanOrEqualTo(2);
        BackendFaultTest.assertBooksBalance(pool);
        assertThat(holders.keySet().stream().filter(s -> !s.isClosed()).count()).isEqualTo(pool.totals().snapshot().idle());

        // And raised again, the pool keeps what it may: no idle place was lost on the way.
        pool.operations().resize(c -> c.maxOpenPerName(6).maxIdlePerName(6).maxIdleInPool(12));
        pool.operations().softEvictAll();
        List<Socket> again = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            again.add(pool.acquire(names.get(0)));
        }
        for (Socket s : again) {
            assertThat(pool.add(names.get(0), s)).isEqualTo(AddResult.POOLED);
        }
        assertThat(pool.statistics(names.get(0)).orElseThrow().idle()).isEqualTo(6);
    }
}
