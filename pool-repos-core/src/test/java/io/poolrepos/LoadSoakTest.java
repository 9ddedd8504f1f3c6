package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.testing.EchoServer;
import io.poolrepos.testing.ProcessResources;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak: many threads mix get / add / share / acquire / call over real loopback sockets
 * for {@code poolrepos.soak.seconds} (60 by default; longer with -Dpoolrepos.soak.seconds=600),
 * while another thread reads snapshots. Then: no unexpected exception, the books balance, heap after
 * GC is flat, and once everything is closed the process holds as many file descriptors as before.
 */
class LoadSoakTest {

    private static final long SECONDS = Long.getLong("poolrepos.soak.seconds", 60);
    private static final int THREADS = 12;

    @Test
    void hoursOfTrafficCompressedIntoAMinuteLeakNothing() throws Exception {
        int fdsBefore = ProcessResources.openFileDescriptors();
        List<String> fdListBefore = ProcessResources.describeFileDescriptors();
        long heapBefore = ProcessResources.heapAfterGc();
        AtomicLong operations = new AtomicLong();
        AtomicLong snapshots = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        long heapMidway;
        Counts totals;
        long evictions = 0;
        List<EchoServer> servers = List.of(EchoServer.start(), EchoServer.start());
        List<String> names = servers.stream().map(EchoServer::name).toList();
        PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(100)).build();
        try {
            ConnectionPool<Socket> exclusive = repository.pool("exclusive", ConnectionAdapter.sockets(),
                    PoolSettings.builder().maxIdlePerName(4).maxOpenPerName(6).idleTimeout(Duration.ofMillis(300))
                            .maxLifetime(Duration.ofSeconds(1)).acquireTimeout(Duration.ofSeconds(10)).build(),
                    TcpConnectionFactory.builder().soTimeout(Duration.ofSeconds(5)).build());
            ConnectionPool<Socket> sharable = repository.pool("sharable", ConnectionAdapter.sockets(),
                    PoolSettings.builder().sharable(true).maxIdlePerName(3).maxOpenPerName(3)
                            .maxSharersPerConnection(4).idleTimeout(Duration.ofMillis(300))
                            .maxLifetime(Duration.ofSeconds(1)).build(),
                    TcpConnectionFactory.create());
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(start("soak-" + t, () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (running.get()) {
                        String name = names.get(random.nextInt(names.size()));
                        int dice = random.nextInt(100);
                        if (dice < 30) {
                            exclusive.call(name, s -> EchoServer.roundTrip(s, "soak"));
                        } else if (dice < 60) {
                            exclusive.get(name).ifPresent(s -> exclusive.add(name, s));
                        } else if (dice < 75) {
                            Socket s = sharable.acquire(name);
                            sharable.add(name, s);
                        } else {
                            sharable.share(name).ifPresent(SharedLease::close);
                        }
                        operations.incrementAndGet();
                    }
                }, unexpected));
            }
            threads.add(start("soak-reader", () -> {
                while (running.get()) {
                    for (PoolSnapshot snapshot : repository.snapshot()) {
                        assertThat(snapshot.totals().inUse()).isNotNegative();
                    }
                    snapshots.incrementAndGet();
                    Thread.sleep(5);
                }
            }, unexpected));

            long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
            Thread.sleep(Duration.ofSeconds(SECONDS).toMillis() / 2);
            heapMidway = ProcessResources.heapAfterGc();
            while (System.nanoTime() < end && unexpected.isEmpty()) {
                Thread.sleep(100);
            }
            running.set(false);
            for (Thread thread : threads) {
                thread.join(30_000);
                assertThat(thread.isAlive()).as(thread.getName() + " stuck").isFalse();
            }
            assertThat(unexpected).isEmpty();
            for (ConnectionPool<?> pool : List.of(exclusive, sharable)) {
                BackendFaultTest.assertBooksBalance(pool);
                assertThat(pool.totals().inUse()).isZero();
                evictions += pool.totals().evictedIdle() + pool.totals().evictedLifetime();
            }
            totals = exclusive.totals().snapshot();
            long open = 0;
            for (ConnectionPool<?> pool : List.of(exclusive, sharable)) {
                open += pool.totals().idle() + pool.totals().inUse();
            }
            assertThat(((DefaultPoolRepository) repository).trackedCount())
                    .as("the repository's index holds exactly the open connections").isEqualTo(open);
        } finally {
            repository.close();
            servers.forEach(EchoServer::close);
        }
        long heapAfter = ProcessResources.heapAfterGc();
        ProcessResources.awaitFileDescriptorsBackTo(fdsBefore, fdListBefore);
        int fdsAfter = ProcessResources.openFileDescriptors();
        System.out.printf("soak: %d s, %,d operations, %,d snapshots, heap after GC %,d -> %,d (midway %,d) bytes, "
                + "fds %d -> %d, exclusive %s%n", SECONDS, operations.get(), snapshots.get(), heapBefore, heapAfter,
                heapMidway, fdsBefore, fdsAfter, totals);

        assertThat(operations.get()).isGreaterThan(SECONDS * 1_000);
        assertThat(heapAfter).as("heap after GC is flat").isLessThan(heapBefore + 16 * 1024 * 1024);
        assertThat(evictions).as("eviction ran during the soak").isPositive();
    }

    interface Body {
        void run() throws Exception;
    }

    private static Thread start(String name, Body body, ConcurrentLinkedQueue<Throwable> unexpected) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                unexpected.add(e);
            }
        }, name);
        thread.start();
        return thread;
    }
}
