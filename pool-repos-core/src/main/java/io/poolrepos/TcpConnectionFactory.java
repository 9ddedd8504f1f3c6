package io.poolrepos;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Opens TCP {@link Socket}s for names of the form {@code host:port} (IPv6 literals in brackets,
 * {@code [::1]:8080}). Immutable and thread-safe.
 *
 * <p>Every socket gets the configured connect timeout, TCP_NODELAY, SO_KEEPALIVE and SO_TIMEOUT. Sockets
 * are opened through a {@link SocketChannel} (in blocking mode), which lets the pool notice a
 * server's close before handing the socket out.
 * A name that is not {@code host:port} fails the connect with an {@link InvalidArgumentException},
 * which {@code acquire} reports as a {@link ConnectFailedException}.
 */
public final class TcpConnectionFactory implements ConnectionFactory<Socket> {

    private final Duration connectTimeout;
    private final boolean tcpNoDelay;
    private final boolean keepAlive;
    private final Duration soTimeout;

    private TcpConnectionFactory(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.tcpNoDelay = b.tcpNoDelay;
        this.keepAlive = b.keepAlive;
        this.soTimeout = b.soTimeout;
    }

    /** A factory with the defaults: 5 s connect timeout, TCP_NODELAY and keep-alive on, no read timeout. */
    public static TcpConnectionFactory create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether {@code socket} is connected to itself. A connect to a local port that nobody listens on
     * can succeed when the kernel happens to choose that same port for the connecting end: the two
     * ends are one socket, and every request reads back as its own reply.
     */
    static boolean connectedToItself(Socket socket) {
        return socket.getLocalPort() == socket.getPort()
                && socket.getLocalAddress().equals(socket.getInetAddress());
    }

    @Override
    public Socket connect(String name) throws IOException {
        InetSocketAddress address = parse(name);
        // A channel's socket, so that ConnectionAdapter.sockets() can notice a peer's close.
        Socket socket = SocketChannel.open().socket();
        try {
            socket.setTcpNoDelay(tcpNoDelay);
            socket.setKeepAlive(keepAlive);
            socket.setSoTimeout(toMillis(soTimeout));
            socket.connect(address, toMillis(connectTimeout));
            if (connectedToItself(socket)) {
                throw new ConnectException("Connection to " + NameMasking.mask(name) + " connected to itself: nothing listens on "
                        + "that local port, and the kernel picked the same port for this end (TCP self-connect)");
            }
            return socket;
        } catch (IOException | RuntimeException ex) {
            socket.close();
            throw ex;
        }
    }

    /** Parses and resolves {@code host:port}. */
    static InetSocketAddress parse(String name) {
        Checks.name(name, "name");
        int colon = name.lastIndexOf(':');
        String host = colon > 0 ? name.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        if (colon > 0 && colon < name.length() - 1) {
            try {
                port = Integer.parseInt(name.substring(colon + 1));
            } catch (NumberFormatException ex) {
                port = -1;
            }
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new InvalidArgumentException("name", "name must be host:port with a port from 1 to 65535, was '"
                    + NameMasking.mask(name) + "'");
        }
        return new InetSocketAddress(host, port);
    }

    static int toMillis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    public Duration soTimeout() {
        return soTimeout;
    }

    @Override
    public String toString() {
        return "TcpConnectionFactory{connectTimeout=" + connectTimeout + ", tcpNoDelay=" + tcpNoDelay
                + ", keepAlive=" + keepAlive + ", soTimeout=" + soTimeout + "}";
    }

    /** Collects the socket options. Not thread-safe; the factory it builds is. */
    public static final class Builder {

        private Duration connectTimeout = Duration.ofSeconds(5);
        private boolean tcpNoDelay = true;
        private boolean keepAlive = true;
        private Duration soTimeout = Duration.ZERO;

        private Builder() {
        }

        /** How long a connect may take; must be positive. Defaults to 5 seconds. */
        public Builder connectTimeout(Duration connectTimeout) {
            Checks.duration(connectTimeout, "connectTimeout");
            if (connectTimeout.isZero()) {
                throw new InvalidArgumentException("connectTimeout",
                        "connectTimeout must be positive (zero would let a connect block forever), was PT0S");
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Whether to set TCP_NODELAY (no Nagle delay for small requests). Defaults to true. */
        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        /** Whether to set SO_KEEPALIVE. Defaults to true. */
        public Builder keepAlive(boolean keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        /** Read timeout (SO_TIMEOUT) of each socket; {@link Duration#ZERO} means none, the default. */
        public Builder soTimeout(Duration soTimeout) {
            this.soTimeout = Checks.duration(soTimeout, "soTimeout");
            return this;
        }

        public TcpConnectionFactory build() {
            return new TcpConnectionFactory(this);
        }
    }
}
