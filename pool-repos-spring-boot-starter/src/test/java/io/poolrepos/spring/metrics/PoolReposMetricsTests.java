package io.poolrepos.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.poolrepos.ConnectFailedException;
import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.Counter;
import io.poolrepos.NameStatistics;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Meters follow the names of real pools holding real sockets, in a real (simple) registry. */
class PoolReposMetricsTests {

    private final EchoServer server = EchoServer.start();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Housekeeping every 20 ms removes empty names, so that tests see names go. */
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(20))
            .build();
    private final ConnectionPool<Socket> orders = repository.pool("orders", ConnectionAdapter.sockets(),
            PoolSettings.defaults(), TcpConnectionFactory.create());

    @AfterEach
    void close() {
        repository.close();
        server.close();
        registry.close();
    }

    @Test
    void everyCounterOfTheCoreHasExactlyOneMeter() {
        assertThat(MeterSpec.ALL.stream().filter(spec -> !spec.gauge()).map(MeterSpec::counter))
                .containsExactlyInAnyOrder(Counter.values());
    }

    @Test
    void bindShouldPickUpNamesThatExistAlreadyWithTheirFigures() {
        orders.add(server.name(), server.connect());
        orders.add(server.name(), server.connect());

        new PoolReposMetrics(repository, 100).bindTo(registry);

        assertThat(gauge("pool.repos.connections.idle", server.name()).value()).isEqualTo(2);
        assertThat(counter("pool.repos.connections.adopted", server.name()).count()).isEqualTo(2);
        assertThat(registry.get("pool.repos.names").tag("pool", "orders").gauge().value()).isEqualTo(1);
    }

    @Test
    void metersShouldFollowTheFiguresAsConnectionsAreTakenAndGivenBack() {
        new PoolReposMetrics(repository, 100).bindTo(registry);
        Socket socket = server.connect();
        orders.add(server.name(), socket);

        orders.get(server.name());
        orders.get(server.name());

        assertThat(gauge("pool.repos.connections.idle", server.name()).value()).isZero();
        assertThat(gauge("pool.repos.connections.in.use", server.name()).value()).isEqualTo(1);
        assertThat(registry.get("pool.repos.gets").tags("name", server.name(), "result", "hit").functionCounter()
                .count()).isEqualTo(1);
        assertThat(registry.get("pool.repos.gets").tags("name", server.name(), "result", "miss").functionCounter()
                .count()).isEqualTo(1);
        orders.add(server.name(), socket);
        assertThat(counter("pool.repos.connections.added", server.name()).count()).as("first add and give-back")
                .isEqualTo(2);
        assertThat(counter("pool.repos.connections.adopted", server.name()).count()).isEqualTo(1);
    }

    @Test
    void metersOfANameShouldBeRemovedWhenThePoolRemovesTheName() {
        new PoolReposMetrics(repository, 100).bindTo(registry);
        orders.add(server.name(), server.connect());
        assertThat(registry.find("pool.repos.connections.idle").tag("name", server.name()).gauge()).isNotNull();

        orders.discard(server.name(), orders.get(server.name()).orElseThrow());

        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("pool.repos.connections.idle")
                .tag("name", server.name()).meters().isEmpty());
        assertThat(registry.getMeters()).extracting(Meter::getId)
                .noneMatch(id -> server.name().equals(id.getTag("name")));
    }

    @Test
    void aNameThatComesBackShouldGetFreshMetersThatReadTheNewFigures() {
        new PoolReposMetrics(repository, 100).bindTo(registry);
        orders.add(server.name(), server.connect());
        orders.discard(server.name(), orders.get(server.name()).orElseThrow());
        await().atMost(Duration.ofSeconds(5)).until(() -> orders.statistics(server.name()).isEmpty());

        orders.add(server.name(), server.connect());

        assertThat(gauge("pool.repos.connections.idle", server.name()).value()).isEqualTo(1);
        assertThat(counter("pool.repos.connections.discarded", server.name()).count()).isZero();
    }

    @Test
    void namesBeyondTheCapShouldBeSummedIntoOtherAndStayCounted() {
        new PoolReposMetrics(repository, 1).bindTo(registry);
        orders.add("a.example:1", server.connect());
        orders.add("b.example:1", server.connect());
        orders.add("c.example:1", server.connect());
        orders.add("c.example:1", server.connect());

        assertThat(gauge("pool.repos.connections.idle", "a.example:1").value()).isEqualTo(1);
        assertThat(registry.find("pool.repos.connections.idle").tag("name", "b.example:1").gauge()).isNull();
        assertThat(gauge("pool.repos.connections.idle", "other").value()).isEqualTo(3);
        assertThat(counter("pool.repos.connections.adopted", "other").count()).isEqualTo(3);

        orders.drain("b.example:1");
        await().atMost(Duration.ofSeconds(5)).until(() -> orders.statistics("b.example:1").isEmpty());

        assertThat(gauge("pool.repos.connections.idle", "other").value()).isEqualTo(2);
        assertThat(counter("pool.repos.connections.adopted", "other").count()).as("monotonic").isEqualTo(3);
        assertThat(counter("pool.repos.connections.discarded", "other").count()).isEqualTo(1);
    }

    @Test
    void aFoldedNameThatGoesShouldNotBeHeldByTheMetersOnlyItsCounts() {
        new PoolReposMetrics(repository, 0).bindTo(registry);
        orders.add("gone.example:1", server.connect());
        WeakReference<NameStatistics> gone = new WeakReference<>(orders.statistics("gone.example:1").orElseThrow());

        orders.drain("gone.example:1");
        await().atMost(Duration.ofSeconds(5)).until(() -> orders.statistics("gone.example:1").isEmpty());

        assertThat(counter("pool.repos.connections.adopted", "other").count()).isEqualTo(1);
        // With unbounded names, every folded name the meters kept would be a leak.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            System.gc();
            return gone.get() == null;
        });
        assertThat(counter("pool.repos.connections.adopted", "other").count()).as("still counted").isEqualTo(1);
    }

    @Test
    void acquireShouldBeTimedPerOutcome() {
        new PoolReposMetrics(repository, 100).bindTo(registry);

        Socket socket = orders.acquire(server.name());
        orders.add(server.name(), socket);
        orders.add(server.name(), orders.acquire(server.name()));

        Timer created = registry.get("pool.repos.acquire").tags("name", server.name(), "outcome", "created").timer();
        Timer idle = registry.get("pool.repos.acquire").tags("name", server.name(), "outcome", "idle").timer();
        assertThat(created.count()).isEqualTo(1);
        assertThat(idle.count()).isEqualTo(1);
        assertThat(created.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(counter("pool.repos.connections.opened", server.name()).count()).isEqualTo(1);
    }

    @Test
    void connectsShouldBeTimedPerOutcome() throws Exception {
        new PoolReposMetrics(repository, 100).bindTo(registry);
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        String refusing = "127.0.0.1:" + closedPort;

        orders.add(server.name(), orders.acquire(server.name()));
        orders.add(server.name(), orders.acquire(server.name())); // idle: no connect
        // A connection on loan under the refusing name keeps the name (and its meters) from being
        // removed by housekeeping while its connect fails.
        orders.add(refusing, server.connect());
        Socket held = orders.get(refusing).orElseThrow();
        assertThatThrownBy(() -> orders.acquire(refusing)).isInstanceOf(ConnectFailedException.class);

        Timer connected = registry.get("pool.repos.connect").tags("name", server.name(), "outcome", "success").timer();
        Timer failed = registry.get("pool.repos.connect").tags("name", refusing, "outcome", "failure").timer();
        assertThat(connected.count()).isEqualTo(1);
        assertThat(connected.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(counter("pool.repos.connect.failures", refusing).count()).isEqualTo(1);
        assertThatThrownBy(() -> orders.acquire(refusing)).as("in connect backoff").isInstanceOf(ConnectFailedException.class);
        assertThat(counter("pool.repos.connect.fast.failures", refusing).count()).isEqualTo(1);
        assertThat(counter("pool.repos.connect.failures", refusing).count()).as("no second connect").isEqualTo(1);
        orders.add(refusing, held);
    }

    @Test
    void namesWithUserInfoShouldBeTaggedMasked() {
        new PoolReposMetrics(repository, 100).bindTo(registry);

        orders.add("bob:pw@db.example:5432", server.connect());

        assertThat(gauge("pool.repos.connections.idle", "****@db.example:5432").value()).isEqualTo(1);
        assertThat(registry.getMeters()).extracting(m -> m.getId().getTag("name"))
                .noneMatch(tag -> tag != null && tag.contains("bob"));
    }

    private Gauge gauge(String name, String tagName) {
        return registry.get(name).tags("pool", "orders", "name", tagName).gauge();
    }

    private FunctionCounter counter(String name, String tagName) {
        return registry.get(name).tags("pool", "orders", "name", tagName).functionCounter();
    }
}
