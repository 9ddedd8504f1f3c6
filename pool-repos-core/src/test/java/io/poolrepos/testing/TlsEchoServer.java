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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TLS echo server on 127.0.0.1 for tests: every byte received is written back. It counts completed
 * handshakes, can present another certificate to later clients (a rotation), and can close its
 * clients' connections (close_notify, then FIN) as a server-side idle timeout would. One thread per
 * connection.
 *
 * <p>Shared with other modules through the core's test jar.
 */
public final class TlsEchoServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tls-echo-server");
        t.setDaemon(true);
        return t;
    });
    private final Set<SSLSocket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final Set<String> presented = ConcurrentHashMap.newKeySet();
    private final Set<String> serverNames = ConcurrentHashMap.newKeySet();
    private final AtomicInteger echoed = new AtomicInteger();
    private volatile TestCertificates.Identity identity;
    private volatile SSLContext context;

    private TlsEchoServer(ServerSocket serverSocket, TestCertificates.Identity identity) {
        this.serverSocket = serverSocket;
        present(identity);
        threads.execute(this::acceptLoop);
    }

    /** Starts a server on a free port of 127.0.0.1 that presents {@code identity}. */
    public static TlsEchoServer start(TestCertificates.Identity identity) {
        try {
            ServerSocket ss = new ServerSocket();
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            return new TlsEchoServer(ss, identity);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Presents {@code identity} in every handshake from now on. */
    public void present(TestCertificates.Identity identity) {
        this.context = identity.serverContext();
        this.identity = identity;
    }

    /** The pool name of this server, {@code 127.0.0.1:port}. */
    public String name() {
        return "127.0.0.1:" + serverSocket.getLocalPort();
    }

    /** Handshakes completed so far. */
    public int handshakes() {
        return handshakes.get();
    }

    /** Aliases of the identities presented in completed handshakes. */
    public Set<String> presented() {
        return Set.copyOf(presented);
    }

    /** Host names that clients asked for by SNI. */
    public Set<String> serverNames() {
        return Set.copyOf(serverNames);
    }

    /** Waits until the server has echoed {@code bytes} bytes in all. */
    public void awaitEchoed(int bytes) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> echoed.get() >= bytes);
    }

    /** Connections open on the server side now. */
    public int openConnections() {
        return clients.size();
    }

    /** Waits until {@code count} connections are open on the server side. */
    public void awaitOpenConnections(int count) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> clients.size() == count);
    }

    /** Closes every client connection from the server side: close_notify, then FIN. */
    public void dropClients() {
        for (SSLSocket s : clients) {
            closeQuietly(s);
        }
        awaitOpenConnections(0);
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket plain = serverSocket.accept();
                TestCertificates.Identity shown = identity;
                SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
                s.setUseClientMode(false);
                clients.add(s);
                threads.execute(() -> serve(s, shown));
            } catch (IOException e) {
                // closed, or a client that went away before its handshake
            }
        }
    }

    private void serve(SSLSocket s, TestCertificates.Identity shown) {
        byte[] buffer = new byte[8192];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            s.startHandshake();
            handshakes.incrementAndGet();
            presented.add(shown.alias());
            ((ExtendedSSLSession) s.getSession()).getRequestedServerNames()
                    .forEach(n -> serverNames.add(((SNIHostName) n).getAsciiName()));
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
                echoed.addAndGet(n);
            }
        } catch (IOException ignored) {
            // a failed handshake, or the client went away, or we dropped it
        } finally {
            clients.remove(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (SSLSocket s : clients) {
            closeQuietly(s);
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
