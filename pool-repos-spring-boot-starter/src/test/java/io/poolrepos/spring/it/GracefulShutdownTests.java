package io.poolrepos.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.poolrepos.AddResult;
import io.poolrepos.ConnectionFactory;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolClosedException;
import io.poolrepos.PoolRepository;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.spring.lifecycleapp.HoldingController;
import io.poolrepos.spring.lifecycleapp.LifecycleTestApplication;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the application context drains the repository with {@code pool-repos.shutdown-timeout}:
 * after the web server has finished its requests, callers are told the repository is shutting down,
 * loans given back in time are closed, and loans still out at the timeout are closed under their
 * holders and logged with masked names.
 */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownTests {

    private final EchoServer server = EchoServer.start();
    /** A name with user info, which every line must show masked; the factory connects to the server. */
    private final String secretName = "app:s3cret@" + server.name();
    private final ConnectionFactory<Socket> stripsUserInfo = name -> server.connect();

    @AfterEach
    void stopServer() {
        server.close();
    }

    private ConfigurableApplicationContext start(String shutdownTimeout) {
        return new SpringApplicationBuilder(PoolReposTestApplication.class).web(WebApplicationType.NONE)
                .initializers(context -> context.getBeanFactory().registerSingleton("orders", stripsUserInfo))
                .properties("pool-repos.pools.orders.max-open-per-name=8", "pool-repos.shutdown-timeout=" + shutdownTimeout)
                .run();
    }

    @Test
    void loansStillOutWhenTheShutdownTimeoutPassesAreClosedUnderTheirHoldersAndLogged(CapturedOutput output) {
        ConfigurableApplicationContext context = start("300ms");
        ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
        Socket idle = orders.acquire(secretName);
        Socket first = orders.acquire(secretName);
        Socket second = orders.acquire(secretName);
        orders.add(secretName, idle);

        context.close();

        assertThat(first.isClosed()).isTrue();
        assertThat(second.isClosed()).isTrue();
        assertThat(idle.isClosed()).isTrue();
        assertThat(output).contains("Shutting down the pool repository: waiting up to PT0.3S "
                + "(pool-repos.shutdown-timeout) for 2 connection(s) on loan or shared to come back")
                .contains("Pool 'orders': 2 connection(s) still out when the shutdown timeout (PT0.3S) passed were "
                        + "closed under their holders: ****@" + server.name() + " (2 on loan, 0 shared)")
                .doesNotContain("s3cret");
        // Their holders give them back late: closed and counted, nothing thrown.
        assertThat(orders.add(secretName, first)).isEqualTo(AddResult.CLOSED_POOL_CLOSED);
        orders.discard(secretName, second);
        assertThat(orders.totals().inUse()).isZero();
    }

    @Test
    void loansGivenBackInTimeAreClosedCleanlyAndCallersMeanwhileAreToldTheRepositoryIsShuttingDown(
            CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = start("30s");
        PoolRepository repository = context.getBean(PoolRepository.class);
        ConnectionPool<Socket> orders = repository.require("orders", Socket.class);
        Socket loan = orders.acquire(secretName);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
        await().atMost(10, TimeUnit.SECONDS).until(repository::isClosed);

        assertThatThrownBy(() -> orders.acquire(secretName)).isInstanceOf(PoolClosedException.class)
                .hasMessage("Pool 'orders' is shutting down: it hands out no connections any more. Connections on "
                        + "loan are closed as they come back, and those still out after the shutdown timeout (PT30S) "
                        + "are closed under their holders.");
        assertThat(closing).isNotDone();
        assertThat(orders.add(secretName, loan)).isEqualTo(AddResult.CLOSED_POOL_CLOSED);
        closing.get(20, TimeUnit.SECONDS);

        assertThat(loan.isClosed()).isTrue();
        assertThat(output).contains("Pool repository shut down cleanly: every connection came back within")
                .doesNotContain("closed under their holders").doesNotContain("s3cret");
    }

    @Test
    void theRepositoryDrainsOnlyAfterTheWebServerHasFinishedTheRequestsInFlight(CapturedOutput output) throws Exception {
        HoldingController.holding = new CountDownLatch(1);
        HoldingController.release = new CountDownLatch(1);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LifecycleTestApplication.class)
                .listeners(event -> {
                    if (event instanceof WebServerInitializedEvent initialized) {
                        port.complete(initialized.getWebServer().getPort());
                    }
                })
                .properties("server.port=0", "server.address=127.0.0.1", "server.shutdown=graceful",
                        "pool-repos.pools.orders.connect=tcp", "pool-repos.shutdown-timeout=10s")
                .run();
        HttpSupport http = new HttpSupport(port.get(30, TimeUnit.SECONDS));
        PoolRepository repository = context.getBean(PoolRepository.class);
        CompletableFuture<HttpResponse<String>> request = CompletableFuture.supplyAsync(
                () -> http.call("GET", "/hold?name=" + server.name()));
        assertThat(HoldingController.holding.await(20, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
        // Graceful shutdown has begun once the server takes no new request; the request in flight still
        // holds its connection, and the repository must still be open for it.
        await().atMost(20, TimeUnit.SECONDS).until(() -> refusesNewRequests(http));
        assertThat(repository.isClosed()).isFalse();
        HoldingController.release.countDown();

        HttpResponse<String> response = request.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("POOLED");
        closing.get(30, TimeUnit.SECONDS);
        assertThat(repository.isClosed()).isTrue();
        assertThat(repository.require("orders", Socket.class).totals().idle()).isZero();
        assertThat(output).doesNotContain("closed under their holders");
    }

    private static boolean refusesNewRequests(HttpSupport http) {
        try {
            return http.call("GET", "/actuator/health").statusCode() == 503;
        } catch (UncheckedIOException refused) {
            return true;
        }
    }
}
