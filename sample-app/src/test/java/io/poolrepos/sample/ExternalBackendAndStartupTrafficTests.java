package io.poolrepos.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.poolrepos.ConnectionPool;
import io.poolrepos.sample.backend.LineBackend;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app pointed at a backend it did not start ({@code sample.backend.external}) and told to run
 * traffic on start-up ({@code sample.traffic.on-startup}): the traffic reaches that backend through
 * both pools and stops by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "sample.traffic.on-startup=1s", "sample.traffic.workers=4"})
class ExternalBackendAndStartupTrafficTests {

    private static final LineBackend EXTERNAL = start();

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

    private static LineBackend start() {
        try {
            return LineBackend.start(0, Duration.ofMillis(5));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @DynamicPropertySource
    static void external(DynamicPropertyRegistry registry) {
        registry.add("sample.backend.external", EXTERNAL::name);
    }

    @AfterAll
    static void stopBackend() {
        EXTERNAL.close();
    }

    @Test
    void startupTrafficRunsAgainstTheExternalBackendAndStopsByItself() {
        assertThat(backends.embedded()).isFalse();
        assertThat(backends.names()).containsExactly(EXTERNAL.name());

        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.status().runs() == 1 && !traffic.status().running());

        TrafficGenerator.Status status = traffic.status();
        assertThat(status.failures()).as("last failure: %s", status.lastFailure()).isZero();
        assertThat(status.echoCalls()).isPositive();
        assertThat(status.sharedCalls()).isPositive();
        assertThat(EXTERNAL.requests()).isEqualTo(status.echoCalls() + status.sharedCalls());
        assertThat(echo.statistics(EXTERNAL.name())).isPresent();
        assertThat(multiplex.statistics(EXTERNAL.name()).orElseThrow().shares()).isEqualTo(status.sharedCalls());
    }
}
