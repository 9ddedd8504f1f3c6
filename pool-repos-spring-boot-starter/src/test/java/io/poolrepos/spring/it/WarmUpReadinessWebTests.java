package io.poolrepos.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.poolrepos.ConnectionFactory;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.Statistics;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start-up warm-up over real HTTP: {@code /actuator/health/readiness} answers 503 while the configured
 * {@code warm-up-names} are not warm (liveness is UP all along) and 200 once they are, with the pool
 * holding {@code min-idle-per-name} idle connections; against a dead backend the application reports
 * ready at {@code warm-up-timeout}, logs the names not warm, and the health contributor lists them.
 */
@ExtendWith(OutputCaptureExtension.class)
class WarmUpReadinessWebTests {

    private final EchoServer server = EchoServer.start();
    private final TcpConnectionFactory tcp = TcpConnectionFactory.create();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private ConfigurableApplicationContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        server.close();
    }

    /** The application on a free port, with {@code factory} opening the connections of pool "orders". */
    private SpringApplicationBuilder application(ConnectionFactory<Socket> factory, String... properties) {
        return new SpringApplicationBuilder(PoolReposTestApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("orders", factory))
                .listeners(event -> {
                    if (event instanceof WebServerInitializedEvent initialized) {
                        port.complete(initialized.getWebServer().getPort());
                    }
                })
                .properties("server.port=0", "server.address=127.0.0.1", "management.endpoint.health.probes.enabled=true",
                        "management.endpoint.health.show-details=always", "pool-repos.pools.orders.min-idle-per-name=2")
                .properties(properties);
    }

    private static DocumentContext health(HttpSupport http) {
        // 503 while the application is not ready or a contributor is down: the body is read either way.
        return JsonPath.parse(http.call("GET", "/actuator/health").body());
    }

    @Test
    void readinessWaitsForTheWarmUpAndFollowsItOnceTheNamesAreWarm(CapturedOutput output) throws Exception {
        CountDownLatch backendReady = new CountDownLatch(1);
        ConnectionFactory<Socket> gated = name -> {
            try {
                backendReady.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return tcp.connect(name);
        };
        CompletableFuture<ConfigurableApplicationContext> started = CompletableFuture.supplyAsync(() ->
                application(gated, "pool-repos.pools.orders.warm-up-names=" + server.name(),
                        "pool-repos.warm-up-timeout=60s").run());
        HttpSupport http = new HttpSupport(port.get(30, TimeUnit.SECONDS));

        assertThat(http.call("GET", "/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(http.call("GET", "/actuator/health/liveness").statusCode()).isEqualTo(200);
        Map<String, Object> warming = health(http).read("$.components.poolRepos.details.pools.orders.warmUp");
        assertThat(warming).containsEntry("state", "WARMING").containsEntry("names", 1).containsEntry("warm", 0)
                .containsEntry("notWarm", Map.of(server.name(), "connecting"));
        assertThat(started).isNotDone();

        backendReady.countDown();
        context = started.get(30, TimeUnit.SECONDS);

        assertThat(http.call("GET", "/actuator/health/readiness").statusCode()).isEqualTo(200);
        Map<String, Object> warm = health(http).read("$.components.poolRepos.details.pools.orders.warmUp");
        assertThat(warm).containsEntry("state", "WARM").containsEntry("warm", 1).containsEntry("notWarm", Map.of());
        ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
        assertThat(orders.statistics(server.name()).orElseThrow().idle()).isEqualTo(2);
        assertThat(orders.totals().created()).isEqualTo(2);
        assertThat(output).contains("Warming up pool 'orders': [" + server.name() + "] (warm-up-timeout PT1M)",
                "Warm-up complete: pool 'orders': [" + server.name() + "]");
    }

    @Test
    void aDeadBackendHoldsReadinessOnlyUntilTheWarmUpTimeoutAndHealthListsTheNamesNotWarm(CapturedOutput output)
            throws Exception {
        int deadPort;
        try (ServerSocket unused = new ServerSocket(0)) {
            deadPort = unused.getLocalPort();
        }
        String deadName = "app:s3cret@127.0.0.1:" + deadPort;
        String maskedName = "****@127.0.0.1:" + deadPort;
        ConnectionFactory<Socket> stripsUserInfo = name -> tcp.connect(name.substring(name.indexOf('@') + 1));
        long start = System.nanoTime();

        context = application(stripsUserInfo, "pool-repos.pools.orders.warm-up-names=" + server.name() + "," + deadName,
                "pool-repos.warm-up-timeout=1s", "pool-repos.pools.orders.connect-backoff=200ms").run();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        HttpSupport http = new HttpSupport(port.get());
        assertThat(http.call("GET", "/actuator/health/readiness").statusCode()).isEqualTo(200);
        DocumentContext health = health(http);
        Map<String, Object> warmUp = health.read("$.components.poolRepos.details.pools.orders.warmUp");
        assertThat(warmUp).containsEntry("state", "TIMED_OUT").containsEntry("names", 2).containsEntry("warm", 1);
        @SuppressWarnings("unchecked")
        Map<String, String> notWarm = (Map<String, String>) warmUp.get("notWarm");
        assertThat(notWarm).containsOnlyKeys(maskedName);
        assertThat(notWarm.get(maskedName)).startsWith("Pool 'orders', name '" + maskedName + "': could not open a connection")
                .contains("Connection refused");
        // Every connect since the application started failed for that name, but the other name's
        // succeeded: the pool stays UP by the connect rule, and warm-up changes no status.
        assertThat((String) health.read("$.components.poolRepos.status")).isEqualTo("UP");
        assertThat(output).contains("Warm-up did not complete within warm-up-timeout (PT1S); reporting ready anyway. "
                + "Not warm: pool 'orders': [" + maskedName + "]").doesNotContain("s3cret");
        Statistics totals = context.getBean(PoolRepository.class).require("orders", Socket.class).totals();
        assertThat(totals.connectFailures()).isBetween(1L, 2 + elapsedMs / 100);
        HttpResponse<String> body = http.call("GET", "/actuator/health");
        assertThat(body.body()).doesNotContain("s3cret");
    }
}
