package io.poolrepos.spring.autoconfigure;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.poolrepos.AcquireTimeoutException;
import io.poolrepos.ConnectFailedException;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.SharedLease;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Observations of acquire, share and connect, through Micrometer's observation test support. */
class PoolReposObservationTests {

    private final EchoServer server = EchoServer.start();
    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolReposObservationAutoConfiguration.class,
                    PoolReposAutoConfiguration.class))
            .withBean(ObservationRegistry.class, () -> registry)
            .withPropertyValues("pool-repos.pools.orders.connect=tcp", "pool-repos.pools.orders.max-open-per-name=1",
                    "pool-repos.pools.quotes.connect=tcp", "pool-repos.pools.quotes.sharable=true");

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void acquireAndItsConnectAreObservedWithPoolOutcomeAndMaskedName() {
        runner.run(context -> {
            ConnectionPool<Socket> orders = (ConnectionPool<Socket>) context.getBean("ordersConnectionPool");
            String secretName = "user:secret@" + server.name();
            orders.add(server.name(), orders.acquire(server.name()));
            Socket held = orders.acquire(server.name(), Duration.ofMillis(50));
            assertThatThrownBy(() -> orders.acquire(server.name(), Duration.ofMillis(50)))
                    .isInstanceOf(AcquireTimeoutException.class);
            orders.add(server.name(), held);
            assertThatThrownBy(() -> orders.acquire(secretName)).isInstanceOf(ConnectFailedException.class);

            assertThat(registry).hasNumberOfObservationsWithNameEqualTo(ObservedConnectionPool.ACQUIRE, 4);
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedConnectionPool.ACQUIRE)
                    .hasContextualNameEqualTo("acquire").hasLowCardinalityKeyValue("pool", "orders")
                    .hasLowCardinalityKeyValue("outcome", "success")
                    .hasHighCardinalityKeyValue("name", server.name()));
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedConnectionPool.ACQUIRE)
                    .hasLowCardinalityKeyValue("outcome", "timeout").assertThatError()
                    .isInstanceOf(AcquireTimeoutException.class));
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedConnectionPool.ACQUIRE)
                    .hasLowCardinalityKeyValue("outcome", "failed")
                    .hasHighCardinalityKeyValue("name", "****@" + server.name()));
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedPools.CONNECT)
                    .hasContextualNameEqualTo("connect").hasLowCardinalityKeyValue("pool", "orders")
                    .hasLowCardinalityKeyValue("outcome", "success"));
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedPools.CONNECT)
                    .hasLowCardinalityKeyValue("outcome", "failure").hasHighCardinalityKeyValue("name",
                            "****@" + server.name()));
            assertThat(registry).hasNumberOfObservationsWithNameEqualTo(ObservedPools.CONNECT, 2);
            assertThat(context.getBean(PoolRepository.class).find("orders").orElseThrow())
                    .as("the repository keeps the pool itself; the bean observes it").isNotSameAs(orders);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void asyncAcquireIsObservedUntilItsFutureCompletesTimesOutOrIsCancelled() {
        runner.run(context -> {
            ConnectionPool<Socket> orders = (ConnectionPool<Socket>) context.getBean("ordersConnectionPool");
            Socket held = orders.acquireAsync(server.name()).get(10, java.util.concurrent.TimeUnit.SECONDS);
            java.util.concurrent.CompletableFuture<Socket> timingOut = orders.acquireAsync(server.name(),
                    Duration.ofMillis(50));
            assertThatThrownBy(() -> timingOut.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .cause().isInstanceOf(AcquireTimeoutException.class);
            java.util.concurrent.CompletableFuture<Socket> cancelled = orders.acquireAsync(server.name());
            cancelled.cancel(true);
            orders.add(server.name(), held);

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(ObservedConnectionPool.ACQUIRE, 3));
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedConnectionPool.ACQUIRE)
                    .hasLowCardinalityKeyValue("outcome", "success").hasLowCardinalityKeyValue("pool", "orders"));
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedConnectionPool.ACQUIRE)
                    .hasLowCardinalityKeyValue("outcome", "timeout").assertThatError()
                    .isInstanceOf(AcquireTimeoutException.class));
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedConnectionPool.ACQUIRE)
                    .hasLowCardinalityKeyValue("outcome", "cancelled"));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void shareIsObservedWithWhetherItSharedAConnection() {
        runner.withPropertyValues("pool-repos.pools.notes.sharable=true",
                "pool-repos.pools.quotes.max-sharers-per-connection=1", "pool-repos.pools.quotes.max-open-per-name=1")
                .run(context -> {
            ConnectionPool<Socket> quotes = (ConnectionPool<Socket>) context.getBean("quotesConnectionPool");
            ConnectionPool<Socket> notes = (ConnectionPool<Socket>) context.getBean("notesConnectionPool");
            assertThat(notes.share(server.name())).as("no factory: neither connects nor waits").isEmpty();
            try (SharedLease<Socket> lease = quotes.share(server.name()).orElseThrow()) {
                assertThat(lease.connection()).isNotNull();
                assertThatThrownBy(() -> quotes.share(server.name(), Duration.ofMillis(1)))
                        .isInstanceOf(AcquireTimeoutException.class);
            }
            quotes.shareAsync(server.name()).get(10, java.util.concurrent.TimeUnit.SECONDS).close();
            assertThat(registry).hasNumberOfObservationsWithNameEqualTo(ObservedConnectionPool.SHARE, 4);
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedConnectionPool.SHARE)
                    .hasContextualNameEqualTo("share").hasLowCardinalityKeyValue("outcome", "empty"));
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedConnectionPool.SHARE)
                    .hasLowCardinalityKeyValue("outcome", "shared").hasLowCardinalityKeyValue("pool", "quotes"));
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo(ObservedConnectionPool.SHARE)
                    .hasLowCardinalityKeyValue("outcome", "timeout").hasLowCardinalityKeyValue("pool", "quotes"));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void bootsUsualPropertyTurnsThemOff() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ApplicationContextRunner withBoot = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                        PoolReposObservationAutoConfiguration.class, PoolReposAutoConfiguration.class))
                .withBean(ObservationHandler.class, () -> new Recording(seen))
                // each run ends with a connection on loan: the context's close need not wait for it
                .withPropertyValues("pool-repos.pools.orders.connect=tcp", "pool-repos.shutdown-timeout=0s");
        withBoot.run(context -> {
            ((ConnectionPool<Socket>) context.getBean("ordersConnectionPool")).acquire(server.name());
            assertThat(seen).contains(ObservedConnectionPool.ACQUIRE, ObservedPools.CONNECT);
        });
        seen.clear();
        withBoot.withPropertyValues("management.observations.enable.pool.repos=false").run(context -> {
            ((ConnectionPool<Socket>) context.getBean("ordersConnectionPool")).acquire(server.name());
            assertThat(seen).isEmpty();
        });
    }

    @Test
    void withoutAnObservationRegistryThePoolBeansAreThePoolsThemselves() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
                PoolReposObservationAutoConfiguration.class, PoolReposAutoConfiguration.class))
                .withPropertyValues("pool-repos.pools.orders.connect=tcp")
                .run(context -> assertThat(context.getBean("ordersConnectionPool"))
                        .isSameAs(context.getBean(PoolRepository.class).find("orders").orElseThrow()));
    }

    /** Records the names of the observations it sees start. */
    private record Recording(List<String> seen) implements ObservationHandler<Observation.Context> {
        @Override
        public void onStart(Observation.Context context) {
            seen.add(context.getName());
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }
}
