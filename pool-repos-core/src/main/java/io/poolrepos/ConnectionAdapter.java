package io.poolrepos;

import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.function.Predicate;

/**
 * Tells the pool how to handle one connection type: whether a connection is still alive, and how to
 * close it. {@link #sockets()} and {@link #socketChannels()} are built in; any other type works
 * through {@link #of}.
 *
 * <p>Implementations MUST be thread-safe and SHOULD be cheap: {@link #isAlive} runs on every
 * {@code add}, {@code get} and {@code share}. The pool tells connections apart by identity, so a
 * connection type may override {@code equals} freely.
 *
 * @param <C> the connection type
 */
public interface ConnectionAdapter<C> {

    /** The connection type; {@code add} rejects objects of any other type. */
    Class<C> connectionType();

    /**
     * Whether the connection can still be used. MUST NOT block and MUST NOT throw; a connection that
     * is not alive is closed and counted, never handed out.
     */
    boolean isAlive(C connection);

    /**
     * Whether the connection may be handed out for exclusive use: a more thorough check than
     * {@link #isAlive}. The pool calls it only in pools that are not sharable, and only while it holds
     * the connection alone (in {@code add}, and before {@code get} or {@code acquire} hands it out),
     * so it MAY do brief non-blocking I/O; it MUST NOT block and MUST NOT throw. Defaults to
     * {@link #isAlive}. (Sharable pools never call it: their connections often have a reader thread
     * of the application, which a probe could collide with.)
     */
    default boolean isUsable(C connection) {
        return isAlive(connection);
    }

    /** Closes the connection. Exceptions are logged and counted as closed anyway. */
    void close(C connection) throws Exception;

    /**
     * Adapter for {@link Socket}: alive while connected, not closed and neither direction shut down.
     * A socket that has a channel (as those from {@link TcpConnectionFactory} do) is also usable only
     * if a non-blocking read finds neither end-of-stream (the peer closed it) nor unread bytes (a
     * reply nobody read: the connection is out of step). A plain {@code new Socket()} cannot be
     * probed that way, so a peer's close is noticed only when the socket is next used.
     *
     * <p>A TLS socket from {@link TlsConnectionFactory} is probed the same way on the TCP connection
     * underneath, and also for decrypted data left unread; it is not alive once its factory's TLS
     * context was replaced (see {@link TlsConnectionFactory} for what is and is not detected).
     */
    static ConnectionAdapter<Socket> sockets() {
        return BuiltInAdapters.SOCKET;
    }

    /**
     * Adapter for {@link SocketChannel}: alive while open and connected; usable only if a
     * non-blocking read finds neither end-of-stream nor unread bytes (see {@link #sockets()}).
     */
    static ConnectionAdapter<SocketChannel> socketChannels() {
        return BuiltInAdapters.SOCKET_CHANNEL;
    }

    /**
     * Adapter for any other type.
     *
     * @param type the connection type
     * @param isAlive whether a connection can still be used; must not block
     * @param closer how to close a connection
     */
    static <C> ConnectionAdapter<C> of(Class<C> type, Predicate<? super C> isAlive, Closer<? super C> closer) {
        Checks.notNull(type, "type");
        Checks.notNull(isAlive, "isAlive");
        Checks.notNull(closer, "closer");
        return new ConnectionAdapter<>() {
            @Override
            public Class<C> connectionType() {
                return type;
            }

            @Override
            public boolean isAlive(C connection) {
                return isAlive.test(connection);
            }

            @Override
            public void close(C connection) throws Exception {
                closer.close(connection);
            }

            @Override
            public String toString() {
                return "ConnectionAdapter[" + type.getName() + "]";
            }
        };
    }

    /** Closes a connection of type {@code C}. */
    @FunctionalInterface
    interface Closer<C> {
        void close(C connection) throws Exception;
    }
}

/** The two adapters that come with the library; singletons so that equal settings compare equal. */
final class BuiltInAdapters {

    static final ConnectionAdapter<Socket> SOCKET = new ConnectionAdapter<>() {
        @Override
        public Class<Socket> connectionType() {
            return Socket.class;
        }

        @Override
        public boolean isAlive(Socket socket) {
            return socket.isConnected() && !socket.isClosed() && !socket.isInputShutdown()
                    && !socket.isOutputShutdown() && (!(socket instanceof TlsSocket tls) || tls.isCurrent());
        }

        @Override
        public boolean isUsable(Socket socket) {
            if (!isAlive(socket)) {
                return false;
            }
            if (socket instanceof TlsSocket tls) {
                return tls.isQuiet();
            }
            return socket.getChannel() == null || PeerProbe.isQuiet(socket.getChannel());
        }

        @Override
        public void close(Socket socket) throws IOException {
            socket.close();
        }

        @Override
        public String toString() {
            return "ConnectionAdapter[java.net.Socket]";
        }
    };

    static final ConnectionAdapter<SocketChannel> SOCKET_CHANNEL = new ConnectionAdapter<>() {
        @Override
        public Class<SocketChannel> connectionType() {
            return SocketChannel.class;
        }

        @Override
        public boolean isAlive(SocketChannel channel) {
            return channel.isOpen() && channel.isConnected();
        }

        @Override
        public boolean isUsable(SocketChannel channel) {
            return isAlive(channel) && PeerProbe.isQuiet(channel);
        }

        @Override
        public void close(SocketChannel channel) throws IOException {
            channel.close();
        }

        @Override
        public String toString() {
            return "ConnectionAdapter[java.nio.channels.SocketChannel]";
        }
    };

    private BuiltInAdapters() {
    }
}
