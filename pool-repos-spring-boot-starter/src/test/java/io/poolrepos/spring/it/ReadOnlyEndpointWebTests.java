package io.poolrepos.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import io.poolrepos.ConnectionPool;
import io.poolrepos.SharedLease;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole starter in a running web application: pools hold real sockets to an echo server, the
 * endpoint is read over real HTTP, and its figures move as connections are added, taken and shared.
 * Default (read-only) access: draining is refused.
 */
@SpringBootTest(classes = PoolReposTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=poolrepos,health,metrics",
            "management.endpoint.health.show-components=always", "management.endpoint.health.show-details=always",
            "pool-repos.defaults.idle-timeout=60s", "pool-repos.pools.orders.max-idle-per-name=8",
            "pool-repos.pools.orders.max-open-per-name=16", "pool-repos.pools.orders.connect=tcp",
            "pool-repos.pools.orders.connect-timeout=2s", "pool-repos.pools.quotes.sharable=true",
            "pool-repos.pools.quotes.max-sharers-per-connection=32"})
class ReadOnlyEndpointWebTests extends WebTestSupport {

    @Autowired
    @Qualifier("orders")
    private ConnectionPool<Socket> orders;

    @Autowired
    @Qualifier("quotes")
    private ConnectionPool<Socket> quotes;

    @Test
    void listingShouldShowEveryPoolInConfigurationOrderWithSettings() {
        DocumentContext json = http.json("/actuator/poolrepos");

        assertThat(json.<List<String>>read("$.pools[*].pool")).containsExactly("orders", "quotes");
        assertThat(json.<String>read("$.pools[0].connectionType")).isEqualTo("java.net.Socket");
        assertThat(json.<Boolean>read("$.pools[1].sharable")).isTrue();
        assertThat(json.<Integer>read("$.pools[0].settings.maxOpenPerName")).isEqualTo(16);
        assertThat(json.<Integer>read("$.pools[0].settings.maxOpenInPool")).as("beside the per-name limits").isZero();
        assertThat(json.<String>read("$.pools[0].settings.idleTimeout")).isEqualTo("PT1M");
        assertThat(json.<Integer>read("$.pools[1].settings.maxSharersPerConnection")).isEqualTo(32);
    }

    @Test
    void figuresShouldChangeAsConnectionsAreAcquiredTakenAndGivenBack() {
        String name = server.name();
        String path = "/actuator/poolrepos/orders/" + name;
        Socket first = orders.acquire(name);
        Socket second = orders.acquire(name);
        EchoServer.roundTrip(first, "hello");

        DocumentContext out = http.json(path);
        assertThat(out.<Integer>read("$.inUse")).isEqualTo(2);
        assertThat(out.<Integer>read("$.idle")).isZero();
        assertThat(out.<Integer>read("$.created")).isEqualTo(2);

        orders.add(name, first);
        orders.add(name, second);
        DocumentContext back = http.json(path);
        assertThat(back.<Integer>read("$.idle")).isEqualTo(2);
        assertThat(back.<Integer>read("$.inUse")).isZero();
        assertThat(back.<Integer>read("$.added")).isEqualTo(out.<Integer>read("$.added") + 2);

        Socket taken = orders.get(name).orElseThrow();
        DocumentContext afterGet = http.json(path);
        assertThat(afterGet.<Integer>read("$.idle")).isEqualTo(1);
        assertThat(afterGet.<Integer>read("$.getHits")).isEqualTo(back.<Integer>read("$.getHits") + 1);
        assertThat(afterGet.<Integer>read("$.gets"))
                .isEqualTo(afterGet.<Integer>read("$.getHits") + afterGet.<Integer>read("$.getMisses"));
        orders.add(name, taken);

        DocumentContext pool = http.json("/actuator/poolrepos/orders");
        List<String> names = pool.read("$.names[*].name");
        assertThat(names).contains(name).isSorted().hasSize(pool.<Integer>read("$.nameCount"));
        assertThat(pool.<List<Integer>>read("$.names[?(@.name == '" + name + "')].idle")).containsExactly(2);
    }

    @Test
    void figuresShouldShowSharedConnectionsAndLeases() {
        String name = server.name();
        quotes.add(name, server.connect());

        try (SharedLease<Socket> one = quotes.share(name).orElseThrow();
                SharedLease<Socket> two = quotes.share(name).orElseThrow()) {
            assertThat(one.connection()).isSameAs(two.connection());
            DocumentContext shared = http.json("/actuator/poolrepos/quotes/" + name);
            assertThat(shared.<Integer>read("$.sharedConnections")).isEqualTo(1);
            assertThat(shared.<Integer>read("$.activeShares")).isEqualTo(2);
            assertThat(shared.<Integer>read("$.idle")).isEqualTo(1);
        }
        DocumentContext released = http.json("/actuator/poolrepos/quotes/" + name);
        assertThat(released.<Integer>read("$.activeShares")).isZero();
        assertThat(released.<Integer>read("$.shares")).isEqualTo(2);
    }

    @Test
    void aNameContainingSlashesShouldBeReadAtTheRestOfThePath() {
        String name = server.name() + "/reports/primary";
        orders.add(name, server.connect());

        DocumentContext row = http.json("/actuator/poolrepos/orders/" + name);

        assertThat(row.<String>read("$.name")).isEqualTo(name);
        assertThat(row.<Integer>read("$.idle")).isEqualTo(1);
        assertThat(http.call("GET", "/actuator/poolrepos/orders/" + server.name() + "/reports").statusCode())
                .as("a prefix of the name is another name").isEqualTo(404);
        assertThat(http.json("/actuator/poolrepos/orders").<List<String>>read("$.names[*].name")).contains(name);
    }

    @Test
    void unknownPoolOrNameShouldAnswer404() {
        assertThat(http.call("GET", "/actuator/poolrepos/nope").statusCode()).isEqualTo(404);
        assertThat(http.call("GET", "/actuator/poolrepos/orders/unknown.example:1").statusCode()).isEqualTo(404);
        assertThat(http.call("GET", "/actuator/poolrepos/nope/" + server.name()).statusCode()).isEqualTo(404);
    }

    @Test
    void drainingShouldBeRefusedUnderReadOnlyAccess() {
        orders.add(server.name(), server.connect());

        int pool = http.call("DELETE", "/actuator/poolrepos/orders").statusCode();
        int name = http.call("DELETE", "/actuator/poolrepos/orders/" + server.name()).statusCode();

        assertThat(pool).isEqualTo(405);
        assertThat(name).isEqualTo(405);
        assertThat(http.json("/actuator/poolrepos/orders/" + server.name()).<Integer>read("$.idle")).isEqualTo(1);
    }

    @Test
    void operationsShouldBeRefusedUnderReadOnlyAccessAndChangeNothing() {
        orders.add(server.name(), server.connect());

        int resize = http.post("/actuator/poolrepos/orders/resize", "{\"maxOpenPerName\": 1}", null).statusCode();
        int suspend = http.post("/actuator/poolrepos/orders/suspend", "{\"mode\": \"fail-fast\"}", null).statusCode();
        int evict = http.post("/actuator/poolrepos/orders/evict", null, null).statusCode();

        assertThat(List.of(resize, suspend, evict)).containsOnly(405);
        DocumentContext pool = http.json("/actuator/poolrepos/orders");
        assertThat(pool.<Boolean>read("$.suspended")).isFalse();
        assertThat(pool.<Object>read("$.suspendMode")).isNull();
        assertThat(pool.<Integer>read("$.limits.maxOpenPerName")).isEqualTo(16);
        assertThat(pool.<List<Object>>read("$.operations")).isEmpty();
        assertThat(orders.operations().suspension()).isEmpty();
        assertThat(http.json("/actuator/poolrepos/orders/" + server.name()).<Integer>read("$.idle")).isEqualTo(1);
    }

    @Test
    void metricsEndpointShouldReportTheSameFiguresAsThePoolEndpoint() {
        String name = server.name();
        Socket socket = orders.acquire(name);
        orders.add(name, orders.acquire(name));
        Socket taken = orders.get(name).orElseThrow();
        assertThat(orders.get(name)).isEmpty();

        DocumentContext row = http.json("/actuator/poolrepos/orders/" + name);
        assertThat(http.meter("pool.repos.connections.idle", "orders", name))
                .isEqualTo(row.<Integer>read("$.idle").doubleValue());
        assertThat(http.meter("pool.repos.connections.in.use", "orders", name))
                .isEqualTo(row.<Integer>read("$.inUse").doubleValue()).isEqualTo(2);
        assertThat(http.meter("pool.repos.gets", "orders", name)).isEqualTo(row.<Integer>read("$.gets").doubleValue());
        assertThat(http.meter("pool.repos.gets", "orders", name, "result:miss"))
                .isEqualTo(row.<Integer>read("$.getMisses").doubleValue());
        assertThat(http.meter("pool.repos.connections.opened", "orders", name))
                .isEqualTo(row.<Integer>read("$.created").doubleValue());
        assertThat(http.meter("pool.repos.acquire", "orders", name)).as("acquire timer COUNT").isEqualTo(2);
        orders.add(name, socket);
        orders.add(name, taken);
    }

    @Test
    void healthShouldReportEveryPool() {
        DocumentContext health = http.json("/actuator/health");

        assertThat(health.<String>read("$.components.poolRepos.status")).isEqualTo("UP");
        assertThat(health.<String>read("$.components.poolRepos.details.pools.orders.status")).isEqualTo("UP");
        assertThat(health.<Boolean>read("$.components.poolRepos.details.pools.orders.canConnect")).isTrue();
    }
}
