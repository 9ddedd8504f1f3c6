package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.poolrepos.testing.EchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every loan ends exactly once for the listeners, on real threads: through waits and hand-offs at the
 * open limit, give-backs that lose their place, discards, and two threads giving one connection back
 * at once (a misuse: one give-back wins, and only it ends the loan).
 */
class LoanEventsStressTest {

    private final EchoServer server = EchoServer.start();
    /** Housekeeping every 5 ms: the coarse clock ticks, as in an application. */
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(5)).build();
    private final AtomicLong loansEnded = new AtomicLong();
    private final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    private void listen() {
        repository.addListener(new PoolListener() {
            @Override
            public void loanEnded(ConnectionPool<?> pool, String name, long loanNanos) {
                loansEnded.incrementAndGet();
                if (loanNanos < 0) {
                    wrong.add("a loan of " + loanNanos + " ns");
                }
            }
        });
    }

    @Test
    void everyLoanOfManyThreadsAtTheOpenLimitEndsExactlyOnce() throws Exception {
        listen();
        ConnectionPool<Socket> pool = repository.pool("loans", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxOpenPerName(3).acquireTimeout(Duration.ofSeconds(30)).build(),
                TcpConnectionFactory.create());
        AtomicLong loans = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            threads.add(new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    for (int i = 0; i < 5_000; i++) {
                        Optional<Socket> idle = random.nextBoolean() ? pool.get(server.name()) : Optional.empty();
                        Socket socket = idle.isPresent() ? idle.get() : pool.acquire(server.name());
                        if (random.nextInt(64) == 0) {
                            EchoServer.roundTrip(socket, "x");
                        }
                        loans.incrementAndGet();
                        if (random.nextInt(16) == 0) {
                            pool.discard(server.name(), socket);
                        } else {
                            pool.add(server.name(), socket);
                        }
                    }
                } catch (Throwable ex) {
                    unexpected.add(ex);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(thread.isAlive()).as("a thread still running after 2 minutes").isFalse();
        }

        assertThat(unexpected).isEmpty();
        assertThat(wrong).isEmpty();
        assertThat(loans.get()).isEqualTo(30_000);
        assertThat(loansEnded.get()).isEqualTo(loans.get());
        assertThat(pool.totals().acquireTimeouts()).isZero();
    }

    @Test
    void aConnectionGivenBackByTwoThreadsAtOnceEndsItsLoanOnce() throws Exception {
        listen();
        ConnectionPool<Dummy> pool = repository.pool("double", Dummy.ADAPTER, PoolSettings.defaults());
        Dummy dummy = new Dummy();
        pool.add("n", dummy);
        int rounds = 20_000;
        CyclicBarrier taken = new CyclicBarrier(2, () -> {
            if (pool.get("n").orElse(null) != dummy) {
                wrong.add("get did not return the one connection");
            }
        });
        CyclicBarrier returned = new CyclicBarrier(2);
        AtomicInteger pooled = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        taken.await(30, TimeUnit.SECONDS);
                        try {
                            if (pool.add("n", dummy) == AddResult.POOLED) {
                                pooled.incrementAndGet();
                            }
                        } catch (ConnectionRejectedException expected) {
                            // the other thread's give-back won
                        }
                        returned.await(30, TimeUnit.SECONDS);
                    }
                } catch (Throwable ex) {
                    unexpected.add(ex);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }

        assertThat(unexpected).isEmpty();
        assertThat(wrong).isEmpty();
        assertThat(pooled.get()).isEqualTo(rounds);
        assertThat(loansEnded.get()).isEqualTo(rounds);
    }
}
