package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.poolrepos.AcquireTimeoutException;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.WaiterLimitExceededException;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

/**
 * A configured pool's limit messages name each setting as the core spells it and, beside it, the
 * property its value was written under (the pool's own key, or the inherited one under
 * {@code pool-repos.defaults}); pool names with user info stay masked there. Real context, real sockets.
 */
class LimitMessagesNamePropertiesTests {

    private final EchoServer server = EchoServer.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolReposAutoConfiguration.class))
            // shutdown-timeout 0s: tests that end with a connection on loan need not wait for it at close.
            .withPropertyValues("pool-repos.housekeeping-period=0s", "pool-repos.shutdown-timeout=0s",
                    "pool-repos.defaults.connect=tcp", "pool-repos.defaults.max-open-per-name=1");

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void anAcquireTimeoutNamesTheTimeoutAndTheOpenLimitAsTheyWereWritten() {
        runner.withPropertyValues("pool-repos.pools.orders.acquire-timeout=50ms").run(context -> {
            ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
            orders.acquire(server.name());

            Throwable timeout = catchThrowable(() -> orders.acquire(server.name()));

            assertThat(timeout).isInstanceOf(AcquireTimeoutException.class).hasMessageEndingWith(
                    "raise maxOpenPerName (pool-repos.defaults.max-open-per-name) or acquireTimeout "
                            + "(pool-repos.pools.orders.acquire-timeout).");
        });
    }

    @Test
    void aTimeoutAtThePoolWideOpenLimitNamesMaxOpenInPoolAsItWasWritten() {
        runner.withPropertyValues("pool-repos.pools.orders.acquire-timeout=50ms",
                "pool-repos.pools.orders.max-open-in-pool=1").run(context -> {
                    ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
                    try (EchoServer other = EchoServer.start()) {
                        Socket held = orders.acquire(server.name());

                        Throwable timeout = catchThrowable(() -> orders.acquire(other.name()));
                        orders.add(server.name(), held); // so that the context's close need not wait for it

                        assertThat(timeout).isInstanceOf(AcquireTimeoutException.class).hasMessageEndingWith(
                                "maxOpenInPool=1, openInPool=1). Give connections back sooner, raise maxOpenInPool "
                                        + "(pool-repos.pools.orders.max-open-in-pool) or acquireTimeout "
                                        + "(pool-repos.pools.orders.acquire-timeout).");
                    }
                });
    }

    @Test
    void theWaiterLimitNamesTheInheritedDefaultWhereItWasWritten() {
        runner.withPropertyValues("pool-repos.pools.orders.acquire-timeout=30s",
                "pool-repos.defaults.max-waiters-per-name=0").run(context -> {
                    ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
                    assertThat(waiterLimitMessage(orders, 0)).endsWith("Raise maxWaitersPerName "
                            + "(pool-repos.defaults.max-waiters-per-name) if this many callers may wait at once.");
                });
    }

    @Test
    void aSettingWrittenNowhereIsNamedByThePoolsOwnProperty() {
        runner.withPropertyValues("pool-repos.pools.orders.connect=tcp").run(context -> {
            ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
            orders.add(server.name(), server.connect());

            Throwable refused = catchThrowable(() -> orders.share(server.name()));

            assertThat(refused).hasMessageContaining("created with sharable (pool-repos.pools.orders.sharable) set to true");
        });
    }

    @Test
    void theWaiterLimitNamesThePropertyThatSetIt() {
        runner.withPropertyValues("pool-repos.pools.orders.acquire-timeout=30s",
                "pool-repos.pools.orders.max-waiters-per-name=1").run(context -> {
                    ConnectionPool<Socket> orders = context.getBean(PoolRepository.class).require("orders", Socket.class);
                    assertThat(waiterLimitMessage(orders, 1)).contains("1 callers are already waiting")
                            .endsWith("Raise maxWaitersPerName (pool-repos.pools.orders.max-waiters-per-name) if this "
                                    + "many callers may wait at once.");
                });
    }

    @Test
    void aPoolNameWithUserInfoIsMaskedInThePropertyNamed() {
        // Written as a property source: withPropertyValues would split the key at its ':'.
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(
                "secret pool", Map.of("pool-repos.pools[user:s3cr3t@db].acquire-timeout", "20ms")))).run(context -> {
            ConnectionPool<Socket> pool = context.getBean(PoolRepository.class).require("user:s3cr3t@db", Socket.class);
            pool.acquire(server.name());

            Throwable timeout = catchThrowable(() -> pool.acquire(server.name()));

            assertThat(timeout).isInstanceOf(AcquireTimeoutException.class)
                    .hasMessageContaining("acquireTimeout (pool-repos.pools[****@db].acquire-timeout)");
            assertThat(timeout.getMessage()).doesNotContain("s3cr3t");
        });
    }

    /** The message of the refusal of one caller more than {@code waiting} callers already waiting. */
    private String waiterLimitMessage(ConnectionPool<Socket> pool, int waiting) throws Exception {
        if (waiting == 0) {
            pool.acquire(server.name());
            Throwable refused = catchThrowable(() -> pool.acquire(server.name()));
            assertThat(refused).isInstanceOf(WaiterLimitExceededException.class);
            return refused.getMessage();
        }
        Socket held = pool.acquire(server.name());
        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.totals().waiting() == waiting);
        Throwable refused = catchThrowable(() -> pool.acquire(server.name()));
        pool.add(server.name(), held);
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isSameAs(held);
        assertThat(refused).isInstanceOf(WaiterLimitExceededException.class);
        return refused.getMessage();
    }
}
