package io.poolrepos.benchmarks;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

/**
 * get + add of real TCP connections, on one name, to a listener on 127.0.0.1 that the benchmark
 * starts: what a round trip costs when the connection is a socket and not a dummy. Not in the suite
 * (no peer has the same checks to compare with); run by hand, see BENCHMARKS.md.
 * <ul>
 *   <li>{@code probe}: the library's socket adapter ({@link ConnectionAdapter#sockets()}) on sockets
 *       from {@link TcpConnectionFactory}, which have a channel, so every get and every add probes the
 *       peer with a non-blocking one-byte read (switching blocking mode off and on around it);</li>
 *   <li>{@code probe-after-idle}: the library's adapter with {@code probeAfterIdle} of one second, so
 *       that get probes only connections idle that long (none here) and add still probes every one;</li>
 *   <li>{@code alive-only}: the same sockets with an adapter that checks only the socket's own flags,
 *       the cost of the pool without the probe.</li>
 * </ul>
 * Not thread-safe: JMH drives it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SocketGetAddBenchmark {

    static final int PER_NAME = 2;

    @Param({"probe", "probe-after-idle", "alive-only"})
    public String check;

    private ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private PoolRepository repository;
    private ConnectionPool<Socket> pool;
    private String name;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptUntilClosed, "benchmark-listener");
        acceptor.setDaemon(true);
        acceptor.start();
        name = "127.0.0.1:" + listener.getLocalPort();
        repository = PoolRepository.create();
        pool = repository.pool("sockets", check.equals("alive-only") ? ClientConfig.ALIVE_ONLY : ConnectionAdapter.sockets(),
                PoolSettings.builder()
                        .probeAfterIdle(check.equals("probe-after-idle") ? Duration.ofSeconds(1) : Duration.ZERO)
                        .build(),
                TcpConnectionFactory.create());
        TcpConnectionFactory factory = TcpConnectionFactory.create();
        for (int i = 0; i < PER_NAME; i++) {
            pool.add(name, factory.connect(name));
        }
    }

    private void acceptUntilClosed() {
        try {
            while (true) {
                accepted.add(listener.accept()); // held open, never written: the pool's sockets stay quiet
            }
        } catch (IOException closed) {
            // the listener was closed by tearDown
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        repository.close();
        listener.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Benchmark
    public Socket getAdd() {
        Socket socket = pool.get(name).orElseThrow(() -> new IllegalStateException("no idle socket of " + name));
        pool.add(name, socket);
        return socket;
    }

    /** The pool measured, for tests that check the benchmark measures round trips and not reconnects. */
    ConnectionPool<Socket> pool() {
        return pool;
    }

    String name() {
        return name;
    }
}
