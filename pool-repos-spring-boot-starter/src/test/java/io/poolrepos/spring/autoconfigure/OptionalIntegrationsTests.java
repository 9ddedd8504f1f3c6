package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.spring.actuate.PoolReposEndpoint;
import io.poolrepos.spring.actuate.PoolReposEndpointWebExtension;
import io.poolrepos.spring.actuate.PoolReposHealthIndicator;
import io.poolrepos.spring.metrics.PoolReposMetrics;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Actuator, health and Micrometer are optional: each integration appears with its classes and backs off without. */
class OptionalIntegrationsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolReposAutoConfiguration.class,
                    PoolReposEndpointAutoConfiguration.class, PoolReposHealthContributorAutoConfiguration.class,
                    PoolReposMetricsAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=poolrepos",
                    "pool-repos.pools.orders.sharable=true");

    @Test
    void runWithEveryIntegrationOnTheClasspathShouldCreateEndpointHealthAndMetrics() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(PoolReposEndpoint.class);
            assertThat(context).hasSingleBean(PoolReposEndpointWebExtension.class);
            assertThat(context).hasSingleBean(PoolReposHealthIndicator.class);
            assertThat(context).hasBean("poolReposHealthIndicator");
            assertThat(context).hasSingleBean(PoolReposMetrics.class);
        });
    }

    @Test
    void runWithoutActuatorShouldKeepThePoolsAndCreateNoEndpoint() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ConnectionPool.class);
            assertThat(context).doesNotHaveBean(PoolReposEndpoint.class);
        });
    }

    @Test
    void runWithoutSpringBootHealthShouldCreateNoHealthIndicator() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(PoolRepository.class);
            assertThat(context).doesNotHaveBean(PoolReposHealthIndicator.class);
        });
    }

    @Test
    void runWithoutMicrometerShouldCreateNoMeterBinder() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(PoolRepository.class);
            assertThat(context).doesNotHaveBean(PoolReposMetrics.class);
        });
    }

    @Test
    void runWithoutAnyOptionalIntegrationShouldStillCreateThePools() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                "org.springframework.boot.health", "io.micrometer", "jakarta.validation")).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(PoolRepository.class).find("orders")).isPresent();
                    assertThat(context).doesNotHaveBean(PoolReposEndpoint.class);
                    assertThat(context).doesNotHaveBean(PoolReposHealthIndicator.class);
                    assertThat(context).doesNotHaveBean(PoolReposMetrics.class);
                });
    }

    @Test
    void runWithEndpointNotExposedShouldCreateNoEndpoint() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=health").run(context ->
                assertThat(context).doesNotHaveBean(PoolReposEndpoint.class));
    }

    @Test
    void runWithHealthIndicatorSwitchedOffShouldCreateNone() {
        runner.withPropertyValues("management.health.poolrepos.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(PoolReposHealthIndicator.class));
    }

    @Test
    void runWithEnabledFalseShouldCreateNoIntegrationEvenForAUserRepository() {
        runner.withPropertyValues("pool-repos.enabled=false")
                .withBean(PoolRepository.class, PoolRepository::create)
                .run(context -> {
                    assertThat(context).hasSingleBean(PoolRepository.class);
                    assertThat(context).doesNotHaveBean(PoolReposEndpoint.class);
                    assertThat(context).doesNotHaveBean(PoolReposHealthIndicator.class);
                    assertThat(context).doesNotHaveBean(PoolReposMetrics.class);
                });
    }
}
