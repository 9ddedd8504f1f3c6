package io.poolrepos.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.Statistics;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.TlsConnectionFactory;
import io.poolrepos.sample.backend.SampleTls;
import io.poolrepos.sample.client.ExclusiveEchoClient;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trouble drills against real pools and the embedded backends on 127.0.0.1: each makes the trouble
 * it promises, and leaves the pools and backends working.
 */
class TroubleDrillsTest {

    private PoolRepository repository;
    private Backends backends;
    private ConnectionPool<Socket> echo;
    private ConnectionPool<Socket> secure;
    private TroubleDrills drills;

    @BeforeEach
    void start() {
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
        backends = Backends.from(new SampleProperties.Backend(List.of(), List.of(0, 0), List.of(), List.of(0),
                "unused", Duration.ZERO), SampleTls::serverContext);
        TcpConnectionFactory tcp = TcpConnectionFactory.builder().connectTimeout(Duration.ofSeconds(2))
                .soTimeout(Duration.ofSeconds(5)).build();
        echo = repository.pool("echo", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxOpenPerName(4).maxIdlePerName(2).acquireTimeout(Duration.ofSeconds(5)).build(),
                tcp);
        secure = repository.pool("secure", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxOpenPerName(4).maxIdlePerName(4).build(),
                TlsConnectionFactory.builder(SampleTls.clientContext()).tcp(tcp).build());
        drills = new TroubleDrills(echo, secure, backends);
    }

    @AfterEach
    void stop() {
        repository.close();
        backends.close();
    }

    @Test
    void exhaustingAPoolTimesOutOneAcquireRejectsOneAddAndOverflowsWhatItGivesBack() throws Exception {
        String name = backends.name(0);

        String done = drills.exhaust(name, backends.name(1), Duration.ofMillis(100));

        Statistics totals = echo.totals();
        assertThat(done).contains("held all 4", "AcquireTimeoutException", "rejected");
        assertThat(totals.acquireTimeouts()).isEqualTo(1);
        assertThat(totals.rejected()).isEqualTo(1);
        assertThat(totals.created()).isEqualTo(4);
        // Four given back to a name that keeps two idle: two are closed as overflow. Nothing is left on loan.
        assertThat(totals.overflowed()).isEqualTo(2);
        assertThat(totals.inUse()).isZero();
        assertThat(totals.idle()).isEqualTo(2);
        assertThat(new ExclusiveEchoClient(echo).echo(name, "after")).isEqualTo("after");
    }

    @Test
    void anOutageFailsConnectsThenFailsFastAndTheBackendComesBackOnItsPort() throws Exception {
        String name = backends.tlsName(0);
        ExclusiveEchoClient client = new ExclusiveEchoClient(secure);
        assertThat(client.echo(name, "before")).isEqualTo("before");

        String done = drills.outage(name, Duration.ofMillis(200));

        assertThat(done).contains("stopped", "ConnectFailedException", "started again");
        Statistics totals = secure.totals();
        assertThat(totals.connectFailures()).isGreaterThanOrEqualTo(1);
        // The idle connection of before was found closed by the stopped backend, never handed out.
        assertThat(totals.closedDead()).isEqualTo(1);
        assertThat(totals.connectFailures() + totals.fastFailures()).isEqualTo(2);
        // Back on the same name once the backoff allows a connect.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> client.echo(name, "after").equals("after"));
        assertThat(backends.tlsNames()).containsExactly(name);
    }

    @Test
    void externalBackendsAreNotStopped() throws Exception {
        assertThat(drills.outage("127.0.0.1:1", Duration.ofMillis(10))).contains("not an embedded backend");
        assertThat(secure.totals().connectFailures()).isZero();
    }
}
