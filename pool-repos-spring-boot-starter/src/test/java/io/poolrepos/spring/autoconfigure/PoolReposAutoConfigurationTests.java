package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionFactory;
import io.poolrepos.ConnectionPool;
import io.poolrepos.IdleOrder;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class PoolReposAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolReposAutoConfiguration.class));

    private final EchoServer server = EchoServer.start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void runWithoutPoolsShouldCreateAnEmptyRepository() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(PoolRepository.class);
            assertThat(context.getBean(PoolRepository.class).pools()).isEmpty();
            assertThat(context).doesNotHaveBean(ConnectionPool.class);
        });
    }

    @Test
    void runWithPoolsShouldCreateOneQualifiedBeanPerPoolInConfigurationOrder() {
        runner.withPropertyValues("pool-repos.pools.orders.max-idle-per-name=4",
                "pool-repos.pools.quotes.sharable=true", "pool-repos.pools.quotes.max-sharers-per-connection=32")
                .run(context -> {
                    PoolRepository repository = context.getBean(PoolRepository.class);
                    assertThat(repository.pools()).extracting(ConnectionPool::poolName)
                            .containsExactly("orders", "quotes");
                    assertThat(context.getBeansOfType(ConnectionPool.class))
                            .containsOnlyKeys("ordersConnectionPool", "quotesConnectionPool");
                    assertThat(context.getBean("ordersConnectionPool")).isSameAs(repository.find("orders").get());
                    PoolSettings quotes = repository.find("quotes").get().settings();
                    assertThat(quotes.sharable()).isTrue();
                    assertThat(quotes.maxSharersPerConnection()).isEqualTo(32);
                    assertThat(repository.find("orders").get().settings().maxIdlePerName()).isEqualTo(4);
                });
    }

    @Test
    void runShouldInjectPoolsByQualifierAndByGenericType() {
        runner.withUserConfiguration(PoolUsers.class)
                .withPropertyValues("pool-repos.pools.orders.sharable=false", "pool-repos.pools.quotes.sharable=true",
                        "pool-repos.pools.feed.connection-type=socket-channel")
                .run(context -> {
                    PoolUsers users = context.getBean(PoolUsers.class);
                    assertThat(users.orders.poolName()).isEqualTo("orders");
                    assertThat(users.quotes.poolName()).isEqualTo("quotes");
                    assertThat(users.feed.poolName()).isEqualTo("feed");
                    assertThat(users.feed.connectionType()).isEqualTo(SocketChannel.class);
                });
    }

    @Test
    void runWithDefaultsShouldLetEveryPoolInheritAndOverride() {
        runner.withPropertyValues("pool-repos.defaults.idle-timeout=60s", "pool-repos.defaults.idle-order=fifo",
                "pool-repos.pools.orders.idle-timeout=10m", "pool-repos.pools.quotes.max-names=5",
                "pool-repos.pools.quotes.probe-after-idle=500ms")
                .run(context -> {
                    PoolRepository repository = context.getBean(PoolRepository.class);
                    PoolSettings orders = repository.find("orders").get().settings();
                    PoolSettings quotes = repository.find("quotes").get().settings();
                    assertThat(orders.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(quotes.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
                    assertThat(orders.idleOrder()).isEqualTo(IdleOrder.FIFO);
                    assertThat(quotes.maxNames()).isEqualTo(5);
                    assertThat(orders.maxNames()).isEqualTo(PoolSettings.defaults().maxNames());
                    assertThat(quotes.probeAfterIdle()).isEqualTo(Duration.ofMillis(500));
                    assertThat(orders.probeAfterIdle()).isEqualTo(Duration.ofMillis(20));
                });
    }

    @Test
    void runShouldGiveAPoolEverySettingConfiguredForItAndItsSocketsTheTcpOptions() {
        // Every value differs from its default, so a setting that does not arrive shows.
        runner.withPropertyValues("pool-repos.pools.orders.sharable=true",
                "pool-repos.pools.orders.max-idle-per-name=3", "pool-repos.pools.orders.max-open-per-name=5",
                "pool-repos.pools.orders.max-idle-in-pool=7", "pool-repos.pools.orders.max-open-in-pool=53",
                "pool-repos.pools.orders.max-names=11",
                "pool-repos.pools.orders.max-sharers-per-connection=13", "pool-repos.pools.orders.idle-timeout=17s",
                "pool-repos.pools.orders.max-lifetime=19m", "pool-repos.pools.orders.acquire-timeout=23s",
                "pool-repos.pools.orders.max-waiters-per-name=29", "pool-repos.pools.orders.min-idle-per-name=2",
                "pool-repos.pools.orders.leak-detection-threshold=31s", "pool-repos.pools.orders.idle-order=fifo",
                "pool-repos.pools.orders.probe-after-idle=37ms", "pool-repos.pools.orders.connect-backoff=43ms",
                "pool-repos.pools.orders.connect-backoff-max=47s", "pool-repos.pools.orders.connect=tcp",
                "pool-repos.pools.orders.connect-timeout=3s", "pool-repos.pools.orders.tcp-no-delay=false",
                "pool-repos.pools.orders.keep-alive=false", "pool-repos.pools.orders.so-timeout=41s",
                // and the two switches the other way, set explicitly (their defaults)
                "pool-repos.pools.quotes.connect=tcp", "pool-repos.pools.quotes.tcp-no-delay=true",
                "pool-repos.pools.quotes.keep-alive=true")
                .run(context -> {
                    ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
                    assertThat(orders.settings()).isEqualTo(PoolSettings.builder().sharable(true).maxIdlePerName(3)
                            .maxOpenPerName(5).maxIdleInPool(7).maxOpenInPool(53).maxNames(11).maxSharersPerConnection(13)
                            .idleTimeout(Duration.ofSeconds(17)).maxLifetime(Duration.ofMinutes(19))
                            .acquireTimeout(Duration.ofSeconds(23)).maxWaitersPerName(29)
                            .leakDetectionThreshold(Duration.ofSeconds(31)).idleOrder(IdleOrder.FIFO)
                            .probeAfterIdle(Duration.ofMillis(37)).connectBackoff(Duration.ofMillis(43))
                            .connectBackoffMax(Duration.ofSeconds(47)).minIdlePerName(2).build());
                    Socket socket = orders.acquire(server.name());
                    assertThat(socket.getTcpNoDelay()).isFalse();
                    assertThat(socket.getKeepAlive()).isFalse();
                    assertThat(socket.getSoTimeout()).isEqualTo(41_000);
                    orders.add(server.name(), socket);
                    ConnectionPool<Socket> quotes = context.getBean(PoolRepository.class).require("quotes", Socket.class);
                    Socket other = quotes.acquire(server.name());
                    assertThat(other.getTcpNoDelay()).isTrue();
                    assertThat(other.getKeepAlive()).isTrue();
                    quotes.add(server.name(), other);
                });
    }

    @Test
    void runWithConnectTcpShouldOpenRealSocketsToTheName() {
        runner.withPropertyValues("pool-repos.pools.orders.connect=tcp", "pool-repos.pools.orders.connect-timeout=2s")
                .run(context -> {
                    ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
                    assertThat(orders.canConnect()).isTrue();
                    Socket socket = orders.acquire(server.name());
                    assertThat(EchoServer.roundTrip(socket, "ping")).isEqualTo("ping");
                    orders.add(server.name(), socket);
                    assertThat(orders.totals().created()).isEqualTo(1);
                    assertThat(server.accepted()).isEqualTo(1);
                });
    }

    @Test
    void runWithQualifiedConnectionFactoryShouldUseItForThatPoolOnly() {
        runner.withUserConfiguration(CountingFactory.class)
                .withPropertyValues("pool-repos.pools.orders.connect=tcp", "pool-repos.pools.quotes.connect=none")
                .run(context -> {
                    PoolRepository repository = context.getBean(PoolRepository.class);
                    ConnectionPool<Socket> orders = repository.require("orders", Socket.class);
                    Socket socket = orders.acquire(server.name());
                    orders.add(server.name(), socket);
                    assertThat(context.getBean(CountingFactory.class).connects).hasValue(1);
                    assertThat(repository.find("quotes").get().canConnect()).isFalse();
                });
    }

    @Test
    void runWithQualifiedConnectionAdapterShouldMakeAPoolOfItsTypeInjectableByGenericType() {
        runner.withUserConfiguration(BufferAdapter.class, BufferUser.class)
                .withPropertyValues("pool-repos.pools.buffers.max-idle-per-name=2", "pool-repos.pools.orders.sharable=false")
                .run(context -> {
                    ConnectionPool<StringBuilder> buffers = context.getBean(BufferUser.class).buffers;
                    assertThat(buffers.connectionType()).isEqualTo(StringBuilder.class);
                    assertThat(buffers.poolName()).isEqualTo("buffers");
                    StringBuilder buffer = new StringBuilder("kept");
                    buffers.add("name", buffer);
                    assertThat(buffers.get("name")).containsSame(buffer);
                    buffers.add("name", buffer); // given back, so that the context's close has nothing to wait for
                    assertThat(context.getBean(PoolRepository.class).find("orders").get().connectionType())
                            .isEqualTo(Socket.class);
                });
    }

    @Test
    void runWithQualifiedConnectionAdapterAndConnectTcpShouldExplainTheMismatch() {
        runner.withUserConfiguration(BufferAdapter.class).withPropertyValues("pool-repos.pools.buffers.connect=tcp")
                .run(context -> assertThat(StartupReport.of(context.getStartupFailure()))
                        .contains("Property: pool-repos.pools.buffers.connect", "the built-in TCP factory opens "
                                + "java.net.Socket connections but the ConnectionAdapter bean qualified \"buffers\" "
                                + "handles java.lang.StringBuilder"));
    }

    @Test
    void runWithUserRepositoryShouldBackOffAndCreateTheConfiguredPoolsInIt() {
        runner.withUserConfiguration(UserRepository.class)
                .withPropertyValues("pool-repos.pools.orders.sharable=true")
                .run(context -> {
                    assertThat(context).hasSingleBean(PoolRepository.class);
                    PoolRepository repository = context.getBean(PoolRepository.class);
                    assertThat(repository).isSameAs(context.getBean(UserRepository.class).repository);
                    assertThat(repository.find("orders")).isPresent();
                });
    }

    @Test
    void runWithUserBeanNamedLikeAPoolBeanShouldKeepBoth() {
        runner.withUserConfiguration(ClashingName.class)
                .withPropertyValues("pool-repos.pools.orders.sharable=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("ordersConnectionPool")).isEqualTo("a user's string");
                    assertThat(context.getBean(ConnectionPool.class).poolName()).isEqualTo("orders");
                });
    }

    @Test
    void runWithEnabledFalseShouldCreateNothing() {
        runner.withPropertyValues("pool-repos.enabled=false", "pool-repos.pools.orders.sharable=true")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(PoolRepository.class);
                    assertThat(context).doesNotHaveBean(ConnectionPool.class);
                    assertThat(context).doesNotHaveBean(PoolReposProperties.class);
                });
    }

    @Test
    void closingTheContextShouldCloseTheIdleSockets() {
        runner.withPropertyValues("pool-repos.pools.orders.max-idle-per-name=4").run(context -> {
            PoolRepository repository = context.getBean(PoolRepository.class);
            ConnectionPool<Socket> orders = repository.require("orders", Socket.class);
            orders.add(server.name(), server.connect());
            orders.add(server.name(), server.connect());
            await().until(() -> server.openConnections() == 2);
            context.close();
            assertThat(repository.isClosed()).isTrue();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
    }

    @Configuration(proxyBeanMethods = false)
    static class PoolUsers {

        final ConnectionPool<Socket> orders;
        final ConnectionPool<Socket> quotes;
        final ConnectionPool<SocketChannel> feed;

        PoolUsers(@Qualifier("orders") ConnectionPool<Socket> orders, @Qualifier("quotes") ConnectionPool<Socket> quotes,
                ConnectionPool<SocketChannel> feed) {
            this.orders = orders;
            this.quotes = quotes;
            this.feed = feed;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CountingFactory {

        final AtomicInteger connects = new AtomicInteger();

        @Bean
        @Qualifier("orders")
        ConnectionFactory<Socket> ordersFactory() {
            TcpConnectionFactory tcp = TcpConnectionFactory.create();
            return name -> {
                connects.incrementAndGet();
                return tcp.connect(name);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BufferAdapter {

        @Bean
        @Qualifier("buffers")
        ConnectionAdapter<StringBuilder> bufferAdapter() {
            return ConnectionAdapter.of(StringBuilder.class, buffer -> !buffer.isEmpty(), buffer -> buffer.setLength(0));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BufferUser {

        final ConnectionPool<StringBuilder> buffers;

        BufferUser(ConnectionPool<StringBuilder> buffers) {
            this.buffers = buffers;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRepository {

        final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

        @Bean(destroyMethod = "close")
        PoolRepository myRepository() {
            return repository;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClashingName {

        @Bean
        String ordersConnectionPool() {
            return "a user's string";
        }
    }

}
