package io.poolrepos.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/**
 * Real HTTP calls to the application under test, on 127.0.0.1. Set -Dstarter.it.print=true to see the
 * bodies. (Not a poolrepos.* name: Boot binds poolrepos.* to pool-repos.* and the starter refuses
 * unknown keys there.)
 */
final class HttpSupport {

    private static final boolean PRINT = Boolean.getBoolean("starter.it.print");

    /** Header a test's principal filter reads the caller's name from. */
    static final String USER_HEADER = "X-Test-User";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    HttpSupport(int port) {
        this.port = port;
    }

    HttpResponse<String> call(String method, String path) {
        return send(method, path, null, null);
    }

    /**
     * POSTs {@code json} (none when null) to {@code path} as JSON, as actuator's write operations take
     * it, and as {@code user} when not null (see the test's principal filter).
     */
    HttpResponse<String> post(String path, String json, String user) {
        return send("POST", path, json, user);
    }

    private HttpResponse<String> send(String method, String path, String json, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null || "POST".equals(method)) {
            builder.header("Content-Type", "application/json");
        }
        if (user != null) {
            builder.header(USER_HEADER, user);
        }
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            if (PRINT) {
                System.out.println("$ curl -X " + method + " localhost:8080" + path
                        + (json == null ? "" : " -H 'Content-Type: application/json' -d '" + json + "'") + "\n"
                        + response.body() + "\n");
            }
            return response;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** GETs {@code path}, expects 200 and returns the parsed JSON. */
    DocumentContext json(String path) {
        HttpResponse<String> response = call("GET", path);
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JsonPath.parse(response.body());
    }

    /** The value the metrics endpoint reports for a meter of one pool and name. */
    double meter(String meter, String pool, String name, String... moreTags) {
        StringBuilder path = new StringBuilder("/actuator/metrics/" + meter + "?tag=pool:" + pool + "&tag=name:" + name);
        for (String tag : moreTags) {
            path.append("&tag=").append(tag);
        }
        Number value = json(path.toString()).read("$.measurements[0].value");
        return value.doubleValue();
    }
}
