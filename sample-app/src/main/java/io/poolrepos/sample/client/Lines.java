package io.poolrepos.sample.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reads and writes the backend's {@code \n}-terminated UTF-8 lines. Stateless and thread-safe. */
final class Lines {

    static final int MAX_LINE = 4096;

    private Lines() {
    }

    /** Text a caller may send: one line, not too long. */
    static String checkText(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("text must be a single line (no CR or LF)");
        }
        if (text.length() > 1000) {
            throw new IllegalArgumentException("text must be at most 1000 characters, was " + text.length());
        }
        return text;
    }

    static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Reads one line without read-ahead. A pooled socket passes from caller to caller, so no caller
     * may keep bytes of the next reply in a buffer of its own; one byte per read is cheap on loopback.
     */
    static String read(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (;;) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the backend closed the connection");
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("reply longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }
}
