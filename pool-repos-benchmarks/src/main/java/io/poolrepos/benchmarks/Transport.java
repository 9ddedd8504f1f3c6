package io.poolrepos.benchmarks;

import io.poolrepos.TcpConnectionFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * How the request/reply benchmark opens its two ends: the server's listening socket and the client's
 * connections. Every configuration of the benchmark gets its sockets from here, so that the
 * configurations of one transport talk over identical connections. Implementations are immutable and thread-safe.
 *
 * <p>{@link TlsTransport} is the TLS variant. The server and the clients use only the sockets'
 * streams, which work the same over TLS.
 */
interface Transport {

    /** Plain TCP: the client's sockets from the library's {@link TcpConnectionFactory} at its defaults. */
    Transport TCP = new Transport() {
        private final TcpConnectionFactory factory = TcpConnectionFactory.create();

        @Override
        public ServerSocket listen(int backlog) throws IOException {
            return new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        }

        @Override
        public Socket connect(String name) throws IOException {
            return factory.connect(name);
        }

        @Override
        public String toString() {
            return "tcp";
        }
    };

    /** A listening socket on a free port of the loopback address. */
    ServerSocket listen(int backlog) throws IOException;

    /** A new connection to {@code name} ({@code host:port}), ready for requests. */
    Socket connect(String name) throws IOException;
}
