package io.poolrepos.testing;

import static org.awaitility.Awaitility.await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP echo server on 127.0.0.1 for tests: every byte received is written back. One thread per
 * connection; {@link #close()} stops it and closes every connection. Can also drop its clients'
 * connections (as a server-side idle timeout would) to test dead-connection handling.
 *
 * <p>Shared with other modules through the core's test jar.
 */
public final class EchoServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "echo-server");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final java.util.concurrent.Future<?> acceptor;
    private volatile boolean running = true;

    private EchoServer(ServerSocket serverSocket) {
        this.serverSocket = serverSocket;
        acceptor = threads.submit(this::acceptLoop);
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static EchoServer start() {
        return start(0);
    }

    /** Starts a server on the given port of 127.0.0.1 (0: any free port), for restart tests. */
    public static EchoServer start(int port) {
        try {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return new EchoServer(ss);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The pool name of this server, {@code 127.0.0.1:port}. */
    public String name() {
        return "127.0.0.1:" + port();
    }

    /** Opens a new client socket to this server. */
    public Socket connect() {
        try {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 2_000);
            s.setSoTimeout(5_000);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections open on the server side now. */
    public int openConnections() {
        return clients.size();
    }

    /**
     * Waits until the server has accepted {@code count} connections in all: a client's connect
     * returns before the server's accept loop has seen it.
     */
    public void awaitAccepted(int count) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> accepted.get() >= count);
    }

    /** Closes the server side of every accepted connection, as a server-side idle timeout would. */
    public void dropClients() {
        for (Socket s : clients) {
            try {
                // The FIN goes out now even while the echo thread is blocked reading this socket.
                s.shutdownOutput();
            } catch (IOException ignored) {
                // closing anyway
            }
            closeQuietly(s);
        }
    }

    /** Resets every accepted connection (RST instead of FIN), as a crashing or overloaded server would. */
    public void resetClients() {
        for (Socket s : clients) {
            try {
                s.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // closing anyway
            }
            closeQuietly(s);
        }
    }

    /** Writes {@code message} and reads the same number of bytes back; fails if the echo differs. */
    public static String roundTrip(Socket socket, String message) {
        try {
            byte[] out = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            OutputStream os = socket.getOutputStream();
            os.write(out);
            os.flush();
            byte[] in = socket.getInputStream().readNBytes(out.length);
            String back = new String(in, java.nio.charset.StandardCharsets.UTF_8);
            if (!back.equals(message)) {
                throw new IllegalStateException("echo mismatch: sent '" + message + "', got '" + back + "'");
            }
            return back;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = serverSocket.accept();
                if (!running) {
                    // Accepted while close() ran (a blocked accept can still take a connection that
                    // arrives before it is woken): a stopped server answers nothing.
                    closeQuietly(s);
                    return;
                }
                accepted.incrementAndGet();
                clients.add(s);
                threads.execute(() -> echo(s));
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void echo(Socket s) {
        byte[] buffer = new byte[8192];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (SocketException ignored) {
            // client went away or we dropped it
        } catch (IOException ignored) {
            // same
        } finally {
            clients.remove(s);
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        // Only once the accept loop has ended is nothing accepted any more: until then a connect can
        // still land in the closing listener, and a test would talk to a server it has stopped.
        try {
            acceptor.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("echo server's accept loop did not end", e);
        }
        dropClients();
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
