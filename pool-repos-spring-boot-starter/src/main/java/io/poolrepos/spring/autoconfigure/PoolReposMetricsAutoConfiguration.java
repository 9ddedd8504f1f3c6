package io.poolrepos.spring.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.poolrepos.PoolRepository;
import io.poolrepos.spring.metrics.PoolReposMetrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the pools' Micrometer meters, when Micrometer is on the classpath. The binder
 * is a {@link MeterBinder} bean: Boot's metrics auto-configuration binds it to the application's
 * registry, and without a registry it stays unused.
 *
 * <p>Holds no state of its own and is used by Spring only while the context starts: thread-safety does
 * not arise.
 */
@AutoConfiguration(after = PoolReposAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBooleanProperty(name = "pool-repos.enabled", matchIfMissing = true)
@ConditionalOnBean({PoolRepository.class, PoolReposProperties.class})
public final class PoolReposMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PoolReposMetrics poolReposMetrics(PoolRepository poolRepository, PoolReposProperties properties) {
        int maxNames = properties.getMetrics().getMaxNamesPerPool();
        try {
            return new PoolReposMetrics(poolRepository, maxNames, properties.getMetrics().getSemanticConventions());
        } catch (IllegalArgumentException ex) {
            throw new InvalidPoolPropertyException("pool-repos.metrics.max-names-per-pool", maxNames, ex.getMessage(), ex);
        }
    }
}
