package io.poolrepos.sample.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The packaged sample app as a user runs it: {@code java -jar} in a separate process on free ports,
 * driven over HTTP only. What the clients say they did, what {@code /actuator/poolrepos} counts, what
 * {@code /actuator/health}, {@code /actuator/metrics} and {@code /actuator/prometheus} report must
 * all agree. The methods run in order against one process; each compares figures before and after
 * its own calls, so none depends on what an earlier one left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleAppEndToEndIT {

    private static SampleAppProcess app;

    @BeforeAll
    static void startApp() throws IOException {
        app = SampleAppProcess.start("e2e-app");
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
            assertThat(app.isAlive()).isFalse();
        }
    }

    @Test
    @Order(1)
    void poolsFromApplicationYmlAreListedInOrderWithTheirSettings() throws IOException {
        JsonNode pools = app.getJson("/actuator/poolrepos").get("pools");

        assertThat(pools).hasSize(3);
        JsonNode echo = pools.get(0);
        JsonNode multiplex = pools.get(1);
        JsonNode secure = pools.get(2);
        assertThat(echo.get("pool").asString()).isEqualTo("echo");
        assertThat(echo.get("sharable").asBoolean()).isFalse();
        assertThat(echo.get("connectionType").asString()).isEqualTo("java.net.Socket");
        assertThat(echo.at("/settings/maxOpenPerName").asInt()).isEqualTo(16);
        assertThat(echo.at("/settings/idleTimeout").asString()).isEqualTo("PT1M");
        assertThat(multiplex.get("pool").asString()).isEqualTo("multiplex");
        assertThat(multiplex.get("sharable").asBoolean()).isTrue();
        assertThat(multiplex.at("/settings/maxSharersPerConnection").asInt()).isEqualTo(8);
        // How each pool connects: the kind, and for TLS the bundle's name only.
        assertThat(echo.at("/connect/connect").asString()).isEqualTo("tcp");
        assertThat(echo.at("/connect/sslBundle").isMissingNode()).isTrue();
        assertThat(secure.get("pool").asString()).isEqualTo("secure");
        assertThat(secure.get("sharable").asBoolean()).isFalse();
        assertThat(secure.at("/connect/connect").asString()).isEqualTo("tls");
        assertThat(secure.at("/connect/sslBundle").asString()).isEqualTo("sample-backend-trust");
        JsonNode backends = app.getJson("/api/backends");
        assertThat(backends.get("names").valueStream().map(JsonNode::asString))
                .containsExactlyElementsOf(app.backendNames());
        assertThat(backends.get("tlsEmbedded").asBoolean()).isTrue();
        assertThat(backends.get("tlsNames").valueStream().map(JsonNode::asString))
                .containsExactly(app.tlsBackendName());
    }

    @Test
    @Order(2)
    void theEchoPoolsWarmUpWasCompleteWhenTheAppFirstReportedReady() {
        // The first 200 of /actuator/health (which start() waited for) included readiness: the warm-up
        // of application.yml's echo pool (two idle connections to the first backend) was done by then.
        JsonNode ready = app.firstHealthyAnswer();
        assertThat(ready.at("/components/readinessState/status").asString()).isEqualTo("UP");
        JsonNode echo = ready.at("/components/poolRepos/details/pools/echo");
        assertThat(echo.at("/warmUp/state").asString()).as("echo's health detail: %s", echo).isEqualTo("WARM");
        assertThat(echo.at("/warmUp/names").asInt()).isEqualTo(1);
        assertThat(echo.at("/warmUp/warm").asInt()).isEqualTo(1);
        assertThat(echo.at("/warmUp/notWarm").size()).isZero();
        assertThat(echo.get("idle").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(echo.get("created").asInt()).isGreaterThanOrEqualTo(2);
        // Only echo has warm-up-names.
        assertThat(ready.at("/components/poolRepos/details/pools/multiplex/warmUp").isMissingNode()).isTrue();
    }

    @Test
    @Order(3)
    void sequentialEchoCallsTakeAndGiveBackOneConnection() throws IOException {
        // The second backend: housekeeping keeps the warmed first one topped up to two idle connections,
        // so that its connection count is not only these calls'.
        fiveCallsInTurnTakeAndGiveBackOneConnection("/api/echo?backend=1", "echo", app.backendNames().get(1));
    }

    @Test
    @Order(4)
    void secureEchoCallsGoOverTlsAndReuseOneConnection() throws IOException {
        // The secure pool connects with TLS only (connect: tls, checked above): a reply means the
        // handshake with the embedded TLS backend succeeded, and one connection means one handshake.
        fiveCallsInTurnTakeAndGiveBackOneConnection("/api/secure-echo?backend=0", "secure", app.tlsBackendName());
    }

    private static void fiveCallsInTurnTakeAndGiveBackOneConnection(String path, String pool, String name)
            throws IOException {
        Counts before = Counts.of(app, pool, name);

        for (int i = 0; i < 5; i++) {
            JsonNode reply = app.getJson(path + "&text=hello-" + i);
            assertThat(reply.get("reply").asString()).isEqualTo("hello-" + i);
            assertThat(reply.get("name").asString()).isEqualTo(name);
            assertThat(reply.get("pool").asString()).isEqualTo(pool);
        }

        Counts after = Counts.of(app, pool, name);
        // One at a time: each call found the connection the previous one gave back, or opened the first.
        assertThat(after.created).isEqualTo(Math.max(1, before.created));
        assertThat((after.getHits + after.created) - (before.getHits + before.created)).isEqualTo(5);
        assertThat(after.added - before.added).isEqualTo(5);
        assertThat(after.inUse).isZero();
        assertThat(after.idle).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(5)
    void taggedRequestsGoOverASharedConnection() throws IOException {
        String name = app.backendNames().get(1);
        Counts before = Counts.of(app, "multiplex", name);

        for (int i = 0; i < 5; i++) {
            JsonNode reply = app.getJson("/api/request?backend=1&text=tagged-" + i);
            assertThat(reply.get("reply").asString()).isEqualTo("tagged-" + i);
            assertThat(reply.get("pool").asString()).isEqualTo("multiplex");
        }

        Counts after = Counts.of(app, "multiplex", name);
        assertThat(after.shares - before.shares).isEqualTo(5);
        assertThat(after.activeShares).isZero();
        assertThat(after.inUse).isZero();
        // The shared connection stays in the pool between requests; no new one was needed.
        assertThat(after.idle).isEqualTo(1);
        assertThat(after.created).isEqualTo(1);
    }

    @Test
    @Order(6)
    void badInputIsA400AndUnknownPoolsAndNamesAre404() throws IOException {
        assertThat(app.statusOf("/api/echo?text=" + "x".repeat(1001))).isEqualTo(400);
        assertThat(app.statusOf("/api/secure-echo?text=" + "x".repeat(1001))).isEqualTo(400);
        assertThat(app.statusOf("/api/traffic")).isEqualTo(200);
        assertThat(app.getJson("/api/traffic").at("/generator/running").asBoolean()).isFalse();
        app.postJson("/api/traffic?seconds=0", 400);
        app.postJson("/api/traffic?seconds=5&workers=99", 400);
        assertThat(app.statusOf("/actuator/poolrepos/nosuchpool")).isEqualTo(404);
        assertThat(app.statusOf("/actuator/poolrepos/echo/127.0.0.1:1")).isEqualTo(404);
    }

    @Test
    @Order(7)
    void aTrafficRunEndsByItselfAndEveryReportAgrees() throws IOException {
        JsonNode started = app.postJson("/api/traffic?seconds=3&workers=8", 202);
        assertThat(started.at("/generator/running").asBoolean()).isTrue();

        await("the traffic run to end by itself").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> !app.getJson("/api/traffic").at("/generator/running").asBoolean());

        JsonNode traffic = app.getJson("/api/traffic");
        JsonNode generator = traffic.get("generator");
        assertThat(generator.get("failures").asLong()).as("last failure: %s", generator.get("lastFailure")).isZero();
        assertThat(generator.get("echoCalls").asLong()).isPositive();
        assertThat(generator.get("sharedCalls").asLong()).isPositive();
        assertThat(generator.get("secureCalls").asLong()).isPositive();

        JsonNode echo = app.getJson("/actuator/poolrepos/echo");
        JsonNode multiplex = app.getJson("/actuator/poolrepos/multiplex");
        JsonNode secure = app.getJson("/actuator/poolrepos/secure");
        Counts echoTotals = Counts.from(echo.get("totals"));
        Counts multiplexTotals = Counts.from(multiplex.get("totals"));
        Counts secureTotals = Counts.from(secure.get("totals"));

        // The clients' own counts against the pools' (nothing else used the pools). One get per acquire
        // in echo: its created also counts the connections warm-up and its top-ups opened.
        assertThat(echoTotals.gets).isEqualTo(traffic.get("echoAcquires").asLong());
        assertThat(multiplexTotals.shares).isEqualTo(traffic.get("sharedLeases").asLong());
        assertThat(secureTotals.getHits + secureTotals.created).isEqualTo(traffic.get("secureAcquires").asLong());
        // Quiet now: nothing on loan, nobody waiting, every lease closed.
        for (Counts c : List.of(echoTotals, multiplexTotals, secureTotals)) {
            assertThat(c.inUse).isZero();
            assertThat(c.waiting).isZero();
            assertThat(c.activeShares).isZero();
            assertThat(c.gets).isEqualTo(c.getHits + c.getMisses);
            assertThat(c.acquireTimeouts + c.connectFailures).isZero();
            assertThat(c.adopted + c.created).as("books balance")
                    .isEqualTo(c.idle + c.inUse + c.closedDead + c.evictedIdle + c.evictedLifetime + c.overflowed + c.discarded);
        }
        // Both backends were used through both plain pools, the TLS backend through the secure pool, and
        // the names add up to the totals.
        for (JsonNode pool : List.of(echo, multiplex, secure)) {
            assertThat(pool.get("names").valueStream().map(n -> n.get("name").asString()))
                    .containsExactlyInAnyOrderElementsOf(pool == secure ? List.of(app.tlsBackendName()) : app.backendNames());
            assertThat(pool.get("names").valueStream().mapToLong(n -> n.get("idle").asLong()).sum())
                    .isEqualTo(pool.at("/totals/idle").asLong());
            assertThat(pool.get("names").valueStream().mapToLong(n -> n.get("created").asLong()).sum())
                    .isEqualTo(pool.at("/totals/created").asLong());
        }
        // The sharable pool served many more requests than it opened connections: they were shared.
        assertThat(multiplexTotals.created).isLessThanOrEqualTo(2 * 4);
        assertThat(multiplexTotals.shares).isGreaterThan(multiplexTotals.created);

        JsonNode health = app.getJson("/actuator/health");
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/poolRepos/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/poolRepos/details/pools/echo/idle").asLong()).isEqualTo(echoTotals.idle);
        assertThat(health.at("/components/poolRepos/details/pools/multiplex/created").asLong())
                .isEqualTo(multiplexTotals.created);
        assertThat(health.at("/components/poolRepos/details/pools/secure/created").asLong())
                .isEqualTo(secureTotals.created);

        JsonNode idleMetric = app.getJson("/actuator/metrics/pool.repos.connections.idle?tag=pool:echo");
        assertThat(idleMetric.at("/measurements/0/value").asDouble()).isEqualTo((double) echoTotals.idle);

        String prometheus = app.get("/actuator/prometheus", 200);
        assertThat(sum(prometheus, "pool_repos_connections_idle", "echo")).isEqualTo(echoTotals.idle);
        assertThat(sum(prometheus, "pool_repos_connections_opened_total", "echo")).isEqualTo(echoTotals.created);
        assertThat(sum(prometheus, "pool_repos_connections_added_total", "echo")).isEqualTo(echoTotals.added);
        assertThat(sum(prometheus, "pool_repos_gets_total", "echo")).isEqualTo(echoTotals.gets);
        assertThat(sum(prometheus, "pool_repos_connections_in_use", "echo")).isZero();
        // Every acquire is timed once, and is one get (none failed): warm-up's connects are no acquires.
        assertThat(sum(prometheus, "pool_repos_acquire_seconds_count", "echo")).isEqualTo(echoTotals.gets);
        assertThat(sum(prometheus, "pool_repos_shares_total", "multiplex")).isEqualTo(multiplexTotals.shares);
        assertThat(sum(prometheus, "pool_repos_connections_idle", "multiplex")).isEqualTo(multiplexTotals.idle);
        assertThat(sum(prometheus, "pool_repos_shares_active", "multiplex")).isZero();
        assertThat(sum(prometheus, "pool_repos_gets_total", "secure")).isEqualTo(secureTotals.gets);
        assertThat(sum(prometheus, "pool_repos_connections_opened_total", "secure")).isEqualTo(secureTotals.created);
    }

    /** Sum of every sample of {@code metric} with the label {@code pool="<pool>"}, over all names. */
    private static long sum(String prometheus, String metric, String pool) {
        Pattern sample = Pattern.compile("^" + metric + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = sample.matcher(prometheus);
        double total = 0;
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).contains("pool=\"" + pool + "\"")) {
                total += Double.parseDouble(m.group(2));
                seen.add(m.group());
            }
        }
        assertThat(seen).as("samples of %s for pool %s", metric, pool).isNotEmpty();
        return Math.round(total);
    }

    /** The counts fields of the endpoint, read from JSON. */
    private record Counts(long idle, long inUse, long activeShares, long waiting, long gets, long getHits,
            long getMisses, long shares, long added, long adopted, long created, long closedDead, long evictedIdle,
            long evictedLifetime, long overflowed, long discarded, long acquireTimeouts, long connectFailures) {

        static Counts from(JsonNode c) {
            return new Counts(c.get("idle").asLong(), c.get("inUse").asLong(), c.get("activeShares").asLong(),
                    c.get("waiting").asLong(), c.get("gets").asLong(), c.get("getHits").asLong(),
                    c.get("getMisses").asLong(), c.get("shares").asLong(), c.get("added").asLong(),
                    c.get("adopted").asLong(), c.get("created").asLong(), c.get("closedDead").asLong(),
                    c.get("evictedIdle").asLong(), c.get("evictedLifetime").asLong(), c.get("overflowed").asLong(),
                    c.get("discarded").asLong(), c.get("acquireTimeouts").asLong(), c.get("connectFailures").asLong());
        }

        /** The counts of one name, or all zero while the pool has no connection for it (404). */
        static Counts of(SampleAppProcess app, String pool, String name) throws IOException {
            String path = "/actuator/poolrepos/" + pool + "/" + name;
            if (app.statusOf(path) == 404) {
                return new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            }
            return from(app.getJson(path));
        }
    }
}
