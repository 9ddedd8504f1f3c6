package io.poolrepos.sample.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.ConnectFailedException;
import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.Counts;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.TlsConnectionFactory;
import io.poolrepos.sample.backend.LineBackend;
import io.poolrepos.sample.backend.SampleTls;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExclusiveEchoClientTest {

    private LineBackend backend;
    private PoolRepository repository;
    private ConnectionPool<Socket> pool;
    private ExclusiveEchoClient client;

    @BeforeEach
    void start() throws Exception {
        backend = LineBackend.start(0, Duration.ofMillis(2));
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
        pool = repository.pool("echo", ConnectionAdapter.sockets(), settings(),
                TcpConnectionFactory.builder().soTimeout(Duration.ofSeconds(5)).build());
        client = new ExclusiveEchoClient(pool);
    }

    @AfterEach
    void stop() {
        repository.close();
        backend.close();
    }

    @Test
    void sequentialCallsReuseOneConnectionAndCountOneGetPerCall() {
        for (int i = 0; i < 5; i++) {
            assertThat(client.echo(backend.name(), "call " + i)).isEqualTo("call " + i);
        }

        Counts totals = pool.totals().snapshot();
        assertThat(backend.connectionsAccepted()).isEqualTo(1);
        assertThat(totals.created()).isEqualTo(1);
        assertThat(totals.getMisses()).isEqualTo(1);
        assertThat(totals.getHits()).isEqualTo(4);
        assertThat(totals.getHits() + totals.created()).isEqualTo(client.acquires());
        assertThat(totals.idle()).isEqualTo(1);
        assertThat(totals.inUse()).isZero();
    }

    @Test
    void concurrentCallersEachGetTheirOwnReplyAndStayWithinTheCap() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String text = "c" + i;
                replies.add(callers.submit(() -> client.echo(backend.name(), text)));
            }
            for (int i = 0; i < 64; i++) {
                assertThat(replies.get(i).get()).isEqualTo("c" + i);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(backend.connectionsAccepted()).isBetween(1, 4);
        Counts totals = pool.totals().snapshot();
        assertThat(totals.inUse()).isZero();
        // Each acquire counts exactly one hit (an idle connection, perhaps after waiting) or one
        // miss (it opened a connection).
        assertThat(totals.getHits() + totals.getMisses()).isEqualTo(64);
        assertThat(totals.getMisses()).isEqualTo(totals.created());
    }

    @Test
    void aConnectionTheBackendClosedIsNeverHandedOutAgain() {
        assertThat(client.echo(backend.name(), "first")).isEqualTo("first");
        backend.close();
        idleLongerThanTheProbeWindow(pool);

        // The pool notices the backend's close before handing the idle socket out, closes it, and
        // tries to connect anew, which the stopped backend refuses.
        assertThatThrownBy(() -> client.echo(backend.name(), "second"))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining(backend.name());

        Counts totals = pool.totals().snapshot();
        assertThat(totals.closedDead()).isEqualTo(1);
        assertThat(totals.idle()).isZero();
        assertThat(totals.inUse()).isZero();
    }

    @Test
    void overTlsSequentialCallsReuseOneConnectionSoTheHandshakeHappensOnce() throws Exception {
        try (LineBackend tls = LineBackend.start(0, Duration.ofMillis(2), SampleTls.serverContext())) {
            ConnectionPool<Socket> secure = securePool();
            ExclusiveEchoClient secureClient = new ExclusiveEchoClient(secure);
            for (int i = 0; i < 5; i++) {
                assertThat(secureClient.echo(tls.name(), "tls " + i)).isEqualTo("tls " + i);
            }

            assertThat(tls.connectionsAccepted()).isEqualTo(1);
            Counts totals = secure.totals().snapshot();
            assertThat(totals.created()).isEqualTo(1);
            assertThat(totals.getHits()).isEqualTo(4);
            assertThat(totals.idle()).isEqualTo(1);
        }
    }

    @Test
    void aTlsConnectionTheBackendClosedIsNeverHandedOutAgain() throws Exception {
        ConnectionPool<Socket> secure = securePool();
        ExclusiveEchoClient secureClient = new ExclusiveEchoClient(secure);
        try (LineBackend tls = LineBackend.start(0, Duration.ZERO, SampleTls.serverContext())) {
            String name = tls.name();
            assertThat(secureClient.echo(name, "first")).isEqualTo("first");
            tls.close();
            idleLongerThanTheProbeWindow(secure);

            // As over plain TCP: the backend's close is noticed before hand-out, and the new connect
            // is refused.
            assertThatThrownBy(() -> secureClient.echo(name, "second"))
                    .isInstanceOf(ConnectFailedException.class)
                    .hasMessageContaining(name);
            Counts totals = secure.totals().snapshot();
            assertThat(totals.closedDead()).isEqualTo(1);
            assertThat(totals.idle()).isZero();
        }
    }

    /** At the defaults but for the limits: the tests of a closed backend let the probe window pass. */
    private static PoolSettings settings() {
        return PoolSettings.builder().maxIdlePerName(4).maxOpenPerName(4).build();
    }

    /** Exclusive pool {@code secure} over TLS, trusting the demo certificate as the app's pool does. */
    private ConnectionPool<Socket> securePool() {
        return repository.pool("secure", ConnectionAdapter.sockets(), settings(),
                TlsConnectionFactory.builder(SampleTls.clientContext())
                        .tcp(TcpConnectionFactory.builder().soTimeout(Duration.ofSeconds(5)).build()).build());
    }

    @Test
    void multiLineTextIsRefusedBeforeAnyConnectionIsTaken() {
        assertThatThrownBy(() -> client.echo(backend.name(), "two\nlines"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("single line");
        assertThat(client.acquires()).isZero();
        assertThat(backend.connectionsAccepted()).isZero();
    }

    /**
     * Lets the idle socket outlast the pool's probe window: a connection taken again within
     * {@code probeAfterIdle} of a clean give-back is not probed again, and its caller's read would find
     * the close instead of the pool.
     */
    private static void idleLongerThanTheProbeWindow(ConnectionPool<Socket> pool) {
        try {
            Thread.sleep(pool.settings().probeAfterIdle().toMillis() + 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
