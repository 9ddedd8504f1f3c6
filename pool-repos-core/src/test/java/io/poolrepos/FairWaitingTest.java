package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Callers waiting in {@code acquire} at the open limit are served first come, first served: what
 * comes free goes to the longest waiter, and a caller that arrives later cannot take it first.
 */
class FairWaitingTest {

    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
    }

    private ConnectionPool<Dummy> pool(int maxOpen, Duration acquireTimeout, int maxWaiters) {
        return repository.pool("fair", Dummy.ADAPTER, PoolSettings.builder().maxOpenPerName(maxOpen)
                .acquireTimeout(acquireTimeout).maxWaitersPerName(maxWaiters).build(), name -> new Dummy());
    }

    @Test
    void aConnectionGivenBackGoesToTheWaiterNotToACallerThatComesAfterIt() throws Exception {
        ConnectionPool<Dummy> pool = pool(1, Duration.ofSeconds(10), 16);
        Dummy only = pool.acquire("n");
        List<Dummy> got = new CopyOnWriteArrayList<>();
        Thread waiter = waiting(pool, got);

        pool.add("n", only);
        // This thread comes after the waiter; a pool that made the connection idle and then woke the
        // waiter would let this thread take it first.
        assertThatThrownBy(() -> pool.acquire("n", Duration.ofMillis(50))).isInstanceOf(AcquireTimeoutException.class);
        waiter.join(5_000);
        assertThat(got).containsExactly(only);
        assertThat(pool.totals().getHits()).isEqualTo(1);
        assertThat(pool.totals().added()).as("the give-back counts as an add").isEqualTo(1);
    }

    @Test
    void waitersAreServedInTheOrderTheyCame() throws Exception {
        ConnectionPool<Dummy> pool = pool(1, Duration.ofSeconds(10), 16);
        Dummy only = pool.acquire("n");
        List<Integer> served = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                Dummy d = pool.acquire("n");
                served.add(id);
                pool.add("n", d);
            });
            t.start();
            waiters.add(t);
            // The next one starts only once this one waits: their order of arrival is 0, 1, 2, ...
            awaitWaiting(pool, id + 1);
        }
        pool.add("n", only);
        for (Thread t : waiters) {
            t.join(5_000);
        }
        assertThat(served).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void roomFreedBelowTheLimitGoesToTheWaiter() throws Exception {
        ConnectionPool<Dummy> pool = pool(1, Duration.ofSeconds(10), 16);
        Dummy only = pool.acquire("n");
        List<Dummy> got = new CopyOnWriteArrayList<>();
        Thread waiter = waiting(pool, got);

        pool.discard("n", only); // frees the room: the waiter, not this thread, may connect
        assertThatThrownBy(() -> pool.acquire("n", Duration.ofMillis(50))).isInstanceOf(AcquireTimeoutException.class);
        waiter.join(5_000);
        assertThat(got).hasSize(1).doesNotContain(only);
        assertThat(pool.totals().created()).isEqualTo(2);
    }

    @Test
    void aWaiterThatTimesOutLeavesTheLineAndTheNextOneIsServed() throws Exception {
        ConnectionPool<Dummy> pool = pool(1, Duration.ofSeconds(10), 16);
        Dummy only = pool.acquire("n");
        Thread impatient = new Thread(() -> assertThatThrownBy(() -> pool.acquire("n", Duration.ofSeconds(1)))
                .isInstanceOf(AcquireTimeoutException.class));
        impatient.start();
        awaitWaiting(pool, 1);
        List<Dummy> got = new CopyOnWriteArrayList<>();
        Thread patient = new Thread(() -> got.add(pool.acquire("n")));
        patient.start();
        impatient.join(5_000);
        awaitWaiting(pool, 1);

        pool.add("n", only);
        patient.join(5_000);
        assertThat(got).containsExactly(only);
    }

    /**
     * A connection handed to a waiter whose deadline has passed meanwhile is the waiter's: the room
     * looks at what it was handed before at the clock, so the connection is neither lost (claimed for
     * a caller that gave up) nor turned into a timeout. The waiter is parked before the manual clock
     * passes its deadline and the connection comes back; only then does it wake.
     */
    @Test
    void aWaiterHandedAConnectionAfterItsDeadlinePassedTakesItInsteadOfTimingOut() throws Exception {
        ManualTicker clock = new ManualTicker();
        try (PoolRepository timed = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).ticker(clock).build()) {
            ConnectionPool<Dummy> pool = timed.pool("fair", Dummy.ADAPTER, PoolSettings.builder().maxOpenPerName(1)
                    .acquireTimeout(Duration.ofSeconds(1)).build(), name -> new Dummy());
            Dummy only = pool.acquire("n");
            List<Dummy> got = new CopyOnWriteArrayList<>();
            List<Throwable> failed = new CopyOnWriteArrayList<>();
            Thread waiter = new Thread(() -> {
                try {
                    got.add(pool.acquire("n"));
                } catch (RuntimeException ex) {
                    failed.add(ex);
                }
            });
            waiter.start();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2))
                    .until(() -> waiter.getState() == Thread.State.TIMED_WAITING);

            clock.advance(Duration.ofSeconds(2));
            pool.add("n", only);
            waiter.join(5_000);

            assertThat(failed).isEmpty();
            assertThat(got).containsExactly(only);
            assertThat(pool.totals().acquireTimeouts()).isZero();
            assertThat(pool.totals().inUse()).isEqualTo(1);
            pool.add("n", only);
            BackendFaultTest.assertBooksBalance(pool);
        }
    }

    /**
     * 64 platform threads on 4 connections for 2 s, each holding its connection a few microseconds,
     * now and then discarding it (so that room is granted) or taking one with {@code get}. Asserted: no
     * connection is held by two callers at once, the books balance, no acquire times out (2 s timeout) and the longest wait stays under 1 s. In line, the
     * longest wait is about 16 hold times (64 callers / 4 connections), well under a millisecond; the
     * bound leaves three orders of magnitude for a 2-core machine that deschedules threads, and still
     * fails when a waiter is overtaken for as long as the load lasts (it then waits out its timeout).
     */
    @Test
    void underOversubscriptionNoWaiterWaitsMuchLongerThanTheOthers() throws Exception {
        ConnectionPool<Dummy> pool = pool(4, Duration.ofSeconds(2), 256);
        Result r = run(pool, 64, Duration.ofSeconds(2), Executors::newCachedThreadPool, false);
        System.out.printf("fair waiting, 64 platform threads on 4 connections: %s%n", r);
        assertThat(r.timeouts).isZero();
        assertThat(r.maxWaitNanos).isLessThan(TimeUnit.SECONDS.toNanos(1));
        BackendFaultTest.assertBooksBalance(pool);
    }

    /**
     * Where the JDK has virtual threads (run the tests on JDK 21 or later): 2,000 virtual threads on 32
     * connections for 3 s with a 2 s acquire timeout, each holding its connection 0.2 to 1 ms parked
     * (as a request to a backend would), so that connections come back some 50,000 times a second
     * and nearly every caller waits. Asserted: no timeout, no connection held twice, books balanced.
     */
    @Test
    void twoThousandVirtualThreadsOnThirtyTwoConnectionsDoNotTimeOut() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21 or later");
        ConnectionPool<Dummy> pool = pool(32, Duration.ofSeconds(2), 4_096);
        Result r = run(pool, 2_000, Duration.ofSeconds(3), FairWaitingTest::virtualThreads, true);
        System.out.printf("fair waiting, 2,000 virtual threads on 32 connections: %s%n", r);
        assertThat(r.timeouts).isZero();
        BackendFaultTest.assertBooksBalance(pool);
    }

    /** A thread that acquires a connection of "n" into {@code got}, started and waiting. */
    private static Thread waiting(ConnectionPool<Dummy> pool, List<Dummy> got) {
        Thread waiter = new Thread(() -> got.add(pool.acquire("n")));
        waiter.start();
        awaitWaiting(pool, 1);
        return waiter;
    }

    /** Waits until {@code count} callers wait on name "n", looking often: some waits are short. */
    private static void awaitWaiting(ConnectionPool<Dummy> pool, int count) {
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .until(() -> pool.statistics("n").orElseThrow().waiting() == count);
    }

    private static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    record Result(long acquires, long timeouts, long maxWaitNanos, long meanWaitNanos) {
        @Override
        public String toString() {
            return String.format("%,d acquires, %d timeouts, longest wait %.1f ms, mean %.3f ms", acquires, timeouts,
                    maxWaitNanos / 1e6, meanWaitNanos / 1e6);
        }
    }

    /**
     * Runs {@code threads} callers for {@code duration}; each holds what it took for a few microseconds
     * spinning, or, with {@code park}, for 0.2 to 1 ms parked (a virtual thread then leaves its carrier).
     */
    private static Result run(ConnectionPool<Dummy> pool, int threads, Duration duration,
            java.util.function.Supplier<ExecutorService> executors, boolean park) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong acquires = new AtomicLong();
        AtomicLong timeouts = new AtomicLong();
        AtomicLong maxWait = new AtomicLong();
        AtomicLong totalWait = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        java.util.concurrent.ConcurrentHashMap<Dummy, AtomicLong> holders = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService executor = executors.get();
        for (int t = 0; t < threads; t++) {
            executor.execute(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (running.get()) {
                    long start = System.nanoTime();
                    Dummy d;
                    try {
                        // Mostly acquire; now and then a get, which does not wait (and may take an
                        // idle connection ahead of the line: it is not a waiter).
                        d = random.nextInt(20) == 0 ? pool.get("n").orElse(null) : pool.acquire("n");
                        if (d == null) {
                            continue;
                        }
                    } catch (AcquireTimeoutException ex) {
                        timeouts.incrementAndGet();
                        continue;
                    } catch (RuntimeException ex) {
                        if (!pool.isClosed()) {
                            unexpected.add(ex);
                        }
                        return;
                    }
                    long waited = System.nanoTime() - start;
                    maxWait.accumulateAndGet(waited, Math::max);
                    totalWait.addAndGet(waited);
                    acquires.incrementAndGet();
                    if (holders.computeIfAbsent(d, k -> new AtomicLong()).incrementAndGet() != 1) {
                        unexpected.add(new AssertionError("a connection held by two callers at once"));
                    }
                    if (park) {
                        java.util.concurrent.locks.LockSupport.parkNanos(random.nextLong(200_000, 1_000_000));
                    } else {
                        long until = System.nanoTime() + random.nextLong(1_000, 10_000);
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                    }
                    holders.get(d).decrementAndGet();
                    if (random.nextInt(50) == 0) {
                        pool.discard("n", d); // frees room: granted to the longest waiter
                    } else {
                        pool.add("n", d);
                    }
                }
            });
        }
        Thread.sleep(duration.toMillis());
        running.set(false);
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).as("every caller finished").isTrue();
        assertThat(unexpected).isEmpty();
        long n = Math.max(1, acquires.get());
        return new Result(acquires.get(), timeouts.get(), maxWait.get(), totalWait.get() / n);
    }
}
