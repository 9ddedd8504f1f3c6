package io.poolrepos.benchmarks;

import io.poolrepos.TlsConnectionFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * TLS for the request/reply benchmark, with the server identity of {@link TlsIdentity}: the server
 * listens on an {@code SSLServerSocket}; the client either connects through the library's
 * {@link TlsConnectionFactory} at its defaults ({@link #POOL_FACTORY}, the connections a pool of
 * {@code ours-tls} holds) or opens a plain {@code SSLSocket} from the context's socket factory, as an
 * application without a pool does ({@link #PLAIN_SOCKET}). Both verify the host name (endpoint
 * identification {@code HTTPS}), set TCP_NODELAY and keep-alive, and complete the handshake before
 * the socket is returned; both use one client context per JVM, so the JDK may resume TLS sessions
 * for either. Immutable and thread-safe.
 */
final class TlsTransport implements Transport {

    /** The library's {@link TlsConnectionFactory}: TLS over a TCP channel that the socket adapter can probe. */
    static final TlsTransport POOL_FACTORY = new TlsTransport(true);
    /** A plain {@code SSLSocket} from {@code SSLContext.getSocketFactory()}, no channel underneath. */
    static final TlsTransport PLAIN_SOCKET = new TlsTransport(false);

    private final boolean poolFactory;
    private final TlsConnectionFactory factory;

    private TlsTransport(boolean poolFactory) {
        this.poolFactory = poolFactory;
        this.factory = TlsConnectionFactory.builder(TlsIdentity.get().clientContext()).build();
    }

    @Override
    public ServerSocket listen(int backlog) throws IOException {
        return TlsIdentity.get().serverContext().getServerSocketFactory()
                .createServerSocket(0, backlog, InetAddress.getLoopbackAddress());
    }

    @Override
    public Socket connect(String name) throws IOException {
        return poolFactory ? factory.connect(name) : plainSocket(name);
    }

    private static Socket plainSocket(String name) throws IOException {
        int colon = name.lastIndexOf(':');
        String host = name.substring(0, colon);
        SSLSocket socket = (SSLSocket) TlsIdentity.get().clientContext().getSocketFactory().createSocket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.connect(new InetSocketAddress(host, Integer.parseInt(name.substring(colon + 1))));
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return poolFactory ? "tls" : "tls-plain-socket";
    }
}
