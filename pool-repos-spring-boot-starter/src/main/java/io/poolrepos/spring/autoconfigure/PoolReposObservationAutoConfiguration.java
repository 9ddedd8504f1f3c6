package io.poolrepos.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.poolrepos.PoolRepository;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Observations of the configured pools ({@code acquire}, {@code share}, connects) when the application
 * has an {@link ObservationRegistry}, as Boot makes one with actuator. Boot's
 * {@code management.observations.enable.pool.repos=false} turns them off.
 *
 * <p>Holds no state of its own and is used by Spring only while the context starts: thread-safety does
 * not arise.
 */
@AutoConfiguration(before = PoolReposAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ObservationRegistry.class, PoolRepository.class})
@ConditionalOnBooleanProperty(name = "pool-repos.enabled", matchIfMissing = true)
@ConditionalOnBean(ObservationRegistry.class)
public final class PoolReposObservationAutoConfiguration {

    @Bean
    ObservedPools poolReposObservedPools(ObservationRegistry observationRegistry) {
        return new ObservedPools(observationRegistry);
    }
}
