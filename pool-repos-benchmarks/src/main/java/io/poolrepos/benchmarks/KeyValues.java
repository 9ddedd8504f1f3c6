package io.poolrepos.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The protocol of the request/reply benchmark, a minimal cache protocol with short lines both ways:
 * {@code GET k<n>\n} is answered by {@code VALUE <value of key n>\n}, an unknown key by
 * {@code NOT_FOUND\n} and anything else by {@code ERROR\n}. The requests and replies of every key are
 * made once, as bytes, so that neither side allocates text per request. Immutable and thread-safe.
 */
final class KeyValues {

    /** The keys both sides use unless a test says otherwise. */
    static final KeyValues STANDARD = new KeyValues(1_000, -1);

    static final byte[] NOT_FOUND = ascii("NOT_FOUND\n");
    static final byte[] ERROR = ascii("ERROR\n");
    private static final byte[] GET = ascii("GET k");

    private final byte[][] requests;
    private final byte[][] replies;

    /** {@code size} keys; the value of {@code wrongKey} (if it is one of them) differs from the standard one. */
    private KeyValues(int size, int wrongKey) {
        requests = new byte[size][];
        replies = new byte[size][];
        for (int n = 0; n < size; n++) {
            String value = "v" + n + "-" + Integer.toHexString(n * 0x9E3779B9) + (n == wrongKey ? "-wrong" : "");
            requests[n] = ascii("GET k" + n + "\n");
            replies[n] = ascii("VALUE " + value + "\n");
        }
    }

    /** The standard keys with the value of {@code key} changed: a server that answers wrongly, for tests. */
    static KeyValues withWrongValue(int key) {
        return new KeyValues(STANDARD.size(), key);
    }

    int size() {
        return requests.length;
    }

    /** The reply line to a request line (without its {@code \n}) in {@code line[from, to)}. */
    byte[] replyTo(byte[] line, int from, int to) {
        if (to - from <= GET.length || !Arrays.equals(line, from, from + GET.length, GET, 0, GET.length)) {
            return ERROR;
        }
        long key = 0;
        for (int i = from + GET.length; i < to; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9 || key > Integer.MAX_VALUE) {
                return ERROR;
            }
            key = key * 10 + digit;
        }
        return key < requests.length ? replies[(int) key] : NOT_FOUND;
    }

    /**
     * Sends the request for {@code key} over {@code socket} and reads the reply into {@code buffer},
     * the way a client of such a protocol does: through the socket's streams, one write, reads until
     * the end of the line.
     *
     * @throws EOFException when the server closed the connection before the whole reply came
     * @throws ProtocolException when the reply is not the value of {@code key}
     * @throws IOException what the socket threw
     */
    void exchange(Socket socket, int key, byte[] buffer) throws IOException {
        socket.getOutputStream().write(requests[key]);
        InputStream in = socket.getInputStream();
        int length = 0;
        while (length == 0 || buffer[length - 1] != '\n') {
            if (length == buffer.length) {
                throw new ProtocolException("reply to key " + key + " longer than " + buffer.length + " bytes");
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                throw new EOFException("the server closed the connection before replying to key " + key
                        + " (" + length + " bytes of the reply came)");
            }
            length += read;
        }
        byte[] expected = replies[key];
        if (!Arrays.equals(buffer, 0, length, expected, 0, expected.length)) {
            throw new ProtocolException("reply to key " + key + " was '"
                    + new String(buffer, 0, length - 1, StandardCharsets.US_ASCII) + "', expected '"
                    + new String(expected, 0, expected.length - 1, StandardCharsets.US_ASCII) + "'");
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
