package io.poolrepos.sample.history;

import io.micrometer.core.instrument.MeterRegistry;
import io.poolrepos.PoolRepository;
import io.poolrepos.sample.SampleProperties;
import io.poolrepos.spring.actuate.PoolReposHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The dashboard's history of the pools ({@code sample.history.*}): samples the starter's repository,
 * its acquire timer in the application's {@link MeterRegistry} and its health indicator, when those
 * exist.
 */
@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    PoolHistory poolHistory(PoolRepository repository, ObjectProvider<MeterRegistry> registry,
            ObjectProvider<PoolReposHealthIndicator> health, SampleProperties properties) {
        SampleProperties.History settings = properties.history();
        PoolSampler sampler = new PoolSampler(repository, new AcquireTimes(registry.getIfAvailable()),
                new HealthStatuses(health.getIfAvailable()), settings.maxNamesPerPool(), settings.maxPools());
        return new PoolHistory(sampler, settings.period(), settings.span());
    }
}
