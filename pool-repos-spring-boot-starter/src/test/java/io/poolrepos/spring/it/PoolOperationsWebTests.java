package io.poolrepos.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.poolrepos.AddResult;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolSuspendedException;
import io.poolrepos.testing.EchoServer;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The endpoint's write operation over real HTTP, with access granted: resize, suspend and resume,
 * soft eviction, each seen on real sockets and in the endpoint's state; bad input refused with a
 * 4xx naming the parameter, and nothing changed. Each test works on a pool of its own, so that the
 * pool-wide state one test changes is not seen by another.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = {PoolReposTestApplication.class, PoolOperationsWebTests.PrincipalFromHeader.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=poolrepos",
            "management.endpoint.poolrepos.access=unrestricted",
            "pool-repos.defaults.connect=tcp", "pool-repos.defaults.max-open-per-name=8",
            "pool-repos.defaults.max-idle-per-name=8", "pool-repos.pools.sizing.acquire-timeout=30s",
            "pool-repos.pools.pausing.acquire-timeout=30s", "pool-repos.pools.evicting.acquire-timeout=30s",
            "pool-repos.pools.refusing.max-open-per-name=4", "pool-repos.pools.refusing.max-idle-per-name=2",
            "pool-repos.pools.masking.acquire-timeout=30s", "pool-repos.pools.capping.max-open-in-pool=4"})
class PoolOperationsWebTests extends WebTestSupport {

    /** Turns the test's user header into the request's principal, as a security filter would. */
    @TestConfiguration(proxyBeanMethods = false)
    static class PrincipalFromHeader {

        @Bean
        FilterRegistrationBean<Filter> principalFromHeader() {
            Filter filter = (request, response, chain) -> {
                String user = ((HttpServletRequest) request).getHeader(HttpSupport.USER_HEADER);
                chain.doFilter(user == null ? request : new HttpServletRequestWrapper((HttpServletRequest) request) {
                    @Override
                    public Principal getUserPrincipal() {
                        return () -> user;
                    }
                }, response);
            };
            return new FilterRegistrationBean<>(filter);
        }
    }

    @Autowired
    @Qualifier("sizing")
    private ConnectionPool<Socket> sizing;

    @Autowired
    @Qualifier("pausing")
    private ConnectionPool<Socket> pausing;

    @Autowired
    @Qualifier("evicting")
    private ConnectionPool<Socket> evicting;

    @Autowired
    @Qualifier("refusing")
    private ConnectionPool<Socket> refusing;

    @Autowired
    @Qualifier("masking")
    private ConnectionPool<Socket> masking;

    @Autowired
    @Qualifier("capping")
    private ConnectionPool<Socket> capping;

    private static void giveBackAll(ConnectionPool<Socket> pool, String name, List<Socket> sockets) {
        sockets.forEach(s -> pool.add(name, s));
    }

    @Test
    void resizeShouldChangeOnlyTheLimitsGivenCloseIdleSocketsAboveThemAndBeLoggedWithItsPrincipal(
            CapturedOutput output) {
        String name = server.name();
        giveBackAll(sizing, name, List.of(sizing.acquire(name), sizing.acquire(name), sizing.acquire(name),
                sizing.acquire(name)));

        HttpResponse<String> response = http.post("/actuator/poolrepos/sizing/resize",
                "{\"maxOpenPerName\": 2, \"maxIdlePerName\": 2, \"acquireTimeout\": \"5s\"}", "alice");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        DocumentContext body = JsonPath.parse(response.body());
        assertThat(body.<String>read("$.by")).isEqualTo("alice");
        assertThat(body.<String>read("$.change"))
                .isEqualTo("maxOpenPerName 8 \u2192 2, maxIdlePerName 8 \u2192 2, acquireTimeout PT30S \u2192 PT5S");
        DocumentContext pool = http.json("/actuator/poolrepos/sizing");
        assertThat(pool.<Map<String, Object>>read("$.limits")).containsEntry("maxOpenPerName", 2)
                .containsEntry("maxIdlePerName", 2).containsEntry("maxIdleInPool", 0)
                .containsEntry("maxWaitersPerName", 10000).containsEntry("acquireTimeout", "PT5S");
        assertThat(pool.<Integer>read("$.settings.maxOpenPerName")).isEqualTo(2);
        assertThat(pool.<String>read("$.operations[0].by")).isEqualTo("alice");
        assertThat(pool.<String>read("$.operations[0].operation")).isEqualTo("resize");
        assertThat(pool.<String>read("$.operations[0].at")).isNotBlank();
        assertThat(pool.<Integer>read("$.totals.overflowed")).isEqualTo(2);
        assertThat(sizing.statistics(name).orElseThrow().idle()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 2);
        assertThat(output.getAll()).contains(
                "Pool 'sizing': resize by alice: maxOpenPerName 8 \u2192 2, maxIdlePerName 8 \u2192 2");
    }

    @Test
    void resizeShouldLowerThePoolWideOpenLimitCloseIdleSocketsAboveItAndShowItInTheLimits() {
        String name = server.name();
        giveBackAll(capping, name, List.of(capping.acquire(name), capping.acquire(name), capping.acquire(name)));
        assertThat(http.json("/actuator/poolrepos/capping").<Integer>read("$.limits.maxOpenInPool")).isEqualTo(4);

        HttpResponse<String> response = http.post("/actuator/poolrepos/capping/resize", "{\"maxOpenInPool\": 2}", "alice");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JsonPath.parse(response.body()).<String>read("$.change")).isEqualTo("maxOpenInPool 4 \u2192 2");
        DocumentContext pool = http.json("/actuator/poolrepos/capping");
        assertThat(pool.<Integer>read("$.limits.maxOpenInPool")).isEqualTo(2);
        assertThat(pool.<Integer>read("$.settings.maxOpenInPool")).isEqualTo(2);
        assertThat(pool.<Integer>read("$.totals.overflowed")).isEqualTo(1);
        assertThat(capping.statistics(name).orElseThrow().idle()).isEqualTo(2);
        assertThat(capping.settings().maxOpenInPool()).isEqualTo(2);
    }

    @Test
    void suspendAndResumeShouldStopAndRestartHandOutsAndShowTheState() {
        String name = server.name();
        sizingFree(name);

        assertThat(http.post("/actuator/poolrepos/pausing/suspend", "{\"mode\": \"fail-fast\"}", null).statusCode())
                .isEqualTo(200);
        DocumentContext suspended = http.json("/actuator/poolrepos/pausing");
        assertThat(suspended.<Boolean>read("$.suspended")).isTrue();
        assertThat(suspended.<String>read("$.suspendMode")).isEqualTo("fail-fast");
        assertThat(suspended.<String>read("$.operations[0].by")).isEqualTo("anonymous");
        assertThat(suspended.<String>read("$.operations[0].change")).isEqualTo("suspended (fail-fast)");
        assertThatThrownBy(() -> pausing.acquire(name)).isInstanceOf(PoolSuspendedException.class);

        HttpResponse<String> switched = http.post("/actuator/poolrepos/pausing/suspend", "{}", null);
        assertThat(JsonPath.parse(switched.body()).<String>read("$.change")).isEqualTo("mode fail-fast \u2192 wait");
        assertThat(pausing.get(name)).isEmpty();

        HttpResponse<String> resumed = http.post("/actuator/poolrepos/pausing/resume", null, "bob");
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(resumed.body()).<String>read("$.change")).isEqualTo("resumed (was suspended, wait)");
        DocumentContext running = http.json("/actuator/poolrepos/pausing");
        assertThat(running.<Boolean>read("$.suspended")).isFalse();
        assertThat(running.<Object>read("$.suspendMode")).isNull();
        assertThat(running.<List<String>>read("$.operations[*].operation")).containsExactly("resume", "suspend", "suspend");
        Socket socket = pausing.acquire(name);
        assertThat(EchoServer.roundTrip(socket, "served again")).isEqualTo("served again");
        pausing.add(name, socket);
    }

    /** Nothing of the sizing test's pool: a guard that this test's server starts with no connection. */
    private void sizingFree(String name) {
        assertThat(pausing.statistics(name)).isEmpty();
    }

    @Test
    void evictShouldCloseIdleSocketsOfANameNowAndItsLoansOnReturnThenEveryName() {
        String name = server.name();
        String other = server.name() + "-other";
        Socket loaned = evicting.acquire(name);
        evicting.add(name, server.connect());
        evicting.add(name, server.connect());
        evicting.add(other, server.connect());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 4);

        HttpResponse<String> response = http.post("/actuator/poolrepos/evicting/evict",
                "{\"name\": \"" + name + "\"}", "carol");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JsonPath.parse(response.body()).<Integer>read("$.closed")).isEqualTo(2);
        DocumentContext row = http.json("/actuator/poolrepos/evicting/" + name);
        assertThat(row.<Integer>read("$.idle")).isZero();
        assertThat(row.<Integer>read("$.inUse")).isEqualTo(1);
        assertThat(EchoServer.roundTrip(loaned, "loan undisturbed")).isEqualTo("loan undisturbed");
        assertThat(evicting.add(name, loaned)).isEqualTo(AddResult.CLOSED_EXPIRED);
        assertThat(http.json("/actuator/poolrepos/evicting/" + other).<Integer>read("$.idle")).isEqualTo(1);

        HttpResponse<String> all = http.post("/actuator/poolrepos/evicting/evict", null, "carol");
        assertThat(JsonPath.parse(all.body()).<Integer>read("$.closed")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
        assertThat(http.json("/actuator/poolrepos/evicting").<Integer>read("$.totals.discarded")).isEqualTo(4);
    }

    @Test
    void badInputShouldBeRefusedWithA4xxNamingTheParameterAndChangeNothing() {
        refusing.add(server.name(), server.connect());
        String before = http.json("/actuator/poolrepos/refusing").read("$").toString();

        assertRefused("refusing/resize", "{\"maxOpenPerName\": -1}", 400, "maxOpenPerName",
                "maxOpenPerName must be >= 0, was -1. Nothing was changed.");
        assertRefused("refusing/resize", "{\"maxIdlePerName\": 9}", 400, "maxIdlePerName",
                "maxIdlePerName (9) must not exceed maxOpenPerName (4). Nothing was changed.");
        assertRefused("refusing/resize", "{\"maxOpenPerName\": 2, \"maxWaitersPerName\": \"lots\"}", 400,
                "maxWaitersPerName", "maxWaitersPerName must be a whole number, was 'lots'. Nothing was changed.");
        assertRefused("refusing/resize", "{\"acquireTimeout\": \"soon\"}", 400, "acquireTimeout",
                "acquireTimeout must be a duration such as 5s, 500ms or PT5S, was 'soon'. Nothing was changed.");
        assertRefused("refusing/resize", "{\"maxIdleInPool\": 3}", 400, "maxIdleInPool",
                "maxIdleInPool of pool 'refusing' cannot be changed while it runs");
        assertRefused("refusing/resize", "{\"maxOpenInPool\": 3}", 400, "maxOpenInPool",
                "maxOpenInPool of pool 'refusing' cannot be changed while it runs");
        assertRefused("refusing/resize", "{\"maxOpenInPool\": \"many\"}", 400, "maxOpenInPool",
                "maxOpenInPool must be a whole number, was 'many'. Nothing was changed.");
        assertRefused("refusing/resize", "{}", 400, "maxOpenPerName", "Give at least one limit to change");
        assertRefused("refusing/resize", "{\"maxOpenPerName\": 2, \"mode\": \"wait\"}", 400, "mode",
                "Parameter 'mode' does not apply to resize; it takes maxOpenPerName, maxIdlePerName");
        assertRefused("refusing/suspend", "{\"mode\": \"later\"}", 400, "mode",
                "mode must be 'wait' (acquire waits for the resume) or 'fail-fast'");
        assertRefused("refusing/resume", "{\"name\": \"" + server.name() + "\"}", 400, "name",
                "Parameter 'name' does not apply to resume; it takes none");
        assertRefused("refusing/evict", "{\"name\": \"unknown.example:1\"}", 404, "name",
                "Pool 'refusing' has no name 'unknown.example:1'");
        assertRefused("refusing/explode", "{}", 404, "operation",
                "Unknown operation 'explode'. Use one of resize, suspend, resume, evict");
        assertRefused("nope/resize", "{\"maxOpenPerName\": 1}", 404, "pool", "No pool 'nope'. Pools: [");

        DocumentContext after = http.json("/actuator/poolrepos/refusing");
        assertThat(after.read("$").toString()).isEqualTo(before);
        assertThat(after.<Boolean>read("$.suspended")).isFalse();
        assertThat(after.<Integer>read("$.limits.maxOpenPerName")).isEqualTo(4);
        assertThat(after.<List<Object>>read("$.operations")).isEmpty();
        assertThat(refusing.statistics(server.name()).orElseThrow().idle()).isEqualTo(1);
    }

    private void assertRefused(String path, String json, int status, String parameter, String message) {
        HttpResponse<String> response = http.post("/actuator/poolrepos/" + path, json, "dave");
        assertThat(response.statusCode()).as(path + " " + json + ": " + response.body()).isEqualTo(status);
        DocumentContext body = JsonPath.parse(response.body());
        assertThat(body.<String>read("$.parameter")).as(response.body()).isEqualTo(parameter);
        assertThat(body.<String>read("$.message")).as(response.body()).startsWith(message);
    }

    @Test
    void secretsInNamesAndPrincipalsShouldBeMaskedInResponsesAndLogLines(CapturedOutput output) throws IOException {
        String name = "svc:s3cret@" + server.name();
        masking.add(name, server.connect());

        HttpResponse<String> response = http.post("/actuator/poolrepos/masking/evict",
                "{\"name\": \"" + name + "\"}", "ops:hunter2@corp");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        DocumentContext body = JsonPath.parse(response.body());
        assertThat(body.<String>read("$.by")).isEqualTo("****@corp");
        assertThat(body.<String>read("$.change")).contains("'****@" + server.name() + "'");
        HttpResponse<String> refused = http.post("/actuator/poolrepos/masking/evict",
                "{\"name\": \"svc:s3cret@unknown.example:1\"}", "ops:hunter2@corp");
        assertThat(refused.statusCode()).isEqualTo(404);
        // (Leaving out the test's own echo of what it sent, under -Dstarter.it.print=true.)
        String logged = output.getAll().lines().filter(line -> !line.startsWith("$ curl")).toList().toString();
        assertThat(response.body() + refused.body() + http.call("GET", "/actuator/poolrepos/masking").body()
                + logged).doesNotContain("s3cret", "hunter2");
    }
}
