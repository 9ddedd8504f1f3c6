package io.poolrepos.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolClosedException;
import io.poolrepos.PoolRepository;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the Spring context while threads use its pools: callers see only {@link PoolClosedException},
 * every socket ends closed, and shutdown itself throws nothing.
 */
class ContextShutdownUnderLoadTests {

    @Test
    void closingTheContextUnderLoadClosesEverySocket() throws Exception {
        try (EchoServer server = EchoServer.start()) {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(PoolReposTestApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties("pool-repos.pools.orders.connect=tcp", "pool-repos.pools.orders.max-open-per-name=8")
                    .run();
            @SuppressWarnings("unchecked")
            ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
            Set<Socket> seen = ConcurrentHashMap.newKeySet();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            AtomicLong operations = new AtomicLong();
            AtomicLong stopped = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        while (true) {
                            Socket s = orders.acquire(server.name());
                            seen.add(s);
                            orders.add(server.name(), s);
                            operations.incrementAndGet();
                        }
                    } catch (PoolClosedException expected) {
                        stopped.incrementAndGet();
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            while (operations.get() < 5_000) {
                Thread.sleep(5);
            }

            context.close();
            for (Thread thread : threads) {
                thread.join(10_000);
            }

            assertThat(unexpected).isEmpty();
            assertThat(stopped.get()).isEqualTo(6);
            assertThat(seen).isNotEmpty().allMatch(Socket::isClosed);
        }
    }
}
