package io.poolrepos;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;

/**
 * A TLS socket from {@link TlsConnectionFactory}: the JDK's {@link SSLSocket}, plus what the pool's
 * checks need and the JDK's socket hides: the TCP channel underneath (to see a peer's close or
 * unasked bytes without a blocking read) and the generation of the TLS context it was made with (to
 * retire it once that context is replaced). Every socket method goes to the JDK's socket.
 * Thread-safe as the JDK's socket is.
 */
final class TlsSocket extends DelegatingSslSocket {

    private final SocketChannel tcp;
    private final TlsContexts contexts;
    private final long generation;

    TlsSocket(SSLSocket tls, SocketChannel tcp, TlsContexts contexts, long generation) {
        super(tls);
        this.tcp = tcp;
        this.contexts = contexts;
        this.generation = generation;
    }

    /** Whether this socket was made with the factory's current TLS context. */
    boolean isCurrent() {
        return contexts.generation() == generation;
    }

    /**
     * Whether the connection is quiet: no decrypted data waits unread in the TLS socket, and nothing
     * at all (close_notify, FIN, application data, a TLS 1.3 ticket or key update) waits on the TCP
     * connection underneath. The caller holds the socket alone (see {@link PeerProbe}). A byte read
     * here is lost to TLS, which does not matter: a connection that found one is closed, not used.
     */
    boolean isQuiet() {
        try {
            return tls.getInputStream().available() == 0 && PeerProbe.isQuiet(tcp);
        } catch (IOException ex) {
            return false;
        }
    }
}
