package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.Socket;
import java.nio.channels.SocketChannel;

import io.poolrepos.ConnectionPool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@code ConnectionPool} injection that finds no pool or several fails start-up with a report that
 * lists the configured pools and says how to pick one, through a real {@code SpringApplication} and
 * Boot's own reporting. Pool beans say where they come from.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionPoolInjectionFailureTests {

    private static final String[] TWO_POOLS = {"spring.main.banner-mode=off", "pool-repos.pools.orders.sharable=false",
            "pool-repos.pools.quotes.sharable=true"};

    private static Throwable start(Class<?> configuration) {
        return catchThrowable(new SpringApplicationBuilder(configuration, Starter.class)
                .web(WebApplicationType.NONE).properties(TWO_POOLS)::run);
    }

    @Test
    void poolBeansShouldBeDescribedByTheirProperty() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PoolReposAutoConfiguration.class))
                .withPropertyValues(TWO_POOLS).run(context -> assertThat(context.getBeanFactory()
                        .getBeanDefinition("ordersConnectionPool").getResourceDescription())
                        .isEqualTo("pool-repos.pools.orders"));
    }

    @Test
    void ambiguousInjectionShouldListThePoolsAndSayToQualify(CapturedOutput output) {
        assertThat(start(UnqualifiedUser.class)).isInstanceOf(UnsatisfiedDependencyException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
                "Parameter 0 of method unqualified in " + UnqualifiedUser.class.getName()
                        + " needs one io.poolrepos.ConnectionPool<java.net.Socket>, but 2 pools match: "
                        + "ordersConnectionPool, quotesConnectionPool.",
                "Configured pools: \"orders\" (io.poolrepos.ConnectionPool<java.net.Socket>, pool-repos.pools.orders), "
                        + "\"quotes\" (io.poolrepos.ConnectionPool<java.net.Socket>, pool-repos.pools.quotes)",
                "Add @Qualifier(\"<pool>\") to the injection point");
    }

    @Test
    void injectionOfAnUnknownPoolShouldSayWhereToConfigureItAndListThePools(CapturedOutput output) {
        assertThat(start(MisqualifiedUser.class)).isInstanceOf(UnsatisfiedDependencyException.class);
        assertThat(output.getAll()).contains(
                "needs the pool \"order\" (io.poolrepos.ConnectionPool<java.net.Socket>), which does not exist.",
                "Configured pools: \"orders\" (io.poolrepos.ConnectionPool<java.net.Socket>, pool-repos.pools.orders)",
                "Configure the pool under pool-repos.pools.order, or change the injection point's @Qualifier");
    }

    @Test
    void injectionOfAConnectionTypeNoPoolHasShouldSaySo(CapturedOutput output) {
        assertThat(start(ChannelUser.class)).isInstanceOf(UnsatisfiedDependencyException.class);
        assertThat(output.getAll()).contains(
                "needs a io.poolrepos.ConnectionPool<java.nio.channels.SocketChannel>, and no configured pool is one.",
                "Configure a pool under pool-repos.pools.<pool> with that connection type");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PoolReposAutoConfiguration.class)
    static class Starter {
    }

    @Configuration(proxyBeanMethods = false)
    static class UnqualifiedUser {

        @Bean
        String unqualified(ConnectionPool<Socket> pool) {
            return pool.poolName();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MisqualifiedUser {

        @Bean
        String misqualified(@Qualifier("order") ConnectionPool<Socket> pool) {
            return pool.poolName();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ChannelUser {

        @Bean
        String channels(ConnectionPool<SocketChannel> pool) {
            return pool.poolName();
        }
    }
}
