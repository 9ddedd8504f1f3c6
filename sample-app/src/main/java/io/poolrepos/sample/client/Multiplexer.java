package io.poolrepos.sample.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Lets several threads use one shared socket at once: each request carries an id
 * ({@code REQ <id> <text>}), and one reader thread per socket hands each reply ({@code RES <id> <text>})
 * to the caller waiting for that id, whatever order the replies come in.
 *
 * <p>Thread-safe. Writes are serialised under a lock so request lines never interleave. When the
 * socket fails, every waiting caller fails and the socket is shut down (not closed: the pool owns
 * it and closes it, counted as dead, the next time it looks at it).
 */
final class Multiplexer {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Object writeLock = new Object();
    private final Consumer<Multiplexer> onDead;
    private volatile IOException failure;

    private Multiplexer(Socket socket, Consumer<Multiplexer> onDead) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        this.onDead = onDead;
    }

    /** Starts the reader thread of {@code socket}; {@code onDead} runs once when the socket fails. */
    static Multiplexer start(Socket socket, Consumer<Multiplexer> onDead) {
        Multiplexer m;
        try {
            m = new Multiplexer(socket, onDead);
        } catch (IOException ex) {
            // Its first call fails and reports it dead; not here, where the caller may be inside a map update.
            return new Multiplexer(socket, onDead, ex);
        }
        Thread reader = new Thread(m::readLoop, "multiplex-reader-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
        return m;
    }

    private Multiplexer(Socket socket, Consumer<Multiplexer> onDead, IOException failure) {
        this.socket = socket;
        this.out = OutputStream.nullOutputStream();
        this.in = InputStream.nullInputStream();
        this.onDead = onDead;
        this.failure = failure;
    }

    Socket socket() {
        return socket;
    }

    /** Requests in flight on this socket. */
    int pending() {
        return pending.size();
    }

    /**
     * Sends {@code REQ <id> text} and waits for its reply.
     *
     * @return the reply text (without {@code RES <id> })
     * @throws UncheckedIOException when the socket failed or no reply came within {@code timeout}
     */
    String call(String text, Duration timeout) {
        long id = ids.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            IOException dead = failure;
            if (dead != null) {
                throw dead;
            }
            synchronized (writeLock) {
                Lines.write(out, "REQ " + id + " " + text);
            }
            return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (IOException ex) {
            fail(ex);
            throw new UncheckedIOException("request on shared connection failed: " + ex.getMessage(), ex);
        } catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            IOException io = cause instanceof IOException e ? e : new IOException(cause);
            throw new UncheckedIOException("request on shared connection failed: " + io.getMessage(), io);
        } catch (TimeoutException ex) {
            throw new UncheckedIOException(new IOException("no reply to request " + id + " within " + timeout));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting for request " + id));
        } finally {
            pending.remove(id);
        }
    }

    private void readLoop() {
        try {
            for (;;) {
                String line;
                try {
                    line = Lines.read(in);
                } catch (SocketTimeoutException idle) {
                    // The pool's so-timeout applies to this socket too; on a shared link silence is normal.
                    continue;
                }
                dispatch(line);
            }
        } catch (IOException ex) {
            fail(ex);
        }
    }

    private void dispatch(String line) throws IOException {
        if (!line.startsWith("RES ")) {
            throw new IOException("unexpected line from the backend: " + line);
        }
        int space = line.indexOf(' ', 4);
        long id;
        try {
            id = Long.parseLong(space < 0 ? line.substring(4) : line.substring(4, space));
        } catch (NumberFormatException ex) {
            throw new IOException("reply with a bad id: " + line, ex);
        }
        CompletableFuture<String> reply = pending.get(id);
        if (reply != null) {
            reply.complete(space < 0 ? "" : line.substring(space + 1));
        }
        // No caller: it timed out and left; the late reply is dropped.
    }

    private void fail(IOException ex) {
        if (failure == null) {
            failure = ex;
        }
        pending.values().forEach(f -> f.completeExceptionally(ex));
        try {
            // Marks the socket dead for the pool's liveness check without closing it under other sharers.
            if (!socket.isClosed()) {
                socket.shutdownInput();
                socket.shutdownOutput();
            }
        } catch (IOException ignored) {
            // Already broken: the pool will find it dead either way.
        }
        onDead.accept(this);
    }
}
