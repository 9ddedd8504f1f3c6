package io.poolrepos.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request/reply benchmark must send real requests and check every reply, through every
 * configuration, without reconnecting where it pools (over TLS: one handshake per connection, counted
 * by the server); and its idle-close scenario must count the requests that fail. No timing.
 */
class RequestReplyBenchmarkTest {

    private static final int THREADS = 4;
    private static final int REQUESTS_PER_THREAD = 250;
    /** A handshake per request takes milliseconds on a busy machine: fewer requests for that configuration. */
    private static final int TLS_HANDSHAKES_PER_THREAD = 25;

    @ParameterizedTest
    @EnumSource(ClientConfig.class)
    void everyRequestIsServedAndItsReplyCheckedWithoutReconnectingWherePooled(ClientConfig config) throws Exception {
        RequestReplyBenchmark benchmark = new RequestReplyBenchmark();
        benchmark.config = config.key;
        benchmark.start(THREADS);
        int perThread = config == ClientConfig.NEW_TLS_SOCKET ? TLS_HANDSHAKES_PER_THREAD : REQUESTS_PER_THREAD;
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Lane lane = benchmark.lane();
                done.add(threads.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        lane.request();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(benchmark.server().served()).isEqualTo(THREADS * perThread);
            assertThat(benchmark.server().refused()).as("malformed or unknown requests").isZero();
            long opened = benchmark.connector().opened();
            switch (config) {
                case NEW_SOCKET, NEW_TLS_SOCKET -> assertThat(opened).isEqualTo(THREADS * perThread);
                case OWNED_SOCKET -> assertThat(opened).isEqualTo(THREADS);
                default -> assertThat(opened).as("a pool opens at most one connection per thread").isBetween(1L, (long) THREADS);
            }
            assertThat(benchmark.server().handshakes()).as("TLS handshakes: one per connection, none over TCP")
                    .isEqualTo(config.tls() ? opened : 0);
        } finally {
            threads.shutdownNow();
            benchmark.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(ClientConfig.class)
    void aWrongReplyFailsItsRequestAndTheNextRequestSucceeds(ClientConfig config) throws IOException {
        try (KeyValueServer server = new KeyValueServer(config.transport(), KeyValues.withWrongValue(1), Duration.ZERO);
                Connections connections = config.connections(new Connector(config.transport(), server.name()), 1)) {
            Lane lane = new Lane(connections, KeyValues.STANDARD, 0);
            assertThat(lane.request()).isZero();
            assertThatThrownBy(lane::request).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("reply to key 1 was 'VALUE v1-9e3779b9-wrong'");
            assertThat(lane.request()).isEqualTo(2);
            assertThat(server.served()).isEqualTo(3);
        }
    }

    @Test
    void theServerRefusesWhatIsNotAGetOfAKnownKey() {
        byte[] unknown = "GET k1000".getBytes();
        byte[] noKey = "GET k".getBytes();
        byte[] other = "SET k1 v".getBytes();
        byte[] known = "GET k999".getBytes();
        assertThat(KeyValues.STANDARD.replyTo(unknown, 0, unknown.length)).isSameAs(KeyValues.NOT_FOUND);
        assertThat(KeyValues.STANDARD.replyTo(noKey, 0, noKey.length)).isSameAs(KeyValues.ERROR);
        assertThat(KeyValues.STANDARD.replyTo(other, 0, other.length)).isSameAs(KeyValues.ERROR);
        assertThat(new String(KeyValues.STANDARD.replyTo(known, 0, known.length))).startsWith("VALUE v999-");
    }

    @ParameterizedTest
    @EnumSource(value = ClientConfig.class, names = {"OURS", "OURS_PROBE_ALWAYS", "CP2_CHECKED", "NEW_SOCKET"})
    void withAProbeBeforeEachUseOrNoReuseNoRequestFailsWhenTheServerClosesIdleConnections(ClientConfig config)
            throws Exception {
        IdleCloseScenario.Result r = idleClose(config);
        assertThat(r.allClosedInPauses()).isTrue();
        assertThat(r.failed()).as("failed requests; first: %s", r.firstFailure()).isZero();
        assertThat(r.requests()).isEqualTo(3 * 2 * 5);
        if (config != ClientConfig.NEW_SOCKET) {
            assertThat(r.closedByServer()).as("connections the server closed between bursts").isGreaterThanOrEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ClientConfig.class, names = {"OURS_PROBE_AFTER_IDLE", "OURS_NO_PROBE", "CP2_UNCHECKED", "OWNED_SOCKET"})
    void withoutAProbeTheFirstRequestsAfterAPauseFail(ClientConfig config) throws Exception {
        IdleCloseScenario.Result r = idleClose(config);
        assertThat(r.allClosedInPauses()).isTrue();
        assertThat(r.failed()).as("at least one failed request in each burst after the first").isGreaterThanOrEqualTo(2);
        assertThat(r.firstFailure()).containsAnyOf("EOFException", "SocketException");
    }

    /** 3 bursts of 5 requests on each of 2 threads; the server closes after 50 ms idle, pauses of 100 ms. */
    private static IdleCloseScenario.Result idleClose(ClientConfig config) throws IOException, InterruptedException {
        return IdleCloseScenario.run(config, 2, 3, 10, Duration.ofMillis(50), Duration.ofMillis(100));
    }
}
