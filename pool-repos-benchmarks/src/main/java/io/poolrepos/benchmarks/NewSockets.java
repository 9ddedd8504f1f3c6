package io.poolrepos.benchmarks;

import java.io.IOException;
import java.net.Socket;

/** A new connection for every request, closed after the reply: what pooling saves. Thread-safe. */
final class NewSockets implements Connections {

    private final Connector connector;

    NewSockets(Connector connector) {
        this.connector = connector;
    }

    @Override
    public Socket take() throws IOException {
        return connector.open();
    }

    @Override
    public void giveBack(Socket socket) {
        Connections.closeQuietly(socket);
    }

    @Override
    public void discard(Socket socket) {
        Connections.closeQuietly(socket);
    }

    @Override
    public void close() {
        // nothing kept
    }
}
