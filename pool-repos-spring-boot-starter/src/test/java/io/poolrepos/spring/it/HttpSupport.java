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

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    HttpSupport(int port) {
        this.port = port;
    }

    HttpResponse<String> call(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (PRINT) {
                System.out.println("$ curl -X " + method + " localhost:8080" + path + "\n" + response.body() + "\n");
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
