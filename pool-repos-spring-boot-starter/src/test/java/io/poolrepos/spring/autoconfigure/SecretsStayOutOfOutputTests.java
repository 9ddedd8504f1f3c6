package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.poolrepos.AcquireTimeoutException;
import io.poolrepos.ConnectFailedException;
import io.poolrepos.ConnectionFactory;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.WaiterLimitExceededException;
import io.poolrepos.spring.actuate.PoolReposEndpoint;
import io.poolrepos.spring.actuate.PoolReposHealthIndicator;
import io.poolrepos.spring.metrics.PoolReposMetrics;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A secret in a pool name or in a connection name ({@code user:secret@host}) reaches no log line, no
 * exception message and no start-up report of the starter's failure paths, nor the endpoint, health
 * or meters. Pool names with user info are used only where the starter writes the text: the core's own
 * messages show pool names as they are (connection names it masks itself, which is checked here too).
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsStayOutOfOutputTests {

    private static final String SECRET = "s3cr3t";
    private static final String SECRET_POOL = "user:" + SECRET + "@db";

    private final List<Throwable> failures = new ArrayList<>();
    private final EchoServer server = EchoServer.start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    private void startFailing(Class<?> configuration, Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>(properties);
        all.put("spring.main.banner-mode", "off");
        Throwable failure = catchThrowable(new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
                .properties(all)::run);
        assertThat(failure).isNotNull();
        failures.add(failure);
    }

    @Test
    void startUpFailuresShouldShowPoolNamesMasked(CapturedOutput output) {
        startFailing(Starter.class, Map.of("pool-repos.pools[" + SECRET_POOL + "].max-idle-per-name", "-1"));
        startFailing(Starter.class, Map.of("pool-repos.pools[" + SECRET_POOL + "].shareable", "true"));
        startFailing(Starter.class, Map.of("pool-repos.pools." + SECRET_POOL + ".sharable", "true"));
        startFailing(Starter.class, Map.of("pool-repos.pools[" + SECRET_POOL + "].connection-type", "socket-channel",
                "pool-repos.pools[" + SECRET_POOL + "].connect", "tcp"));
        startFailing(UnqualifiedUser.class, Map.of("pool-repos.pools[" + SECRET_POOL + "].sharable", "true",
                "pool-repos.pools.orders.sharable", "true"));

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "pool-repos.pools[****@db]",
                "****@dbConnectionPool").doesNotContain(SECRET);
        assertNoMessageHasTheSecret();
    }

    @Test
    void runtimeFailuresEndpointHealthAndMetersShouldShowNamesMasked(CapturedOutput output) throws Exception {
        String up = "user:" + SECRET + "@" + server.name();
        String down = "user:" + SECRET + "@127.0.0.1:1";
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Runtime.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "pool-repos.housekeeping-period=20ms",
                        "pool-repos.pools.orders.max-open-per-name=1", "pool-repos.pools.orders.max-waiters-per-name=0",
                        "pool-repos.pools.orders.leak-detection-threshold=50ms",
                        "pool-repos.pools.quotes.max-open-per-name=1", "pool-repos.pools.quotes.acquire-timeout=20ms")
                .run()) {
            @SuppressWarnings("unchecked")
            ConnectionPool<Socket> orders = context.getBean("ordersConnectionPool", ConnectionPool.class);
            @SuppressWarnings("unchecked")
            ConnectionPool<Socket> quotes = context.getBean("quotesConnectionPool", ConnectionPool.class);
            Socket held = orders.acquire(up);
            failures.add(catchThrowable(() -> orders.acquire(up)));
            failures.add(catchThrowable(() -> orders.acquire(down)));
            Socket quote = quotes.acquire(up);
            failures.add(catchThrowable(() -> quotes.acquire(up)));
            quotes.add(up, quote);
            assertThat(failures).hasOnlyElementsOfTypes(AcquireTimeoutException.class, WaiterLimitExceededException.class,
                    ConnectFailedException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("Possible connection leak"));

            PoolRepository repository = context.getBean(PoolRepository.class);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new PoolReposMetrics(repository, 100).bindTo(registry);
            String shown = new PoolReposEndpoint(repository).pool("orders") + " "
                    + new PoolReposEndpoint(repository).name("orders", up.split("/")) + " "
                    + new PoolReposHealthIndicator(repository).health(true) + " " + registry.getMetersAsString();
            assertThat(shown).contains("****@" + server.name()).doesNotContain(SECRET);
            orders.add(up, held);
        }
        assertThat(output.getAll()).contains("****@" + server.name()).doesNotContain(SECRET);
        assertNoMessageHasTheSecret();
    }

    private void assertNoMessageHasTheSecret() {
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getName())
                        .doesNotContain(SECRET);
                for (Throwable suppressed : t.getSuppressed()) {
                    assertThat(String.valueOf(suppressed.getMessage())).doesNotContain(SECRET);
                }
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PoolReposAutoConfiguration.class)
    static class Starter {
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PoolReposAutoConfiguration.class)
    static class UnqualifiedUser {

        @Bean
        String unqualified(ConnectionPool<Socket> pool) {
            return pool.poolName();
        }
    }

    /** Opens sockets to the part of a name after its user info, as a factory for such names must. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PoolReposAutoConfiguration.class)
    static class Runtime {

        @Bean
        @Qualifier("orders")
        ConnectionFactory<Socket> ordersFactory() {
            return Runtime::connect;
        }

        @Bean
        @Qualifier("quotes")
        ConnectionFactory<Socket> quotesFactory() {
            return Runtime::connect;
        }

        private static Socket connect(String name) throws IOException {
            String hostPort = name.substring(name.lastIndexOf('@') + 1);
            int colon = hostPort.lastIndexOf(':');
            return new Socket(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        }
    }
}
