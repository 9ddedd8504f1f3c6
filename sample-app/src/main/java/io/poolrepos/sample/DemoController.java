package io.poolrepos.sample;

import io.poolrepos.PoolReposException;
import io.poolrepos.sample.client.ExclusiveEchoClient;
import io.poolrepos.sample.client.SharedRequestClient;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's REST API under {@code /api}: one call through each pool, and the traffic generator.
 */
@RestController
@RequestMapping("/api")
class DemoController {

    private final ExclusiveEchoClient echo;
    private final SharedRequestClient shared;
    private final ExclusiveEchoClient secure;
    private final TrafficGenerator traffic;
    private final Backends backends;

    DemoController(@Qualifier("exclusiveEchoClient") ExclusiveEchoClient echo, SharedRequestClient shared,
            @Qualifier("secureEchoClient") ExclusiveEchoClient secure, TrafficGenerator traffic, Backends backends) {
        this.echo = echo;
        this.shared = shared;
        this.secure = secure;
        this.traffic = traffic;
        this.backends = backends;
    }

    /** The backend names the pools hold connections for: plain ones, and TLS ones for {@code secure}. */
    @GetMapping("/backends")
    BackendsView backends() {
        return new BackendsView(backends.embedded(), backends.names(), backends.tlsEmbedded(), backends.tlsNames());
    }

    /** One {@code ECHO} round trip on a connection taken exclusively from the {@code echo} pool. */
    @GetMapping("/echo")
    Reply echo(@RequestParam(defaultValue = "hello") String text, @RequestParam(defaultValue = "0") int backend) {
        String name = backends.name(backend);
        return new Reply(echo.pool().poolName(), name, echo.echo(name, text));
    }

    /** One tagged request on a connection shared through the {@code multiplex} pool. */
    @GetMapping("/request")
    Reply request(@RequestParam(defaultValue = "hello") String text, @RequestParam(defaultValue = "0") int backend) {
        String name = backends.name(backend);
        return new Reply(shared.pool().poolName(), name, shared.request(name, text));
    }

    /** One {@code ECHO} round trip over TLS on a connection taken exclusively from the {@code secure} pool. */
    @GetMapping("/secure-echo")
    Reply secureEcho(@RequestParam(defaultValue = "hello") String text, @RequestParam(defaultValue = "0") int backend) {
        String name = backends.tlsName(backend);
        return new Reply(secure.pool().poolName(), name, secure.echo(name, text));
    }

    /** Starts a bounded traffic run, with the trouble drills when asked (or reports the run in progress). */
    @PostMapping("/traffic")
    ResponseEntity<TrafficView> startTraffic(@RequestParam(defaultValue = "30") int seconds,
            @RequestParam(defaultValue = "8") int workers, @RequestParam(defaultValue = "false") boolean trouble) {
        traffic.start(Duration.ofSeconds(seconds), workers, trouble);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(trafficView());
    }

    /** The traffic generator's status and the clients' own counts, to compare with the pools'. */
    @GetMapping("/traffic")
    TrafficView traffic() {
        return trafficView();
    }

    private TrafficView trafficView() {
        return new TrafficView(traffic.status(), echo.acquires(), shared.leases(), shared.multiplexedSockets(),
                secure.acquires());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException ex) {
        return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
    }

    @ExceptionHandler({UncheckedIOException.class, PoolReposException.class})
    ResponseEntity<Map<String, String>> unavailable(RuntimeException ex) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", String.valueOf(ex.getMessage())));
    }

    record BackendsView(boolean embedded, List<String> names, boolean tlsEmbedded, List<String> tlsNames) {
    }

    record Reply(String pool, String name, String reply) {
    }

    /**
     * @param generator the traffic generator's status
     * @param echoAcquires calls of {@code acquire} by the exclusive client (each successful one is one get hit or one created connection in {@code echo})
     * @param sharedLeases leases the sharable client obtained (each is one share in {@code multiplex})
     * @param multiplexedSockets shared sockets with a reader thread now
     * @param secureAcquires calls of {@code acquire} by the TLS client (each successful one is one get hit or one created connection in {@code secure})
     */
    record TrafficView(TrafficGenerator.Status generator, long echoAcquires, long sharedLeases, int multiplexedSockets,
            long secureAcquires) {
    }
}
