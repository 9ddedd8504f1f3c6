package io.poolrepos.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLSocket;

/**
 * The server of the request/reply benchmark, embedded in the benchmark's JVM and listening on
 * loopback: it answers {@link KeyValues} requests, one thread per connection (threads are reused from
 * one connection to the next, so a connection per request does not pay for a new thread).
 *
 * <p>With an idle limit it closes every connection on which no request came for that long, as caches,
 * proxies and databases do; {@link Duration#ZERO} keeps connections open until the client closes
 * them. The limit is the read timeout of the connection's thread, so a connection is closed when it
 * has been idle at least that long since its last reply.
 *
 * <p>Thread-safe; the counts may be read at any time and are exact once the clients are quiet.
 */
final class KeyValueServer implements AutoCloseable {

    private static final int BACKLOG = 1_024;

    private final KeyValues keyValues;
    private final int idleCloseMillis;
    private final ServerSocket listener;
    private final String name;
    private final ExecutorService workers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final LongAdder served = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder handshakes = new LongAdder();
    private volatile boolean closed;

    KeyValueServer(Transport transport, KeyValues keyValues, Duration idleClose) throws IOException {
        this.keyValues = keyValues;
        this.idleCloseMillis = Math.toIntExact(idleClose.toMillis());
        this.listener = transport.listen(BACKLOG);
        this.name = listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> daemon(r, "kv-server-" + threads.incrementAndGet()));
        daemon(this::acceptUntilClosed, "kv-server-accept").start();
    }

    /** A server over {@code transport} that answers the standard keys and never closes an idle connection. */
    static KeyValueServer start(Transport transport) throws IOException {
        return new KeyValueServer(transport, KeyValues.STANDARD, Duration.ZERO);
    }

    private static Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
    }

    /** Where clients connect: {@code host:port}. */
    String name() {
        return name;
    }

    private void acceptUntilClosed() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                accepted.increment();
                open.add(socket);
                workers.execute(() -> serve(socket));
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    System.err.println("kv-server: accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        byte[] buffer = new byte[256];
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(idleCloseMillis);
            if (socket instanceof SSLSocket tls) {
                // what the first read would do; done here to count it
                tls.startHandshake();
                handshakes.increment();
            }
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int length = 0;
            while (!closed) {
                int read;
                try {
                    read = in.read(buffer, length, buffer.length - length);
                } catch (SocketTimeoutException idle) {
                    idleClosed.increment();
                    return;
                }
                if (read < 0) {
                    return;
                }
                length += read;
                int lineStart = 0;
                for (int i = length - read; i < length; i++) {
                    if (buffer[i] == '\n') {
                        byte[] reply = keyValues.replyTo(buffer, lineStart, i);
                        (reply == KeyValues.ERROR || reply == KeyValues.NOT_FOUND ? refused : served).increment();
                        out.write(reply);
                        lineStart = i + 1;
                    }
                }
                System.arraycopy(buffer, lineStart, buffer, 0, length - lineStart);
                length -= lineStart;
                if (length == buffer.length) {
                    refused.increment();
                    out.write(KeyValues.ERROR);
                    return;
                }
            }
        } catch (IOException e) {
            // reset by the client, or closed by close(): the connection is gone either way
        } finally {
            open.remove(socket);
        }
    }

    /** Connections accepted so far. */
    long accepted() {
        return accepted.sum();
    }

    /** Connections closed because they were idle for the idle limit. */
    long idleClosed() {
        return idleClosed.sum();
    }

    /** TLS handshakes completed, full or resumed; none over plain TCP. */
    long handshakes() {
        return handshakes.sum();
    }

    /** Requests answered with a value. */
    long served() {
        return served.sum();
    }

    /** Requests answered with {@code ERROR} or {@code NOT_FOUND}: none when the clients are right. */
    long refused() {
        return refused.sum();
    }

    /** Connections open now. */
    int open() {
        return open.size();
    }

    /** Waits until no connection is open, for at most {@code timeout}; whether none is. */
    boolean awaitNoneOpen(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
        workers.shutdownNow();
    }
}
