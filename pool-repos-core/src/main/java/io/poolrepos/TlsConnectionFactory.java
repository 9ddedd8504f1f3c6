package io.poolrepos;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens TLS connections for names of the form {@code host:port}: a TCP connection from a
 * {@link TcpConnectionFactory} (with its options and connect timeout), then a client handshake.
 * Thread-safe; the TLS context can be replaced at any time with {@link #useContext}.
 *
 * <p><b>Checks on every connection.</b> Hostname verification is on unless turned off: the server's
 * certificate must name the host of the name (endpoint identification {@code HTTPS}, as browsers and
 * HTTP clients do). SNI carries the host when it is a host name rather than an IP literal. Each read
 * of the handshake waits at most the handshake timeout (the connect timeout unless set), so a server
 * that stalls fails the connect and leaves no socket open. A failed handshake throws a
 * {@link TlsHandshakeException} that says why (untrusted, wrong host, timed out, refused).
 *
 * <p><b>What the pool sees of an idle TLS connection</b> (through {@link ConnectionAdapter#sockets()},
 * where it runs the thorough check): a peer that closed (close_notify or FIN) or reset it, and any
 * data that arrived unasked or was left unread, whether still encrypted on the TCP connection or
 * already decrypted in the TLS socket. What it cannot tell apart, because that would take decrypting
 * while nobody owns the connection: a harmless TLS 1.3 message (a session ticket, a key update) from
 * application data. Both make the connection unusable for the pool, so a connection given back without
 * reading what the server sent after the handshake is closed rather than kept; connections whose
 * application read a reply have read those messages with it.
 *
 * <p><b>Rotated credentials.</b> {@link #useContext} (or a supplier that returns a new context) starts
 * a new generation: new connections use the new context, and connections of older generations are
 * closed on their next give-back, hand-out or housekeeping pass, counted as dead.
 */
public final class TlsConnectionFactory implements ConnectionFactory<Socket> {

    private final TlsContexts contexts;
    /** Asked on every connect; null for a factory built with one context (then {@link #useContext} replaces it). */
    private final Supplier<SSLContext> supplier;
    private final TcpConnectionFactory tcp;
    private final SSLParameters parameters;
    private final boolean verifyHostname;
    private final Duration handshakeTimeout;

    private TlsConnectionFactory(Builder b) {
        this.supplier = b.supplier;
        this.contexts = new TlsContexts(b.context != null ? b.context : Checks.notNull(b.supplier.get(), "sslContext"));
        this.tcp = b.tcp;
        this.parameters = b.parameters;
        this.verifyHostname = b.verifyHostname;
        this.handshakeTimeout = b.handshakeTimeout != null ? b.handshakeTimeout : b.tcp.connectTimeout();
    }

    /** A builder for connections made with {@code context}. */
    public static Builder builder(SSLContext context) {
        return new Builder(Checks.notNull(context, "sslContext"), null);
    }

    /**
     * A builder for connections made with the context {@code contexts} supplies; it is asked on every
     * connect, and a context that is not the one it supplied before starts a new generation.
     */
    public static Builder builder(Supplier<SSLContext> contexts) {
        return new Builder(null, Checks.notNull(contexts, "sslContext supplier"));
    }

    /**
     * Makes new connections with {@code context} from now on; connections made with an earlier one are
     * closed when the pool next checks them.
     *
     * @throws IllegalStateException for a factory built with a supplier: the supplier decides
     */
    public void useContext(SSLContext context) {
        Checks.notNull(context, "sslContext");
        if (supplier != null) {
            throw new IllegalStateException("This TlsConnectionFactory asks its supplier for the TLS context on "
                    + "every connect; have the supplier return the new context instead of calling useContext");
        }
        contexts.replace(context);
    }

    @Override
    public Socket connect(String name) throws IOException {
        TlsContexts.Generation generation = supplier == null ? contexts.current()
                : contexts.follow(Checks.notNull(supplier.get(), "sslContext"));
        Socket socket = tcp.connect(name);
        SSLSocket tls = null;
        try {
            String host = TcpConnectionFactory.parse(name).getHostString();
            tls = (SSLSocket) generation.context().getSocketFactory().createSocket(socket, host, socket.getPort(), true);
            tls.setSSLParameters(parametersFor(host));
            tls.setUseClientMode(true);
            socket.setSoTimeout(TcpConnectionFactory.toMillis(handshakeTimeout));
            try {
                tls.startHandshake();
            } catch (IOException ex) {
                throw TlsHandshakeException.of(name, ex);
            }
            socket.setSoTimeout(TcpConnectionFactory.toMillis(tcp.soTimeout()));
            return new TlsSocket(tls, socket.getChannel(), contexts, generation.number());
        } catch (IOException | RuntimeException ex) {
            // Each closed on its own: a TLS socket whose handshake failed may throw on close, and the
            // TCP socket under it must be closed all the same.
            closeQuietly(tls, ex);
            closeQuietly(socket, ex);
            throw ex;
        }
    }

    private SSLParameters parametersFor(String host) {
        SSLParameters p = copy(parameters);
        p.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        if (isHostName(host)) {
            p.setServerNames(List.of(new SNIHostName(host)));
        }
        return p;
    }

    /** SNI takes host names only: not IP literals, and nothing SNIHostName rejects. */
    private static boolean isHostName(String host) {
        if (host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            return false;
        }
        try {
            new SNIHostName(host);
            return true;
        } catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static void closeQuietly(Socket socket, Exception failure) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException closing) {
            failure.addSuppressed(closing);
        }
    }

    private static SSLParameters copy(SSLParameters from) {
        SSLParameters p = new SSLParameters(from.getCipherSuites(), from.getProtocols());
        p.setAlgorithmConstraints(from.getAlgorithmConstraints());
        p.setApplicationProtocols(from.getApplicationProtocols());
        p.setUseCipherSuitesOrder(from.getUseCipherSuitesOrder());
        p.setMaximumPacketSize(from.getMaximumPacketSize());
        if (from.getNeedClientAuth()) {
            p.setNeedClientAuth(true);
        } else if (from.getWantClientAuth()) {
            p.setWantClientAuth(true);
        }
        return p;
    }

    public TcpConnectionFactory tcp() {
        return tcp;
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The protocols a handshake may use; null means the context's defaults. */
    public List<String> protocols() {
        return parameters.getProtocols() == null ? null : List.of(parameters.getProtocols());
    }

    /** The cipher suites a handshake may use; null means the context's defaults. */
    public List<String> cipherSuites() {
        return parameters.getCipherSuites() == null ? null : List.of(parameters.getCipherSuites());
    }

    @Override
    public String toString() {
        return "TlsConnectionFactory{" + tcp + ", verifyHostname=" + verifyHostname + ", handshakeTimeout="
                + handshakeTimeout + ", protocols=" + protocols() + ", cipherSuites=" + cipherSuites()
                + ", generation=" + contexts.generation() + "}";
    }

    /** Collects the TLS options. Not thread-safe; the factory it builds is. */
    public static final class Builder {

        private final SSLContext context;
        private final Supplier<SSLContext> supplier;
        private TcpConnectionFactory tcp = TcpConnectionFactory.create();
        private SSLParameters parameters = new SSLParameters();
        private boolean verifyHostname = true;
        private Duration handshakeTimeout;

        private Builder(SSLContext context, Supplier<SSLContext> supplier) {
            this.context = context;
            this.supplier = supplier;
        }

        /** The TCP part: connect timeout and socket options. Defaults to {@link TcpConnectionFactory#create()}. */
        public Builder tcp(TcpConnectionFactory tcp) {
            this.tcp = Checks.notNull(tcp, "tcp");
            return this;
        }

        /**
         * Parameters every handshake starts from (protocols, cipher suites, application protocols,
         * algorithm constraints); copied. Endpoint identification and SNI are set by this factory.
         */
        public Builder sslParameters(SSLParameters parameters) {
            this.parameters = copy(Checks.notNull(parameters, "sslParameters"));
            return this;
        }

        /** The protocols a handshake may use, for example {@code "TLSv1.3"}; none given means the context's defaults. */
        public Builder protocols(String... protocols) {
            parameters.setProtocols(nonEmptyOrNull(protocols, "protocols"));
            return this;
        }

        /** The cipher suites a handshake may use; none given means the context's defaults. */
        public Builder cipherSuites(String... cipherSuites) {
            parameters.setCipherSuites(nonEmptyOrNull(cipherSuites, "cipherSuites"));
            return this;
        }

        /**
         * Whether the server's certificate must name the host connected to. Defaults to true; turn it
         * off only for servers whose certificates cannot name them, and trust only their certificates.
         */
        public Builder verifyHostname(boolean verifyHostname) {
            this.verifyHostname = verifyHostname;
            return this;
        }

        /** How long each read of the handshake may wait; must be positive. Defaults to the TCP connect timeout. */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            Checks.duration(handshakeTimeout, "handshakeTimeout");
            if (handshakeTimeout.isZero()) {
                throw new InvalidArgumentException("handshakeTimeout",
                        "handshakeTimeout must be positive (zero would let a handshake block forever), was PT0S");
            }
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        private static String[] nonEmptyOrNull(String[] values, String argument) {
            Checks.notNull(values, argument);
            for (String v : values) {
                Checks.name(v, argument);
            }
            return values.length == 0 ? null : values.clone();
        }

        public TlsConnectionFactory build() {
            return new TlsConnectionFactory(this);
        }
    }
}
