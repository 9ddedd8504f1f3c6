package io.poolrepos.benchmarks;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The limit of pooling: each thread owns one socket, opened on its first request (and again after a
 * failed one), and uses it for every request; no pool, no check. Thread-safe; what
 * {@link #forThread} returns belongs to one thread.
 */
final class OwnedSockets implements Connections {

    private final Connector connector;
    private final List<Owned> owners = new CopyOnWriteArrayList<>();

    OwnedSockets(Connector connector) {
        this.connector = connector;
    }

    @Override
    public Connections forThread() {
        Owned owned = new Owned(connector);
        owners.add(owned);
        return owned;
    }

    @Override
    public Socket take() {
        throw notPerThread();
    }

    @Override
    public void giveBack(Socket socket) {
        throw notPerThread();
    }

    @Override
    public void discard(Socket socket) {
        throw notPerThread();
    }

    private static IllegalStateException notPerThread() {
        return new IllegalStateException("owned sockets belong to one thread: use forThread()");
    }

    @Override
    public void close() {
        owners.forEach(Owned::close);
    }

    /** One thread's socket. Not thread-safe, but for {@link #close} once the thread has stopped. */
    private static final class Owned implements Connections {

        private final Connector connector;
        private volatile Socket socket;

        Owned(Connector connector) {
            this.connector = connector;
        }

        @Override
        public Socket take() throws IOException {
            Socket s = socket;
            if (s == null) {
                s = connector.open();
                socket = s;
            }
            return s;
        }

        @Override
        public void giveBack(Socket s) {
            // kept for the thread's next request
        }

        @Override
        public void discard(Socket s) {
            socket = null;
            Connections.closeQuietly(s);
        }

        @Override
        public void close() {
            Socket s = socket;
            if (s != null) {
                Connections.closeQuietly(s);
            }
        }
    }
}
