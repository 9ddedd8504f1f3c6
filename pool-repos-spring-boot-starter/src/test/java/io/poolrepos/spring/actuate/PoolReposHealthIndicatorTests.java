package io.poolrepos.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import io.poolrepos.ConnectBackoffException;
import io.poolrepos.ConnectFailedException;
import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** DOWN when every connect attempt since the last successful one failed; real sockets, a real refused port. */
class PoolReposHealthIndicatorTests {

    private final EchoServer server = EchoServer.start();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
    private final ConnectionPool<Socket> orders = repository.pool("orders", ConnectionAdapter.sockets(),
            PoolSettings.defaults(), TcpConnectionFactory.builder().connectTimeout(Duration.ofSeconds(2)).build());
    private final PoolReposHealthIndicator indicator = new PoolReposHealthIndicator(repository);

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    @Test
    void healthShouldBeUpWithDetailsPerPoolWhenNothingFailed() {
        repository.pool("quotes", ConnectionAdapter.sockets(), PoolSettings.defaults());
        orders.add(server.name(), orders.acquire(server.name()));

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(pool(health, "orders")).containsEntry("status", "UP").containsEntry("canConnect", true)
                .containsEntry("idle", 1).containsEntry("created", 1L);
        assertThat(pool(health, "quotes")).containsEntry("canConnect", false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthShouldBeDownWhileEveryRecentConnectFailedAndUpAgainAfterASuccess() throws IOException {
        String refused = "127.0.0.1:" + closedPort();
        assertThatThrownBy(() -> orders.acquire(refused)).isInstanceOf(ConnectFailedException.class);

        Health down = indicator.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(pool(down, "orders")).containsEntry("status", "DOWN").containsEntry("connectFailures", 1L);
        assertThat(indicator.health().getStatus()).as("no attempt since: the verdict holds").isEqualTo(Status.DOWN);
        assertThatThrownBy(() -> orders.acquire(refused)).as("in connect backoff: fails at once")
                .isInstanceOf(ConnectBackoffException.class);
        Map<String, Object> inBackoff = pool(indicator.health(), "orders");
        assertThat(inBackoff).containsEntry("fastFailures", 1L);
        assertThat((Map<String, Object>) inBackoff.get("connectBackoff")).containsOnlyKeys(refused)
                .hasValueSatisfying(new org.assertj.core.api.Condition<>(v -> String.valueOf(v).matches(
                        "next connect in \\d+ ms|retrying now"), "the time until the next connect"));

        orders.add(server.name(), orders.acquire(server.name()));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        assertThat(indicator.health().getStatus()).as("no attempt since: this verdict holds too").isEqualTo(Status.UP);
    }

    @Test
    void failuresOfAPoolWithoutFactoryCannotHappenSoItStaysUpAndAClosedRepositoryIsDown() {
        repository.pool("plain", ConnectionAdapter.sockets(), PoolSettings.defaults());
        assertThat(pool(indicator.health(), "plain")).containsEntry("status", "UP");

        repository.close();

        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    }

    /** A loopback port that refuses connections: bound once, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pool(Health health, String poolName) {
        return ((Map<String, Map<String, Object>>) health.getDetails().get("pools")).get(poolName);
    }
}
