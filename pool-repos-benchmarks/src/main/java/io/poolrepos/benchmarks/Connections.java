package io.poolrepos.benchmarks;

import java.io.IOException;
import java.io.IOException;
import java.net.Socket;

/**
 * Where a request of the request/reply benchmark gets its connection and where the connection goes
 * afterwards: one implementation per {@link ClientConfig}. Implementations are thread-safe, except
 * what {@link #forThread} returns when it is not {@code this}, which belongs to one thread.
 */
interface Connections extends AutoCloseable {

    /** What one thread uses: {@code this} when the connections are shared by all threads. */
    default Connections forThread() {
        return this;
    }

    /** A connection for one request, held by the caller alone until it gives it back or discards it. */
    Socket take() throws IOException;

    /** Gives back a connection whose request succeeded. */
    void giveBack(Socket socket);

    /** Gets rid of a connection whose request failed: it may be closed or out of step. */
    void discard(Socket socket);

    /** Closes every connection and pool; the threads have stopped. */
    @Override
    void close();

    /** Closes a socket that is of no more use; a failure to close changes nothing for the benchmark. */
    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the socket is gone either way
        }
    }
}
