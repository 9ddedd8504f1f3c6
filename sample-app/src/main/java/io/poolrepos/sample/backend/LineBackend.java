package io.poolrepos.sample.backend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small TCP server on 127.0.0.1 that speaks a line protocol, so that the sample needs nothing else
 * installed; started with a server {@link SSLContext}, it speaks the same protocol inside TLS. Every
 * line ends with {@code \n} and is UTF-8:
 * <ul>
 * <li>{@code ECHO <text>} is answered with {@code <text>}, in order: one caller per connection.</li>
 * <li>{@code REQ <id> <text>} is answered with {@code RES <id> <text>} after a random delay of up to
 *     {@code maxDelay}, so replies to several requests in flight come back out of order. The id lets
 *     several callers share one connection.</li>
 * <li>anything else is answered with {@code ERR <reason>}.</li>
 * </ul>
 * {@code ECHO} also waits a random delay before answering, so that connections stay in use long enough
 * for a person to see it on the dashboard.
 *
 * <p>Thread-safe. One platform thread per connection reads; replies to {@code REQ} are written by a
 * small scheduler under a per-connection lock, so lines never interleave.
 */
public final class LineBackend implements AutoCloseable {

    /** Longest request line accepted; a longer one closes the connection (the sample never sends one). */
    static final int MAX_LINE = 4096;

    private final ServerSocket server;
    private final Duration maxDelay;
    private final SSLContext tls;
    private final ScheduledExecutorService replies;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    private LineBackend(ServerSocket server, Duration maxDelay, SSLContext tls) {
        this.server = server;
        this.maxDelay = maxDelay;
        this.tls = tls;
        int port = server.getLocalPort();
        AtomicInteger n = new AtomicInteger();
        this.replies = Executors.newScheduledThreadPool(2, r -> daemon(r, "backend-" + port + "-reply-" + n.incrementAndGet()));
        this.acceptor = daemon(this::acceptLoop, "backend-" + port + "-accept");
    }

    /**
     * Starts a plain TCP backend on 127.0.0.1.
     *
     * @param port the port, or 0 for any free one
     * @param maxDelay the longest random delay before a reply; zero answers at once
     */
    public static LineBackend start(int port, Duration maxDelay) throws IOException {
        return start(port, maxDelay, null);
    }

    /**
     * Starts a backend on 127.0.0.1 that speaks TLS when given a server context: each accepted
     * connection must complete a TLS handshake, presenting the context's certificate, before its first
     * line is read. A client that does not speak TLS gets no reply and is disconnected.
     *
     * @param port the port, or 0 for any free one
     * @param maxDelay the longest random delay before a reply; zero answers at once
     * @param tls the server's context (its key managers hold the certificate and key), or null for plain TCP
     */
    public static LineBackend start(int port, Duration maxDelay, SSLContext tls) throws IOException {
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative, was " + maxDelay);
        }
        ServerSocket server = new ServerSocket();
        try {
            // A backend started again on its port (restart) must not wait for the old connections' TIME_WAIT.
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException ex) {
            server.close();
            throw new IOException("Cannot start the sample backend on 127.0.0.1:" + port + ": " + ex.getMessage(), ex);
        }
        LineBackend backend = new LineBackend(server, maxDelay, tls);
        backend.acceptor.start();
        return backend;
    }

    /**
     * Starts a new backend on this one's port, with its delay and TLS context: how a stopped backend
     * comes back. Call it once this one is closed.
     *
     * @throws IOException when the port cannot be bound again
     */
    public LineBackend restart() throws IOException {
        return start(server.getLocalPort(), maxDelay, tls);
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Whether connections speak TLS. */
    public boolean tls() {
        return tls != null;
    }

    /** {@code 127.0.0.1:<port>}: the name a pool keeps its connections under. */
    public String name() {
        return "127.0.0.1:" + port();
    }

    /** Connections accepted since start. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Connections open now. */
    public int connectionsOpen() {
        return connections.size();
    }

    /** Request lines answered or being answered since start. */
    public long requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = layer(server.accept());
                if (closed) {
                    // Accepted while close() ran (a blocked accept can still take a connection that
                    // arrives before it is woken): a stopped backend answers nothing.
                    socket.close();
                    return;
                }
                accepted.incrementAndGet();
                connections.add(socket);
                daemon(() -> serve(socket), "backend-" + port() + "-conn-" + accepted.get()).start();
            } catch (IOException ex) {
                // accept fails when close() closes the server socket: the normal way out of the loop.
                if (!closed) {
                    sleepQuietly(10);
                }
            }
        }
    }

    /**
     * The socket the protocol runs on: the accepted one, or a server-mode TLS socket over it. Layering
     * does no I/O; the handshake runs on the connection's own thread at its first read, so a client
     * that stalls it holds up nobody else.
     */
    private Socket layer(Socket accepted) throws IOException {
        if (tls == null) {
            return accepted;
        }
        try {
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(accepted, null, true);
            socket.setUseClientMode(false);
            return socket;
        } catch (IOException | RuntimeException ex) {
            accepted.close();
            throw ex;
        }
    }

    private void serve(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = socket.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.length() > MAX_LINE) {
                    write(out, "ERR line longer than " + MAX_LINE + " characters");
                    return;
                }
                requests.incrementAndGet();
                handle(line, out);
            }
        } catch (IOException ex) {
            // The peer went away, failed the TLS handshake, or close() closed the socket: nothing to
            // answer any more.
        } finally {
            connections.remove(socket);
        }
    }

    private void handle(String line, OutputStream out) throws IOException {
        if (line.startsWith("ECHO ") || line.equals("ECHO")) {
            sleepQuietly(randomDelayMillis());
            write(out, line.length() > 5 ? line.substring(5) : "");
            return;
        }
        if (line.startsWith("REQ ")) {
            int space = line.indexOf(' ', 4);
            String id = space < 0 ? line.substring(4) : line.substring(4, space);
            String text = space < 0 ? "" : line.substring(space + 1);
            if (id.isEmpty()) {
                write(out, "ERR REQ needs an id: REQ <id> <text>");
                return;
            }
            // Answered later, from another thread: replies overtake each other, as on a real shared link.
            replies.schedule(() -> writeQuietly(out, "RES " + id + " " + text), randomDelayMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        write(out, "ERR unknown command; use ECHO <text> or REQ <id> <text>");
    }

    private long randomDelayMillis() {
        long max = maxDelay.toMillis();
        return max <= 0 ? 0 : ThreadLocalRandom.current().nextLong(max + 1);
    }

    private static void write(OutputStream out, String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        // One lock per connection (its stream): a reply is never split by another reply.
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private static void writeQuietly(OutputStream out, String line) {
        try {
            write(out, line);
        } catch (IOException ex) {
            // The connection closed while the reply waited; the caller has gone.
        }
    }

    private static void sleepQuietly(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Stops accepting, closes every connection and the reply scheduler. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ex) {
            // Closing a listening socket only fails if it is closed already.
        }
        // Only once the accept loop has ended is nothing accepted any more; until then a client can
        // still connect to the closing listener and be served by a backend that was stopped.
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException ex) {
                // Going away anyway.
            }
        }
        replies.shutdownNow();
    }

    @Override
    public String toString() {
        return "LineBackend[" + name() + (tls == null ? "" : ", tls") + "]";
    }
}
