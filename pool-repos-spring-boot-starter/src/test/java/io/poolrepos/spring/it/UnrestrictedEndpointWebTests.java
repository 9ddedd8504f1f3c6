package io.poolrepos.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.poolrepos.ConnectionPool;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/** Draining over HTTP once the user grants {@code management.endpoint.poolrepos.access=unrestricted}. */
@SpringBootTest(classes = PoolReposTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=poolrepos",
            "management.endpoint.poolrepos.access=unrestricted", "pool-repos.pools.orders.max-idle-per-name=8",
            "pool-repos.pools.reports.max-idle-per-name=8"})
class UnrestrictedEndpointWebTests extends WebTestSupport {

    @Autowired
    @Qualifier("orders")
    private ConnectionPool<Socket> orders;

    /** Only the pool-wide drain uses this pool, so that it sees no other test's connections. */
    @Autowired
    @Qualifier("reports")
    private ConnectionPool<Socket> reports;

    @Test
    void deletingANameShouldCloseItsIdleSockets() {
        orders.add(server.name(), server.connect());
        orders.add(server.name(), server.connect());
        orders.add(server.name() + "-other", server.connect());
        await().until(() -> server.openConnections() == 3);

        var response = http.call("DELETE", "/actuator/poolrepos/orders/" + server.name());

        assertThat(response.statusCode()).isEqualTo(200);
        DocumentContext body = JsonPath.parse(response.body());
        assertThat(body.<String>read("$.pool")).isEqualTo("orders");
        assertThat(body.<String>read("$.name")).isEqualTo(server.name());
        assertThat(body.<Integer>read("$.closed")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
        DocumentContext other = http.json("/actuator/poolrepos/orders/" + server.name() + "-other");
        assertThat(other.<Integer>read("$.idle")).isEqualTo(1);
    }

    @Test
    void deletingANameContainingSlashesShouldCloseItsIdleSockets() {
        String name = server.name() + "/api/v2";
        orders.add(name, server.connect());

        var response = http.call("DELETE", "/actuator/poolrepos/orders/" + name);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(response.body()).<String>read("$.name")).isEqualTo(name);
        assertThat(JsonPath.parse(response.body()).<Integer>read("$.closed")).isEqualTo(1);
        assertThat(orders.statistics(name).orElseThrow().snapshot().idle()).isZero();
    }

    @Test
    void deletingAPoolShouldCloseEveryIdleSocketAndLeaveLoansAlone() {
        reports.add(server.name(), server.connect());
        reports.add(server.name(), server.connect());
        Socket loaned = reports.get(server.name()).orElseThrow();

        var response = http.call("DELETE", "/actuator/poolrepos/reports");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(response.body()).<Integer>read("$.closed")).isEqualTo(1);
        assertThat(JsonPath.parse(response.body()).<Object>read("$.name")).isNull();
        DocumentContext row = http.json("/actuator/poolrepos/reports/" + server.name());
        assertThat(row.<Integer>read("$.idle")).isZero();
        assertThat(row.<Integer>read("$.inUse")).isEqualTo(1);
        assertThat(EchoServer.roundTrip(loaned, "still open")).isEqualTo("still open");
        reports.add(server.name(), loaned);
    }

    @Test
    void deletingAnUnknownPoolOrNameShouldAnswer404() {
        assertThat(http.call("DELETE", "/actuator/poolrepos/nope").statusCode()).isEqualTo(404);
        assertThat(http.call("DELETE", "/actuator/poolrepos/orders/unknown.example:1").statusCode()).isEqualTo(404);
    }
}
