package io.poolrepos.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.poolrepos.ConnectionPool;
import io.poolrepos.NameStatistics;
import io.poolrepos.sample.backend.LineBackend;
import io.poolrepos.sample.backend.SampleTls;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app pointed at backends it did not start ({@code sample.backend.external} and
 * {@code sample.backend.external-tls}) and told to run traffic on start-up
 * ({@code sample.traffic.on-startup}): the traffic reaches the plain backend through both plain pools
 * and the TLS backend through the {@code secure} pool, and stops by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "sample.traffic.on-startup=1s", "sample.traffic.workers=4", "sample.traffic.trouble=false"})
class ExternalBackendAndStartupTrafficTests {

    private static final LineBackend EXTERNAL = start(null);

    private static final LineBackend EXTERNAL_TLS = start(SampleTls.serverContext());

    @Autowired
    private Backends backends;

    @Autowired
    private TrafficGenerator traffic;

    @Autowired
    @Qualifier("echo")
    private ConnectionPool<Socket> echo;

    @Autowired
    @Qualifier("multiplex")
    private ConnectionPool<Socket> multiplex;

    @Autowired
    @Qualifier("secure")
    private ConnectionPool<Socket> secure;

    private static LineBackend start(SSLContext tls) {
        try {
            return LineBackend.start(0, Duration.ofMillis(5), tls);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @DynamicPropertySource
    static void external(DynamicPropertyRegistry registry) {
        registry.add("sample.backend.external", EXTERNAL::name);
        registry.add("sample.backend.external-tls", EXTERNAL_TLS::name);
        // The echo pool warms the backend it talks to, as application.yml has it warm the first embedded one.
        registry.add("pool-repos.pools.echo.warm-up-names", EXTERNAL::name);
    }

    @AfterAll
    static void stopBackends() {
        EXTERNAL.close();
        EXTERNAL_TLS.close();
    }

    @Test
    void startupTrafficRunsAgainstTheExternalBackendAndStopsByItself() {
        assertThat(backends.embedded()).isFalse();
        assertThat(backends.names()).containsExactly(EXTERNAL.name());
        assertThat(backends.tlsEmbedded()).isFalse();
        assertThat(backends.tlsNames()).containsExactly(EXTERNAL_TLS.name());

        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.status().runs() == 1 && !traffic.status().running());

        TrafficGenerator.Status status = traffic.status();
        assertThat(status.failures()).as("last failure: %s", status.lastFailure()).isZero();
        assertThat(status.echoCalls()).isPositive();
        assertThat(status.sharedCalls()).isPositive();
        assertThat(status.secureCalls()).isPositive();
        assertThat(EXTERNAL.requests()).isEqualTo(status.echoCalls() + status.sharedCalls());
        assertThat(EXTERNAL_TLS.requests()).isEqualTo(status.secureCalls());
        assertThat(echo.statistics(EXTERNAL.name())).isPresent();
        assertThat(multiplex.statistics(EXTERNAL.name()).orElseThrow().shares()).isEqualTo(status.sharedCalls());
        NameStatistics tls = secure.statistics(EXTERNAL_TLS.name()).orElseThrow();
        assertThat(tls.getHits() + tls.created()).isEqualTo(status.secureCalls());
        // Reused, not a handshake per call: the one worker on the secure pool needed one connection.
        assertThat(EXTERNAL_TLS.connectionsAccepted()).isEqualTo(1);
    }
}
