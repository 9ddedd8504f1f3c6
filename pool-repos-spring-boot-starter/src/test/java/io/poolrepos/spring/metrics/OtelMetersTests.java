package io.poolrepos.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.poolrepos.AcquireTimeoutException;
import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.SharedLease;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meters of OpenTelemetry's database client connection-pool conventions follow real pools holding
 * real sockets, read the same figures as ours, and keep the same cap on names.
 */
class OtelMetersTests {

    private final EchoServer server = EchoServer.start();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(20))
            .build();
    private final ConnectionPool<Socket> orders = repository.pool("orders", ConnectionAdapter.sockets(),
            PoolSettings.builder().maxOpenPerName(2).maxIdlePerName(2).acquireTimeout(Duration.ofMillis(100)).build(),
            TcpConnectionFactory.create());

    @AfterEach
    void close() {
        repository.close();
        server.close();
        registry.close();
    }

    @Test
    void connectionCountsByStateShouldAgreeWithOurGaugesAndLimitsShouldBeThePoolsSettings() {
        new PoolReposMetrics(repository, 100, SemanticConventions.BOTH).bindTo(registry);
        orders.add(server.name(), server.connect());
        orders.add(server.name(), server.connect());

        Socket held = orders.get(server.name()).orElseThrow();

        assertThat(count("idle")).isEqualTo(1).isEqualTo(ours("pool.repos.connections.idle"));
        assertThat(count("used")).isEqualTo(1).isEqualTo(ours("pool.repos.connections.in.use"));
        assertThat(otel("db.client.connection.max")).isEqualTo(2);
        assertThat(otel("db.client.connection.idle.max")).isEqualTo(2);
        assertThat(registry.find("db.client.connection.idle.min").meters()).as("a minimum is kept for warmed names only").isEmpty();
        orders.add(server.name(), held);
        assertThat(count("idle")).isEqualTo(2);
        assertThat(count("used")).isZero();
    }

    @Test
    void limitGaugesShouldFollowAResizeOfThePool() {
        new PoolReposMetrics(repository, 100, SemanticConventions.OTEL).bindTo(registry);
        orders.add(server.name(), server.connect());

        orders.operations().resize(limits -> limits.maxOpenPerName(5).maxIdlePerName(3));

        assertThat(otel("db.client.connection.max")).isEqualTo(5);
        assertThat(otel("db.client.connection.idle.max")).isEqualTo(3);
    }

    @Test
    void aSharedConnectionCountsAsUsedNotIdle() {
        ConnectionPool<Socket> quotes = repository.pool("quotes", ConnectionAdapter.sockets(),
                PoolSettings.builder().sharable(true).build(), TcpConnectionFactory.create());
        new PoolReposMetrics(repository, 100, SemanticConventions.OTEL).bindTo(registry);
        quotes.add(server.name(), server.connect());
        quotes.add(server.name(), server.connect());

        try (SharedLease<Socket> lease = quotes.share(server.name()).orElseThrow()) {
            assertThat(lease.connection()).isNotNull();
            assertThat(registry.get("db.client.connection.count")
                    .tags("db.client.connection.pool.name", "quotes", "db.client.connection.state", "used").gauge()
                    .value()).isEqualTo(1);
            assertThat(registry.get("db.client.connection.count")
                    .tags("db.client.connection.pool.name", "quotes", "db.client.connection.state", "idle").gauge()
                    .value()).isEqualTo(1);
        }
        assertThat(registry.find("db.client.connection.max").tag("db.client.connection.pool.name", "quotes").meters())
                .as("no open limit, no max").isEmpty();
    }

    @Test
    void waitCreateAndUseTimesShouldBeRecordedForWhatTheyTimeAndTimeoutsCounted() {
        new PoolReposMetrics(repository, 100, SemanticConventions.OTEL).bindTo(registry);

        Socket first = orders.acquire(server.name());                 // created: one wait, one create
        Socket second = orders.acquire(server.name());                // created
        assertThatThrownBy(() -> orders.acquire(server.name())).isInstanceOf(AcquireTimeoutException.class);
        orders.add(server.name(), first);                             // a loan ends
        Socket again = orders.acquire(server.name());                 // idle: a wait, no create
        orders.discard(server.name(), again);                         // a loan ends
        orders.add(server.name(), second);                            // a loan ends

        assertThat(timer("db.client.connection.wait_time").count()).as("timeouts obtained nothing").isEqualTo(3);
        assertThat(timer("db.client.connection.create_time").count()).isEqualTo(2);
        assertThat(timer("db.client.connection.create_time").totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(timer("db.client.connection.use_time").count()).isEqualTo(3);
        assertThat(registry.get("db.client.connection.timeouts").tags(otelTags()).functionCounter().count())
                .isEqualTo(1);
    }

    @Test
    void pendingRequestsShouldCountCallersWaitingInAcquire() throws Exception {
        ConnectionPool<Socket> slow = repository.pool("slow", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(30)).build(),
                TcpConnectionFactory.create());
        new PoolReposMetrics(repository, 100, SemanticConventions.OTEL).bindTo(registry);
        Socket held = slow.acquire(server.name());
        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> slow.acquire(server.name()));

        await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("db.client.connection.pending_requests")
                .tags("db.client.connection.pool.name", "slow", "pool.repos.name", server.name()).gauge().value() == 1);

        slow.add(server.name(), held);
        slow.add(server.name(), waiter.get(10, TimeUnit.SECONDS));
        assertThat(registry.get("db.client.connection.pending_requests")
                .tags("db.client.connection.pool.name", "slow", "pool.repos.name", server.name()).gauge().value())
                .isZero();
    }

    @Test
    void otelAloneShouldKeepNoneOfOurMetersAndOursAloneNoneOfTheirs() {
        new PoolReposMetrics(repository, 100, SemanticConventions.OTEL).bindTo(registry);
        SimpleMeterRegistry ours = new SimpleMeterRegistry();
        new PoolReposMetrics(repository, 100).bindTo(ours);
        orders.add(server.name(), orders.acquire(server.name()));

        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).isNotEmpty()
                .allMatch(name -> name.startsWith("db.client.connection."));
        assertThat(ours.getMeters()).extracting(m -> m.getId().getName()).isNotEmpty()
                .allMatch(name -> name.startsWith("pool.repos."));
        ours.close();
    }

    @Test
    void namesBeyondTheCapShouldBeSummedIntoOtherAndNamesWithUserInfoMasked() {
        new PoolReposMetrics(repository, 1, SemanticConventions.OTEL).bindTo(registry);
        orders.add("bob:pw@a.example:1", server.connect());
        orders.add("b.example:1", server.connect());
        orders.add("c.example:1", server.connect());

        assertThat(registry.find("db.client.connection.count").tag("db.client.connection.state", "idle").gauges())
                .extracting(g -> g.getId().getTag("pool.repos.name"))
                .containsExactlyInAnyOrder("****@a.example:1", "other");
        assertThat(registry.get("db.client.connection.count")
                .tags("pool.repos.name", "other", "db.client.connection.state", "idle").gauge().value()).isEqualTo(2);
        assertThat(registry.get("db.client.connection.max").tags("pool.repos.name", "other").gauge().value())
                .as("the limit of each folded name, summed").isEqualTo(4);
        assertThat(registry.getMeters()).extracting(Meter::getId)
                .noneMatch(id -> id.getTags().stream().anyMatch(t -> t.getValue().contains("bob")));
    }

    @Test
    void metersOfANameShouldGoWhenThePoolRemovesTheName() {
        new PoolReposMetrics(repository, 100, SemanticConventions.OTEL).bindTo(registry);
        orders.add(server.name(), orders.acquire(server.name()));
        assertThat(registry.find("db.client.connection.use_time").tags(otelTags()).timer()).isNotNull();

        orders.drain(server.name());

        await().atMost(Duration.ofSeconds(5)).until(() -> registry.getMeters().isEmpty());
    }

    private String[] otelTags() {
        return new String[] {"db.client.connection.pool.name", "orders", "pool.repos.name", server.name()};
    }

    private double count(String state) {
        return registry.get("db.client.connection.count").tags(otelTags()).tag("db.client.connection.state", state)
                .gauge().value();
    }

    private double otel(String name) {
        return registry.get(name).tags(otelTags()).gauge().value();
    }

    private double ours(String name) {
        return registry.get(name).tags("pool", "orders", "name", server.name()).gauge().value();
    }

    private Timer timer(String name) {
        return registry.get(name).tags(otelTags()).timer();
    }
}
