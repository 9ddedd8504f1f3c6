package io.poolrepos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A misbehaving backend on 127.0.0.1 for fault tests. {@link #halfOpen()} accepts connections and
 * never answers; {@link #stalled()} never accepts and has its accept queue filled, so that further
 * connects hang until the client's connect timeout.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final List<Socket> held = new ArrayList<>();
    private final Thread acceptor;

    private SilentServer(ServerSocket serverSocket, boolean accept) {
        this.serverSocket = serverSocket;
        if (accept) {
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = serverSocket.accept();
                        synchronized (held) {
                            held.add(s);
                        }
                    }
                } catch (IOException closed) {
                    // stopped
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        } else {
            acceptor = null;
        }
    }

    /** Accepts connections and never reads or writes: requests get no reply. */
    public static SilentServer halfOpen() {
        return new SilentServer(bind(50), true);
    }

    /** Never accepts; its accept queue is full, so new connects hang until they time out. */
    public static SilentServer stalled() {
        SilentServer server = new SilentServer(bind(1), false);
        server.fillBacklog();
        return server;
    }

    public String name() {
        return "127.0.0.1:" + serverSocket.getLocalPort();
    }

    private static ServerSocket bind(int backlog) {
        try {
            ServerSocket ss = new ServerSocket();
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
            return ss;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fillBacklog() {
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            try {
                s.connect(serverSocket.getLocalSocketAddress(), 200);
                held.add(s);
            } catch (SocketTimeoutException full) {
                EchoServer.closeQuietly(s);
                return;
            } catch (IOException e) {
                EchoServer.closeQuietly(s);
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("accept queue never filled up");
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (held) {
            held.forEach(EchoServer::closeQuietly);
        }
    }
}
