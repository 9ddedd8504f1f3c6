package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;

import io.micrometer.core.instrument.MeterRegistry;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Boot's metrics auto-configuration binds the starter's meters to the application's registry, with the configured cap. */
class PoolReposMetricsAutoConfigurationTests {

    private final EchoServer server = EchoServer.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, PoolReposAutoConfiguration.class,
                    PoolReposMetricsAutoConfiguration.class))
            .withPropertyValues("pool-repos.pools.orders.max-idle-per-name=4");

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void runShouldBindTheMetersToTheApplicationsRegistry() {
        runner.run(context -> {
            ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
            orders.add(server.name(), server.connect());

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("pool.repos.connections.idle").tags("pool", "orders", "name", server.name())
                    .gauge().value()).isEqualTo(1);
        });
    }

    @Test
    void runWithNameCapShouldFoldFurtherNamesIntoOther() {
        runner.withPropertyValues("pool-repos.metrics.max-names-per-pool=1").run(context -> {
            ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
            orders.add("first:1", server.connect());
            orders.add("second:1", server.connect());
            orders.add("third:1", server.connect());

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("pool.repos.connections.idle").tag("pool", "orders").gauges())
                    .extracting(g -> g.getId().getTag("name")).containsExactlyInAnyOrder("first:1", "other");
            assertThat(registry.get("pool.repos.connections.idle").tags("name", "other").gauge().value())
                    .isEqualTo(2);
        });
    }

    @Test
    void runWithNameCapZeroShouldFoldEveryNameIntoOtherAndCountNamesFromTheStart() {
        runner.withPropertyValues("pool-repos.metrics.max-names-per-pool=0").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("pool.repos.names").tags("pool", "orders").gauge().value()).as("no name yet")
                    .isZero();
            ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
            orders.add("first:1", server.connect());

            assertThat(registry.find("pool.repos.connections.idle").tag("pool", "orders").gauges())
                    .extracting(g -> g.getId().getTag("name")).containsExactly("other");
            assertThat(registry.get("pool.repos.names").tags("pool", "orders").gauge().value()).isEqualTo(1);
        });
    }

    @Test
    void runWithOtelConventionsShouldBindOnlyOpenTelemetrysMeters() {
        runner.withPropertyValues("pool-repos.metrics.semantic-conventions=otel").run(context -> {
            ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
            orders.add(server.name(), server.connect());

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("db.client.connection.count").tags("db.client.connection.pool.name", "orders",
                    "pool.repos.name", server.name(), "db.client.connection.state", "idle").gauge().value()).isEqualTo(1);
            assertThat(registry.find("pool.repos.connections.idle").meters()).isEmpty();
        });
    }

    @Test
    void runWithBothConventionsShouldBindBothSets() {
        runner.withPropertyValues("pool-repos.metrics.semantic-conventions=both").run(context -> {
            ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
            orders.add(server.name(), server.connect());

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("db.client.connection.count").gauges()).hasSize(2);
            assertThat(registry.get("pool.repos.connections.idle").tags("pool", "orders", "name", server.name())
                    .gauge().value()).isEqualTo(1);
        });
    }

    @Test
    void runWithAnUnknownConventionShouldFailNamingThePropertyAndChangeNothing() {
        runner.withPropertyValues("pool-repos.metrics.semantic-conventions=otle").run(context -> {
            assertThat(context).hasFailed();
            assertThat(StartupReport.of(context.getStartupFailure())).contains(
                    "pool-repos.metrics.semantic-conventions", "otle", "POOL_REPOS", "OTEL", "BOTH");
        });
    }
}
