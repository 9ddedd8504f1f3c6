package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.poolrepos.testing.EchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Limit messages advise the setting to change by its core name, and beside it by the name its value
 * was written under when the settings say where they came from ({@link PoolSettings.Builder#settingNames}).
 * Real sockets to a local echo server.
 */
class SettingNamesInMessagesTest {

    private static final Map<String, String> WRITTEN = Map.of(
            "acquireTimeout", "app.pools.orders.acquire-timeout",
            "maxOpenPerName", "app.defaults.max-open-per-name",
            "maxWaitersPerName", "app.pools.orders.max-waiters-per-name",
            "maxNames", "app.pools.orders.max-names",
            "sharable", "app.pools.orders.sharable");

    private final EchoServer server = EchoServer.start();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    private ConnectionPool<Socket> pool(String poolName, UnaryOperator<String> written, Duration acquireTimeout) {
        PoolSettings.Builder settings = PoolSettings.builder().maxOpenPerName(1).maxWaitersPerName(1).maxNames(1)
                .acquireTimeout(acquireTimeout);
        if (written != null) {
            settings.settingNames(written);
        }
        return repository.pool(poolName, ConnectionAdapter.sockets(), settings.build(), TcpConnectionFactory.create());
    }

    private static Throwable timeoutOf(ConnectionPool<Socket> pool, String name) {
        pool.acquire(name);
        return catchThrowable(() -> pool.acquire(name));
    }

    @Test
    void aCorePoolsTimeoutNamesOnlyTheCoreSettings() {
        Throwable timeout = timeoutOf(pool("orders", null, Duration.ofMillis(50)), server.name());

        assertThat(timeout).isInstanceOf(AcquireTimeoutException.class)
                .hasMessageEndingWith("Give connections back sooner, raise maxOpenPerName or acquireTimeout.");
    }

    @Test
    void aTimeoutNamesEachSettingAlsoAsItWasWritten() {
        Throwable timeout = timeoutOf(pool("orders", WRITTEN::get, Duration.ofMillis(50)), server.name());

        assertThat(timeout).isInstanceOf(AcquireTimeoutException.class).hasMessageEndingWith(
                "raise maxOpenPerName (app.defaults.max-open-per-name) or acquireTimeout (app.pools.orders.acquire-timeout).");
    }

    @Test
    void theWaiterLimitNamesItsSettingAsItWasWrittenAndACorePoolsByTheCoreNameAlone() throws Exception {
        assertThat(waiterLimitMessage(pool("orders", WRITTEN::get, Duration.ofSeconds(30)))).endsWith(
                "Raise maxWaitersPerName (app.pools.orders.max-waiters-per-name) if this many callers may wait at once.");
        assertThat(waiterLimitMessage(pool("plain", null, Duration.ofSeconds(30))))
                .endsWith("Raise maxWaitersPerName if this many callers may wait at once.");
    }

    private String waiterLimitMessage(ConnectionPool<Socket> pool) throws Exception {
        Socket held = pool.acquire(server.name());
        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.totals().waiting() == 1);
        Throwable refused = catchThrowable(() -> pool.acquire(server.name()));
        pool.add(server.name(), held);
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isSameAs(held);
        assertThat(refused).isInstanceOf(WaiterLimitExceededException.class);
        return refused.getMessage();
    }

    @Test
    void theNameLimitAndShareOnAnExclusivePoolNameTheirSettingsAsWritten() {
        ConnectionPool<Socket> pool = pool("orders", WRITTEN::get, Duration.ofSeconds(1));
        pool.add(server.name(), server.connect());

        assertThat(catchThrowable(() -> pool.add("other.example:1", server.connect())))
                .isInstanceOf(NameLimitExceededException.class)
                .hasMessageContaining("raise maxNames (app.pools.orders.max-names) if");
        assertThat(catchThrowable(() -> pool.share(server.name()))).isInstanceOf(PoolNotSharableException.class)
                .hasMessageContaining("created with sharable (app.pools.orders.sharable) set to true");
    }

    @Test
    void aMappingThatFailsOrAnswersNothingLeavesTheCoreName() {
        Throwable failing = timeoutOf(pool("failing", s -> {
            throw new IllegalStateException("no names today");
        }, Duration.ofMillis(20)), server.name());
        Throwable silent = timeoutOf(pool("silent", s -> s.equals("acquireTimeout") ? " " : null,
                Duration.ofMillis(20)), server.name());

        assertThat(failing.getMessage()).endsWith("raise maxOpenPerName or acquireTimeout.");
        assertThat(silent.getMessage()).endsWith("raise maxOpenPerName or acquireTimeout.");
    }

    @Test
    void whereSettingsWereWrittenIsNoSettingOfTheirs() {
        PoolSettings plain = PoolSettings.builder().maxOpenPerName(3).build();
        PoolSettings written = PoolSettings.builder(plain).settingNames(WRITTEN::get).build();

        assertThat(written).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(written.toString()).isEqualTo(plain.toString());
        assertThat(PoolSettings.builder(written).build().settingNames()).isSameAs(written.settingNames());
    }
}
