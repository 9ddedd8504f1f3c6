package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every kind of bad configuration fails start-up, and the report Boot prints names the property, the
 * value and the reason. Each value is checked once, by the core (the metrics cap by the metrics
 * binder), and reported by {@link PoolReposConfigurationFailureAnalyzer}, whether or not the
 * application has a bean validator.
 */
class PoolReposBadConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolReposAutoConfiguration.class));

    /** Hides the bean validation API, as in an application without spring-boot-starter-validation. */
    private final ApplicationContextRunner runnerWithoutValidator = runner
            .withClassLoader(new FilteredClassLoader("jakarta.validation"));

    private String reportFor(ApplicationContextRunner runner, String... properties) {
        String[] report = new String[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            report[0] = StartupReport.of(context.getStartupFailure());
        });
        return report[0];
    }

    @Test
    void runWithNegativeLimitShouldReportPropertyValueAndReason() {
        String report = reportFor(runner, "pool-repos.pools.orders.max-idle-per-name=-1");
        // The core checks every limit once; the report names the property as the user wrote it.
        assertThat(report).contains("Property: pool-repos.pools.orders.max-idle-per-name", "Value: \"-1\"",
                "Reason: maxIdlePerName must be >= 0, was -1");
    }

    @Test
    void runWithNegativeLimitAndNoValidatorShouldReportTheCoreCheck() {
        String report = reportFor(runnerWithoutValidator, "pool-repos.pools.orders.max-idle-per-name=-1");
        assertThat(report).contains("Property: pool-repos.pools.orders.max-idle-per-name", "Value: \"-1\"",
                "Reason: maxIdlePerName must be >= 0, was -1");
    }

    @Test
    void runWithNegativePoolOpenLimitShouldReportThePropertyAndChangeNothing() {
        String report = reportFor(runnerWithoutValidator, "pool-repos.pools.orders.max-open-in-pool=-3");
        assertThat(report).contains("Property: pool-repos.pools.orders.max-open-in-pool", "Value: \"-3\"",
                "Reason: maxOpenInPool must be >= 0, was -3");
    }

    @Test
    void runWithBadValueInAPoolWhoseNameIsNotPlainShouldNameItsPropertyWithBrackets() {
        // The form the user must write for such a key, so that the report can be pasted back.
        String report = reportFor(runnerWithoutValidator, "pool-repos.pools[eu.orders].max-idle-per-name=-1");
        assertThat(report).contains("Property: pool-repos.pools[eu.orders].max-idle-per-name", "Value: \"-1\"");
    }

    @Test
    void runWithMaxIdleAboveMaxOpenShouldReportBothLimits() {
        String report = reportFor(runner, "pool-repos.pools.orders.max-idle-per-name=20",
                "pool-repos.pools.orders.max-open-per-name=16");
        assertThat(report).contains("Property: pool-repos.pools.orders.max-idle-per-name", "Value: \"20\"",
                "Reason: maxIdlePerName (20) must not exceed maxOpenPerName (16)");
    }

    @Test
    void runWithMaxOpenBelowTheDefaultMaxIdleShouldLowerMaxIdleInsteadOfFailing() {
        runner.withPropertyValues("pool-repos.pools.orders.max-open-per-name=4").run(context -> {
            assertThat(context).hasNotFailed();
            PoolSettings settings = context.getBean(PoolRepository.class).find("orders").orElseThrow().settings();
            assertThat(settings.maxOpenPerName()).isEqualTo(4);
            assertThat(settings.maxIdlePerName()).isEqualTo(4);
        });
    }

    @Test
    void runWithBadValueInDefaultsShouldNameTheDefaultsProperty() {
        String report = reportFor(runnerWithoutValidator, "pool-repos.defaults.max-names=0",
                "pool-repos.pools.orders.sharable=true");
        assertThat(report).contains("Property: pool-repos.defaults.max-names", "Value: \"0\"",
                "Reason: maxNames must be >= 1, was 0");
    }

    @Test
    void runWithNegativeDurationShouldReportIt() {
        String report = reportFor(runner, "pool-repos.pools.orders.idle-timeout=-5s");
        assertThat(report).contains("Property: pool-repos.pools.orders.idle-timeout", "Value: \"PT-5S\"",
                "Reason: idleTimeout must not be negative, was PT-5S");
    }

    @Test
    void runWithNegativeProbeAfterIdleShouldReportIt() {
        String report = reportFor(runner, "pool-repos.pools.orders.probe-after-idle=-1s");
        assertThat(report).contains("Property: pool-repos.pools.orders.probe-after-idle", "Value: \"PT-1S\"",
                "Reason: probeAfterIdle must not be negative, was PT-1S");
    }

    @Test
    void runWithWarmUpNamesButNoFactoryShouldSayWarmUpNeedsOne() {
        String report = reportFor(runner, "pool-repos.pools.orders.min-idle-per-name=1",
                "pool-repos.pools.orders.warm-up-names=app:s3cret@db:5432");
        assertThat(report).contains("Property: pool-repos.pools.orders.warm-up-names", "Value: \"[****@db:5432]\"",
                "Reason: warm-up opens connections with the pool's factory, and this pool has none; set connect "
                        + "(tcp, tls or unix), or define a ConnectionFactory bean qualified @Qualifier(\"orders\")")
                .doesNotContain("s3cret");
    }

    @Test
    void runWithWarmUpNamesButNoMinIdleShouldNameBothProperties() {
        String report = reportFor(runner, "pool-repos.pools.orders.connect=tcp",
                "pool-repos.pools.orders.warm-up-names=db:5432");
        assertThat(report).contains("Property: pool-repos.pools.orders.warm-up-names", "Value: \"[db:5432]\"",
                "Reason: warm-up keeps min-idle-per-name idle connections per name, and that is 0 here; set "
                        + "pool-repos.pools.orders.min-idle-per-name to 1 or more, or remove warm-up-names");
    }

    @Test
    void runWithBlankWarmUpNameShouldReportIt() {
        String report = reportFor(runner, "pool-repos.pools.orders.connect=tcp", "pool-repos.pools.orders.min-idle-per-name=1",
                "pool-repos.pools.orders.warm-up-names[0]=db:5432", "pool-repos.pools.orders.warm-up-names[1]= ");
        assertThat(report).contains("Property: pool-repos.pools.orders.warm-up-names",
                "Reason: warm-up names must not be blank");
    }

    @Test
    void runWithMinIdleAboveMaxIdleShouldReportBothLimits() {
        String report = reportFor(runner, "pool-repos.pools.orders.min-idle-per-name=9");
        assertThat(report).contains("Property: pool-repos.pools.orders.min-idle-per-name", "Value: \"9\"",
                "Reason: minIdlePerName (9) must not exceed maxIdlePerName (8): warm-up keeps idle connections");
    }

    @Test
    void runWithNegativeWarmUpOrShutdownTimeoutShouldReportIt() {
        assertThat(reportFor(runner, "pool-repos.warm-up-timeout=-1s")).contains("Property: pool-repos.warm-up-timeout",
                "Value: \"PT-1S\"", "Reason: must not be negative (zero reports ready without waiting for the warm-up)");
        assertThat(reportFor(runner, "pool-repos.shutdown-timeout=-1s")).contains("Property: pool-repos.shutdown-timeout",
                "Value: \"PT-1S\"", "Reason: must not be negative (zero closes connections still on loan at once)");
    }

    @Test
    void runWithUnknownConnectKindShouldListTheValidKinds() {
        String report = reportFor(runner, "pool-repos.pools.orders.connect=udp");
        assertThat(report).contains("pool-repos.pools.orders.connect", "udp", "NONE", "TCP");
    }

    @Test
    void runWithTcpConnectOnSocketChannelPoolShouldExplainTheMismatch() {
        String report = reportFor(runner, "pool-repos.pools.feed.connection-type=socket-channel",
                "pool-repos.pools.feed.connect=tcp");
        assertThat(report).contains("Property: pool-repos.pools.feed.connect", "Value: \"tcp\"",
                "the built-in TCP factory opens java.net.Socket connections but the pool holds "
                        + "java.nio.channels.SocketChannel");
    }

    @Test
    void runWithBlankPoolNameShouldReportIt() {
        String report = reportFor(runner, "pool-repos.pools[ ].sharable=true");
        assertThat(report).contains("Property: pool-repos.pools\n", "Value: \" \"",
                "Reason: pool names must not be blank");
    }

    @Test
    void runWithZeroConnectTimeoutShouldReportTheCoreReason() {
        String report = reportFor(runner, "pool-repos.pools.orders.connect=tcp",
                "pool-repos.pools.orders.connect-timeout=0s");
        assertThat(report).contains("Property: pool-repos.pools.orders.connect-timeout", "Value: \"PT0S\"",
                "connectTimeout must be positive");
    }

    @Test
    void runWithNegativeMetricsCapShouldReportIt() {
        String report = reportFor(runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, PoolReposMetricsAutoConfiguration.class)),
                "pool-repos.metrics.max-names-per-pool=-1");
        assertThat(report).contains("Property: pool-repos.metrics.max-names-per-pool", "Value: \"-1\"",
                "Reason: maxNamesPerPool must be >= 0, was -1");
    }

    @Test
    void runWithUserRepositoryHoldingAConflictingPoolShouldSayHowToFixIt() {
        String report = reportFor(runner.withUserConfiguration(RepositoryWithOrdersPool.class),
                "pool-repos.pools.orders.max-idle-per-name=4");
        assertThat(report).contains("Pool 'orders' already exists with different settings: maxIdlePerName (8 vs 4)",
                "Make the settings under pool-repos.pools.orders.* match the pool that already exists");
    }

    @Configuration(proxyBeanMethods = false)
    static class RepositoryWithOrdersPool {

        @Bean(destroyMethod = "close")
        PoolRepository poolRepository() {
            PoolRepository repository = PoolRepository.create();
            repository.pool("orders", ConnectionAdapter.sockets(), PoolSettings.defaults());
            return repository;
        }
    }
}
