package io.poolrepos.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolOperations;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;

/** The endpoint's operations called directly, on a real repository holding real sockets. */
class PoolReposEndpointTests {

    private final EchoServer server = EchoServer.start();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
    private final ConnectionPool<Socket> orders = repository.pool("orders", ConnectionAdapter.sockets(),
            PoolSettings.builder().maxIdlePerName(4).build());
    private final PoolReposEndpoint endpoint = new PoolReposEndpoint(repository);

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    @Test
    void poolsShouldListEveryPoolInCreationOrderWithSettingsAndTotals() {
        repository.pool("quotes", ConnectionAdapter.sockets(), PoolSettings.builder().sharable(true).build());
        orders.add(server.name(), server.connect());

        List<Map<String, Object>> pools = pools(endpoint.pools());

        assertThat(pools).extracting(p -> p.get("pool")).containsExactly("orders", "quotes");
        Map<String, Object> first = pools.get(0);
        assertThat(first).containsEntry("connectionType", "java.net.Socket").containsEntry("sharable", false)
                .containsEntry("closed", false).containsEntry("nameCount", 1).doesNotContainKey("names");
        assertThat(map(first.get("settings"))).containsEntry("maxIdlePerName", 4)
                .containsEntry("idleTimeout", "PT10M").containsEntry("idleOrder", "LIFO");
        assertThat(map(first.get("totals"))).containsEntry("idle", 1).containsEntry("adopted", 1L)
                .containsKeys("inUse", "sharedConnections", "activeShares", "waiting", "gets", "getHits", "getMisses",
                        "shares", "added", "created", "closedDead", "evictedIdle", "evictedLifetime", "overflowed",
                        "discarded", "rejected", "leaks", "acquireTimeouts", "connectFailures", "fastFailures")
                .hasSize(22);
        assertThat(map(first.get("settings"))).containsEntry("connectBackoff", "PT0.1S")
                .containsEntry("connectBackoffMax", "PT10S");
    }

    @Test
    void poolShouldGiveOneRowPerNameSortedByNameWithCountsFlat() {
        orders.add("b.example:1", server.connect());
        orders.add(server.name(), server.connect());
        orders.get(server.name());

        Map<String, Object> pool = endpoint.pool("orders");

        List<Map<String, Object>> names = rows(pool.get("names"));
        assertThat(names).extracting(n -> n.get("name")).containsExactly(server.name(), "b.example:1");
        assertThat(names.get(0)).containsEntry("idle", 0).containsEntry("inUse", 1).containsEntry("gets", 1L)
                .containsEntry("getHits", 1L);
    }

    @Test
    void aNameShouldBeFoundFromThePathSegmentsItWasSplitInto() {
        orders.add("db.example:5432/orders/primary", server.connect());

        assertThat(endpoint.name("orders", "db.example:5432", "orders", "primary"))
                .containsEntry("name", "db.example:5432/orders/primary").containsEntry("idle", 1);
        assertThat(endpoint.name("orders", "db.example:5432", "orders")).isNull();
        assertThat(endpoint.name("orders")).as("no segment at all").isNull();
        assertThat(endpoint.drainName("orders", "db.example:5432", "orders", "primary")).containsEntry("closed", 1);
    }

    @Test
    void unknownPoolOrNameShouldGiveNull() {
        assertThat(endpoint.pool("nope")).isNull();
        assertThat(endpoint.name("nope", server.name())).isNull();
        assertThat(endpoint.name("orders", "unknown:1")).isNull();
        assertThat(endpoint.drainPool("nope")).isNull();
        assertThat(endpoint.drainName("orders", "unknown:1")).isNull();
    }

    @Test
    void namesWithUserInfoShouldBeMasked() {
        orders.add("alice:secret@db.example:5432", server.connect());

        Map<String, Object> row = endpoint.name("orders", "alice:secret@db.example:5432");

        assertThat(row).containsEntry("pool", "orders").containsEntry("name", "****@db.example:5432")
                .containsEntry("idle", 1);
        assertThat(rows(endpoint.pool("orders").get("names"))).extracting(n -> n.get("name"))
                .containsExactly("****@db.example:5432");
        assertThat(endpoint.drainName("orders", "alice:secret@db.example:5432"))
                .containsEntry("name", "****@db.example:5432").containsEntry("closed", 1);
    }

    @Test
    void drainShouldCloseTheIdleConnectionsOfOneNameOrOfThePool() {
        orders.add(server.name(), server.connect());
        orders.add(server.name(), server.connect());
        orders.add("other:1", server.connect());

        assertThat(endpoint.drainName("orders", server.name())).containsEntry("pool", "orders")
                .containsEntry("name", server.name()).containsEntry("closed", 2);
        assertThat(endpoint.drainPool("orders")).containsEntry("name", null).containsEntry("closed", 1);
        assertThat(orders.totals().idle()).isZero();
        assertThat(orders.totals().discarded()).isEqualTo(3);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> pools(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.get("pools");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Object names) {
        return (List<Map<String, Object>>) names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    @SuppressWarnings("unchecked")
    void operateShouldKeepTheLastOperationsNewestFirstWithTheirPrincipal() {
        SecurityContext erin = new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return () -> "erin";
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }
        };
        for (int open = 1; open <= 12; open++) {
            endpoint.operate("orders", "resize", null, null, String.valueOf(open + 4), null, null, null, null, null, erin);
        }
        endpoint.operate("orders", "suspend", null, null, null, null, null, null, null, null, SecurityContext.NONE);

        Map<String, Object> pool = endpoint.pool("orders");

        List<Map<String, Object>> operations = (List<Map<String, Object>>) pool.get("operations");
        assertThat(operations).hasSize(10);
        assertThat(operations.get(0)).containsEntry("operation", "suspend").containsEntry("by", "anonymous")
                .containsEntry("change", "suspended (wait)").containsKey("at");
        assertThat(operations.get(1)).containsEntry("by", "erin").containsEntry("change", "maxOpenPerName 15 \u2192 16");
        assertThat(pool).containsEntry("suspended", true).containsEntry("suspendMode", "wait");
        assertThat(map(pool.get("limits"))).containsEntry("maxOpenPerName", 16);
        assertThat(orders.operations().suspension()).contains(PoolOperations.SuspendMode.WAIT);
    }
}
