package io.poolrepos.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.poolrepos.ConnectionPool;
import io.poolrepos.Counts;
import io.poolrepos.SharedLease;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Traffic on real sockets while another thread reads the actuator endpoint and health over HTTP for
 * {@code starter.web-soak.seconds} (15 by default): every read answers 200 with figures that add up,
 * and afterwards the endpoint's totals match the pool's own and the books balance.
 */
@SpringBootTest(classes = PoolReposTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=poolrepos,health",
            "management.endpoint.health.show-details=always", "pool-repos.housekeeping-period=100ms",
            "pool-repos.pools.exclusive.connect=tcp", "pool-repos.pools.exclusive.max-open-per-name=6",
            "pool-repos.pools.exclusive.max-idle-per-name=4", "pool-repos.pools.exclusive.idle-timeout=300ms",
            "pool-repos.pools.shared.connect=tcp", "pool-repos.pools.shared.sharable=true",
            "pool-repos.pools.shared.max-open-per-name=2", "pool-repos.pools.shared.max-sharers-per-connection=4"})
class ActuatorUnderLoadWebTests extends WebTestSupport {

    private static final long SECONDS = Long.getLong("starter.web-soak.seconds", 15);

    @Autowired
    @Qualifier("exclusive")
    private ConnectionPool<Socket> exclusive;

    @Autowired
    @Qualifier("shared")
    private ConnectionPool<Socket> shared;

    @Test
    void endpointReadsDuringTrafficAddUpAndMatchThePool() throws Exception {
        String name = server.name();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong operations = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            threads.add(start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (running.get()) {
                    if (random.nextBoolean()) {
                        exclusive.call(name, s -> EchoServer.roundTrip(s, "load"));
                    } else {
                        Socket s = shared.acquire(name);
                        shared.add(name, s);
                        shared.share(name).ifPresent(SharedLease::close);
                    }
                    operations.incrementAndGet();
                }
            }, unexpected));
        }
        threads.add(start(() -> {
            while (running.get()) {
                DocumentContext pool = http.json("/actuator/poolrepos/exclusive");
                int idle = pool.read("$.totals.idle");
                int inUse = pool.read("$.totals.inUse");
                assertThat(idle).isBetween(0, 4);
                assertThat(inUse).isNotNegative();
                HttpResponse<String> health = http.call("GET", "/actuator/health");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                http.json("/actuator/poolrepos");
                reads.incrementAndGet();
            }
        }, unexpected));

        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end && unexpected.isEmpty()) {
            Thread.sleep(50);
        }
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        assertThat(unexpected).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(operations.get()).isGreaterThan(SECONDS * 100);
        for (ConnectionPool<Socket> pool : List.of(exclusive, shared)) {
            Counts own = pool.statistics(name).orElseThrow().snapshot();
            DocumentContext row = JsonPath.parse(http.call("GET", "/actuator/poolrepos/" + pool.poolName() + "/" + name)
                    .body());
            assertThat(row.<Integer>read("$.inUse")).isZero().isEqualTo(own.inUse());
            assertThat(row.<Integer>read("$.idle")).isEqualTo(own.idle());
            assertThat(((Number) row.read("$.created")).longValue()).isEqualTo(own.created());
            assertThat(((Number) row.read("$.getHits")).longValue()).isEqualTo(own.getHits());
            assertThat(own.adopted() + own.created()).as("books of %s: %s", pool.poolName(), own)
                    .isEqualTo(own.idle() + own.inUse() + own.closedDead() + own.evictedIdle() + own.evictedLifetime()
                            + own.overflowed() + own.discarded());
        }
        System.out.printf("web soak: %d s, %,d operations, %,d endpoint+health reads%n", SECONDS, operations.get(),
                reads.get());
    }

    interface Body {
        void run() throws Exception;
    }

    private static Thread start(Body body, ConcurrentLinkedQueue<Throwable> unexpected) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                unexpected.add(e);
            }
        });
        thread.start();
        return thread;
    }
}
