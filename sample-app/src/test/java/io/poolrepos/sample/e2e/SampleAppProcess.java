package io.poolrepos.sample.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged sample app ({@code java -jar}) running as a separate process on free loopback ports,
 * with two embedded backends and one embedded TLS backend on free ports too. Its output goes to {@code target/<label>.log}, which a
 * failing test prints. Not thread-safe: one test class drives one process.
 */
final class SampleAppProcess implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path log;
    private final int port;
    private final List<Integer> backendPorts;
    private final int tlsBackendPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The first answer of {@code /actuator/health} that was 200 (readiness included), as JSON. */
    private volatile JsonNode firstHealthy;

    private SampleAppProcess(Process process, Path log, int port, List<Integer> backendPorts, int tlsBackendPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.backendPorts = backendPorts;
        this.tlsBackendPort = tlsBackendPort;
    }

    /** Starts the jar named by the system property {@code sample.jar} and waits until it is healthy. */
    static SampleAppProcess start(String label, String... extraArgs) throws IOException {
        return start(label, List.of(), extraArgs);
    }

    /** As {@link #start(String, String...)}, with options for the JVM ({@code -Dspring.aot.enabled=true}). */
    static SampleAppProcess start(String label, List<String> jvmOptions, String... extraArgs) throws IOException {
        String jar = System.getProperty("sample.jar");
        assertThat(jar).as("system property sample.jar (set by failsafe in sample-app/pom.xml)").isNotBlank();
        assertThat(Path.of(jar)).as("the packaged sample app; run through `./mvnw verify`").isRegularFile();
        int port = freePort();
        List<Integer> backendPorts = List.of(freePort(), freePort());
        int tlsBackendPort = freePort();
        Path log = Path.of(jar).resolveSibling(label + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar, "--server.address=127.0.0.1", "--server.port=" + port,
                // Indexed, as application.yml's warm-up-names reads sample.backend.ports[0].
                "--sample.backend.ports[0]=" + backendPorts.get(0), "--sample.backend.ports[1]=" + backendPorts.get(1),
                "--sample.backend.tls-ports=" + tlsBackendPort));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        SampleAppProcess app = new SampleAppProcess(process, log, port, backendPorts, tlsBackendPort);
        try {
            await("the sample app to answer /actuator/health").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("the sample app exited with " + process.exitValue()
                                    + "; its output:\n" + app.output());
                        }
                        HttpResponse<String> health = app.getOrNull("/actuator/health");
                        if (health == null || health.statusCode() != 200) {
                            return false;
                        }
                        app.firstHealthy = JSON.readTree(health.body());
                        return true;
                    });
        } catch (RuntimeException | AssertionError ex) {
            app.close();
            throw ex;
        }
        return app;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:<port>} of the embedded backends, in order. */
    List<String> backendNames() {
        return backendPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    /** {@code 127.0.0.1:<port>} of the embedded TLS backend. */
    String tlsBackendName() {
        return "127.0.0.1:" + tlsBackendPort;
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException ex) {
            return "(cannot read " + log + ": " + ex + ")";
        }
    }

    int statusOf(String path) {
        HttpResponse<String> response = getOrNull(path);
        return response == null ? -1 : response.statusCode();
    }

    /** GET {@code path}; null when the app does not answer. */
    private HttpResponse<String> getOrNull(String path) {
        try {
            return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
        } catch (IOException ex) {
            return null;
        }
    }

    /**
     * The first answer of {@code /actuator/health} with status 200, which {@link #start} waited for:
     * the application was ready then (its readiness state is part of the aggregate).
     */
    JsonNode firstHealthyAnswer() {
        return firstHealthy;
    }

    /** GET {@code path}, expecting 200, as JSON. */
    JsonNode getJson(String path) throws IOException {
        return JSON.readTree(get(path, 200));
    }

    /** POST {@code path}, expecting {@code status}, as JSON. */
    JsonNode postJson(String path, int status) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** GET {@code path}, expecting {@code status}, as text. */
    String get(String path, int status) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(status);
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }
}
