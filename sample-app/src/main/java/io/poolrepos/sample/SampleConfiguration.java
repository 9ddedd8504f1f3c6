package io.poolrepos.sample;

import io.poolrepos.ConnectionPool;
import io.poolrepos.sample.client.ExclusiveEchoClient;
import io.poolrepos.sample.client.SharedRequestClient;
import java.net.Socket;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Wires the demo to the pools the starter made from {@code application.yml}: {@code echo}
 * (exclusive), {@code multiplex} (sharable) and {@code secure} (exclusive, TLS), injected by qualifier.
 * The embedded TLS backends take their certificate and key from the SSL bundle named in
 * {@code sample.backend.ssl-bundle}, as the {@code secure} pool takes its trust from its own bundle.
 */
@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

    @Bean(destroyMethod = "close")
    Backends backends(SampleProperties properties, SslBundles bundles) {
        return Backends.from(properties.backend(),
                () -> bundles.getBundle(properties.backend().sslBundle()).createSslContext());
    }

    @Bean
    ExclusiveEchoClient exclusiveEchoClient(@Qualifier("echo") ConnectionPool<Socket> echo) {
        return new ExclusiveEchoClient(echo);
    }

    @Bean
    ExclusiveEchoClient secureEchoClient(@Qualifier("secure") ConnectionPool<Socket> secure) {
        return new ExclusiveEchoClient(secure);
    }

    @Bean
    SharedRequestClient sharedRequestClient(@Qualifier("multiplex") ConnectionPool<Socket> multiplex,
            SampleProperties properties) {
        return new SharedRequestClient(multiplex, properties.client().timeout());
    }

    @Bean(destroyMethod = "close")
    TrafficGenerator trafficGenerator(@Qualifier("exclusiveEchoClient") ExclusiveEchoClient echo,
            SharedRequestClient shared, @Qualifier("secureEchoClient") ExclusiveEchoClient secure, Backends backends) {
        return new TrafficGenerator(echo, shared, secure, backends);
    }

    @Bean
    StartupTraffic startupTraffic(TrafficGenerator traffic, SampleProperties properties) {
        return new StartupTraffic(traffic, properties.traffic());
    }

    /** Runs traffic once the app is ready when {@code sample.traffic.on-startup} is above zero. */
    record StartupTraffic(TrafficGenerator traffic, SampleProperties.Traffic settings) {

        @EventListener(ApplicationReadyEvent.class)
        public void onReady() {
            if (!settings.onStartup().isZero() && !settings.onStartup().isNegative()) {
                traffic.start(settings.onStartup(), settings.workers(), settings.trouble());
            }
        }
    }
}
