package io.poolrepos.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Unix domain echo server on a socket file in a new temporary directory: every byte received is
 * written back. Can close its clients' connections. One thread per connection.
 *
 * <p>Shared with other modules through the core's test jar.
 */
public final class UnixEchoServer implements AutoCloseable {

    private final Path path;
    private final ServerSocketChannel server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "unix-echo-server");
        t.setDaemon(true);
        return t;
    });
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger echoed = new AtomicInteger();

    private UnixEchoServer(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
        threads.execute(this::acceptLoop);
    }

    public static UnixEchoServer start() {
        try {
            Path path = Files.createTempDirectory("pool-repos-uds").resolve("echo.sock");
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            return new UnixEchoServer(path, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pool name of this server: its socket path. */
    public String name() {
        return path.toString();
    }

    public int accepted() {
        return accepted.get();
    }

    /** Waits until the server has echoed {@code bytes} bytes in all. */
    public void awaitEchoed(int bytes) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> echoed.get() >= bytes);
    }

    /** Closes every client connection from the server side. */
    public void dropClients() {
        for (SocketChannel c : clients) {
            closeQuietly(c);
        }
        await().atMost(5, TimeUnit.SECONDS).until(clients::isEmpty);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                accepted.incrementAndGet();
                clients.add(c);
                threads.execute(() -> echo(c));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void echo(SocketChannel c) {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try (c) {
            while (c.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    echoed.addAndGet(c.write(buffer));
                }
                buffer.clear();
            }
        } catch (IOException ignored) {
            // the client went away, or we dropped it
        } finally {
            clients.remove(c);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.getParent());
        } catch (IOException ignored) {
            // best effort
        }
        clients.forEach(UnixEchoServer::closeQuietly);
        threads.shutdownNow();
    }
}
