package io.poolrepos.spring.autoconfigure;

import io.poolrepos.PoolRepository;
import io.poolrepos.spring.actuate.PoolReposHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code poolRepos} health contributor, when spring-boot-health is on the
 * classpath; {@code management.health.poolrepos.enabled=false} switches it off.
 *
 * <p>Holds no state of its own and is used by Spring only while the context starts: thread-safety does
 * not arise.
 */
@AutoConfiguration(after = PoolReposAutoConfiguration.class)
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBooleanProperty(name = "pool-repos.enabled", matchIfMissing = true)
@ConditionalOnBean(PoolRepository.class)
public final class PoolReposHealthContributorAutoConfiguration {

    // On the method, not the class: the condition's class exists only with spring-boot-health, and
    // method conditions are not loaded unless the class-level @ConditionalOnClass matched.
    @Bean
    @ConditionalOnEnabledHealthIndicator("poolrepos")
    @ConditionalOnMissingBean(name = "poolReposHealthIndicator")
    PoolReposHealthIndicator poolReposHealthIndicator(PoolRepository poolRepository,
            org.springframework.beans.factory.ObjectProvider<io.poolrepos.spring.autoconfigure.StartupWarmUp> warmUp) {
        return new PoolReposHealthIndicator(poolRepository, warmUp.getIfAvailable());
    }
}
