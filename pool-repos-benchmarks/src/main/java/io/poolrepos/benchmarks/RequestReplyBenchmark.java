package io.poolrepos.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One request and its checked reply over loopback, to a {@link KeyValueServer} that the benchmark
 * starts in its own JVM, through each {@link ClientConfig}, over plain TCP or (the TLS
 * configurations) TLS. JMH's threads are the clients (the suite runs 1, 8 and 64). Sample-time mode:
 * JMH times a random sample of the requests (p50, p99, mean), and counts all of them, from which
 * {@link RequestReplySuite} takes the throughput. A request that fails fails the run. Not
 * thread-safe: JMH drives it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestReplyBenchmark {

    @Param({"ours", "ours-probe-always", "ours-idle-1s", "ours-no-probe", "cp2-unchecked", "cp2-checked", "owned-socket", "new-socket",
        "ours-tls", "new-tls-socket"})
    public String config;

    private KeyValueServer server;
    private Connector connector;
    private Connections connections;
    private final AtomicInteger lanes = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        start(params.getThreads());
    }

    /** Starts the server and the configuration's connections, sized for {@code threads}. */
    void start(int threads) throws IOException {
        ClientConfig clientConfig = ClientConfig.of(config);
        server = KeyValueServer.start(clientConfig.transport());
        connector = new Connector(clientConfig.transport(), server.name());
        connections = clientConfig.connections(connector, threads);
    }

    /** A new client thread's lane; each starts at another key. */
    Lane lane() {
        return new Lane(connections, KeyValues.STANDARD, lanes.getAndIncrement() * 97);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        // Printed into JMH's log: a pool that reconnects measures something else.
        System.out.printf("%s: %d connections opened, %d TLS handshakes, %d requests served, %d refused%n",
                config, connector.opened(), server.handshakes(), server.served(), server.refused());
        stop();
    }

    /** Closes the connections and the server. */
    void stop() throws IOException {
        connections.close();
        server.close();
    }

    /** Each JMH thread's client. */
    @State(Scope.Thread)
    public static class Client {

        Lane lane;

        @Setup(Level.Trial)
        public void setUp(RequestReplyBenchmark benchmark) {
            lane = benchmark.lane();
        }
    }

    @Benchmark
    public int request(Client client) throws IOException {
        return client.lane.request();
    }

    Connector connector() {
        return connector;
    }

    KeyValueServer server() {
        return server;
    }
}
