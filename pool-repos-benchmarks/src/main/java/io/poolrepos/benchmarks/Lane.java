package io.poolrepos.benchmarks;

import java.io.IOException;
import java.net.Socket;

/**
 * One client thread of the request/reply benchmark: takes a connection, sends the request for the
 * next key, checks the reply, gives the connection back; after a failure it discards the connection
 * and rethrows. The keys go round all of {@link KeyValues}, each thread starting elsewhere. Not
 * thread-safe: one per thread.
 */
final class Lane {

    private final Connections connections;
    private final KeyValues keyValues;
    private final byte[] buffer = new byte[128];
    private int next;

    Lane(Connections connections, KeyValues keyValues, int start) {
        this.connections = connections.forThread();
        this.keyValues = keyValues;
        this.next = Math.floorMod(start, keyValues.size());
    }

    /** One request and its checked reply; returns the key asked for. */
    int request() throws IOException {
        int key = next;
        next = key + 1 == keyValues.size() ? 0 : key + 1;
        Socket socket = connections.take();
        try {
            keyValues.exchange(socket, key, buffer);
        } catch (IOException | RuntimeException e) {
            connections.discard(socket);
            throw e;
        }
        connections.giveBack(socket);
        return key;
    }
}
