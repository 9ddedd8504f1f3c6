package io.poolrepos.spring.autoconfigure;

import java.time.Duration;

import io.poolrepos.InvalidArgumentException;
import io.poolrepos.PoolRepository;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of a {@link PoolRepository} and of one {@code ConnectionPool} bean per pool of
 * {@code pool-repos.pools}. Switched off by {@code pool-repos.enabled=false}; a user's own
 * {@code PoolRepository} bean replaces the one made here, and the configured pools are created in it.
 *
 * <p>Holds no state of its own and is used by Spring only while the context starts: thread-safety does
 * not arise.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(PoolRepository.class)
@ConditionalOnBooleanProperty(name = "pool-repos.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PoolReposProperties.class)
@Import(ConnectionPoolBeanRegistrar.class)
@ImportRuntimeHints(PoolReposRuntimeHints.class)
public final class PoolReposAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    PoolRepository poolRepository(PoolReposProperties properties) {
        try {
            return PoolRepository.builder().housekeepingPeriod(properties.getHousekeepingPeriod()).build();
        } catch (InvalidArgumentException ex) {
            throw new InvalidPoolPropertyException("pool-repos.housekeeping-period",
                    properties.getHousekeepingPeriod(), ex.getMessage(), ex);
        }
    }

    /** Checks the names under pool-repos before any bean is created (see {@link PropertyNameCheck}). */
    @Bean
    static PropertyNameCheck poolReposPropertyNameCheck(Environment environment) {
        return new PropertyNameCheck(environment);
    }

    @Bean(ConfiguredPools.BEAN_NAME)
    ConfiguredPools poolReposConfiguredPools(PoolRepository poolRepository, PoolReposProperties properties,
            ListableBeanFactory beanFactory, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<ObservedPools> observedPools) {
        return new ConfiguredPools(poolRepository, properties, beanFactory, sslBundles.getIfAvailable(),
                observedPools.getIfAvailable());
    }

    @Bean
    StartupWarmUp poolReposStartupWarmUp(ConfiguredPools configuredPools, PoolReposProperties properties) {
        return new StartupWarmUp(configuredPools.warmUpNames(), configuredPools::pool,
                notNegative(properties.getWarmUpTimeout(), "pool-repos.warm-up-timeout",
                        "zero reports ready without waiting for the warm-up"));
    }

    @Bean
    PoolReposLifecycle poolReposLifecycle(PoolRepository poolRepository, StartupWarmUp startupWarmUp,
            PoolReposProperties properties) {
        return new PoolReposLifecycle(poolRepository, startupWarmUp, notNegative(properties.getShutdownTimeout(),
                "pool-repos.shutdown-timeout", "zero closes connections still on loan at once"));
    }

    @Bean
    WarmUpReadiness poolReposWarmUpReadiness(StartupWarmUp startupWarmUp) {
        return new WarmUpReadiness(startupWarmUp);
    }

    private static Duration notNegative(Duration value, String property, String zeroMeans) {
        if (value == null || value.isNegative()) {
            throw new InvalidPoolPropertyException(property, value, "must not be negative (" + zeroMeans
                    + "); write a duration such as 10s", null);
        }
        return value;
    }
}
