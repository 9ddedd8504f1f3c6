package io.poolrepos;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.testing.EchoServer;
import io.poolrepos.testing.ProcessResources;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Closing the repository while eight threads use it: nothing but {@link PoolClosedException}
 * reaches the callers, every socket ends closed (later adds close theirs), and the file descriptors
 * return to where they were.
 */
class ShutdownUnderLoadTest {

    @Test
    void closingUnderLoadClosesEverySocketAndThrowsNothingElse() throws Exception {
        int fdsBefore = ProcessResources.openFileDescriptors();
        List<String> fdListBefore = ProcessResources.describeFileDescriptors();
        EchoServer server = EchoServer.start();
        PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(10)).build();
        ConnectionPool<Socket> pool = repository.pool("shutdown", ConnectionAdapter.sockets(),
                PoolSettings.builder().sharable(true).maxOpenPerName(8).build(), TcpConnectionFactory.create());
        Set<Socket> seen = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicLong closedSeen = new AtomicLong();
        AtomicLong operations = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                    try {
                        if (random.nextBoolean()) {
                            Socket s = pool.acquire(server.name());
                            seen.add(s);
                            Thread.onSpinWait();
                            pool.add(server.name(), s);
                        } else {
                            pool.share(server.name()).ifPresent(SharedLease::close);
                        }
                        operations.incrementAndGet();
                    } catch (PoolClosedException expected) {
                        closedSeen.incrementAndGet();
                        return;
                    } catch (Throwable e) {
                        unexpected.add(e);
                        return;
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> operations.get() > 20_000);

        repository.close();
        for (Thread thread : threads) {
            thread.join(10_000);
        }

        assertThat(unexpected).isEmpty();
        assertThat(closedSeen.get()).isEqualTo(8);
        assertThat(seen).isNotEmpty().allMatch(Socket::isClosed);
        assertThat(pool.totals().idle()).isZero();
        BackendFaultTest.assertBooksBalance(pool);
        server.close();
        ProcessResources.awaitFileDescriptorsBackTo(fdsBefore, fdListBefore);
    }
}
