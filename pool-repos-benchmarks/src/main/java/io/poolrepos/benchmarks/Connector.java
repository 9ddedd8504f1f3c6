package io.poolrepos.benchmarks;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens connections to one server of the request/reply benchmark and counts them: every
 * {@link ClientConfig} connects through one of these, so all open the same kind of socket.
 * Thread-safe.
 */
final class Connector {

    private final Transport transport;
    private final String name;
    private final LongAdder opened = new LongAdder();

    Connector(Transport transport, String name) {
        this.transport = transport;
        this.name = name;
    }

    /** The server's {@code host:port}. */
    String name() {
        return name;
    }

    Socket open() throws IOException {
        Socket socket = transport.connect(name);
        opened.increment();
        return socket;
    }

    /** Connections opened so far. */
    long opened() {
        return opened.sum();
    }
}
