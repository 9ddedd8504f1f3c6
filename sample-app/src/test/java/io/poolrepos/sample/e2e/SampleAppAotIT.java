package io.poolrepos.sample.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The packaged sample app started from its AOT-processed classes ({@code -Dspring.aot.enabled=true}),
 * which the build made with {@code spring-boot:process-aot}: the pool beans come from generated code,
 * are injected by qualifier into the clients, and the endpoint, metrics and health work as without AOT.
 */
class SampleAppAotIT {

    @Test
    void theAotProcessedAppStartsWithItsPoolsAndServesRequestsThroughThem() throws IOException {
        try (SampleAppProcess app = SampleAppProcess.start("aot-app", List.of("-Dspring.aot.enabled=true"))) {
            assertThat(app.output()).as("Boot says when it runs the AOT-processed application")
                    .contains("Starting AOT-processed SampleApplication");

            JsonNode pools = app.getJson("/actuator/poolrepos").get("pools");
            assertThat(pools.valueStream().map(pool -> pool.get("pool").asString())).containsExactly("echo", "multiplex", "secure");
            assertThat(pools.get(0).at("/settings/maxOpenPerName").asInt()).isEqualTo(16);
            assertThat(pools.get(1).get("sharable").asBoolean()).isTrue();

            assertThat(app.getJson("/api/echo?backend=1&text=aot").get("reply").asString()).isEqualTo("aot");
            assertThat(app.getJson("/api/request?backend=1&text=aot").get("reply").asString()).isEqualTo("aot");
            assertThat(app.getJson("/api/secure-echo?text=aot").get("reply").asString()).as("over TLS, from an SSL bundle")
                    .isEqualTo("aot");
            assertThat(app.getJson("/actuator/poolrepos/echo/" + app.backendNames().get(1)).get("created").asInt())
                    .isEqualTo(1);
            // The warm-up of the first backend's name, as configured, read from the same configuration.
            assertThat(app.firstHealthyAnswer().at("/components/poolRepos/details/pools/echo/warmUp/state").asString())
                    .isEqualTo("WARM");
            assertThat(app.get("/actuator/prometheus", 200)).contains("pool_repos_connections_opened_total{");
            assertThat(app.statusOf("/actuator/health")).isEqualTo(200);
        }
    }
}
