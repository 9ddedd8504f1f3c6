package io.poolrepos.spring.autoconfigure;

import io.poolrepos.PoolRepository;
import io.poolrepos.spring.actuate.PoolReposEndpoint;
import io.poolrepos.spring.actuate.PoolReposEndpointWebExtension;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code poolrepos} actuator endpoint, when actuator is on the classpath and
 * the endpoint is available (exposed and not switched off).
 *
 * <p>Holds no state of its own and is used by Spring only while the context starts: thread-safety does
 * not arise.
 */
@AutoConfiguration(after = PoolReposAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBooleanProperty(name = "pool-repos.enabled", matchIfMissing = true)
@ConditionalOnBean(PoolRepository.class)
public final class PoolReposEndpointAutoConfiguration {

    // On the methods, not the class: the condition's class exists only with actuator, and method
    // conditions are not loaded unless the class-level @ConditionalOnClass matched.
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    PoolReposEndpoint poolReposEndpoint(PoolRepository poolRepository, ObjectProvider<ConfiguredPools> configuredPools) {
        ConfiguredPools configured = configuredPools.getIfAvailable();
        return new PoolReposEndpoint(poolRepository, configured == null ? pool -> null : configured::describeConnect);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(PoolReposEndpoint.class)
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    PoolReposEndpointWebExtension poolReposEndpointWebExtension(PoolReposEndpoint poolReposEndpoint) {
        return new PoolReposEndpointWebExtension(poolReposEndpoint);
    }
}
