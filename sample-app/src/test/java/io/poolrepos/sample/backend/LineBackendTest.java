package io.poolrepos.sample.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LineBackendTest {

    private LineBackend backend;

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void echoAnswersEachLineWithItsTextInOrder() throws IOException {
        backend = LineBackend.start(0, Duration.ofMillis(5));
        try (Conn c = new Conn(backend.port())) {
            c.send("ECHO hello world");
            c.send("ECHO");
            c.send("ECHO ünïcode");
            assertThat(c.read()).isEqualTo("hello world");
            assertThat(c.read()).isEmpty();
            assertThat(c.read()).isEqualTo("ünïcode");
        }
        assertThat(backend.name()).isEqualTo("127.0.0.1:" + backend.port());
    }

    @Test
    void requestsAreAnsweredWithTheirIdsAndMayOvertakeEachOther() throws IOException {
        backend = LineBackend.start(0, Duration.ofMillis(30));
        int n = 40;
        List<String> replies = new ArrayList<>();
        try (Conn c = new Conn(backend.port())) {
            for (int i = 0; i < n; i++) {
                c.send("REQ " + i + " text-" + i);
            }
            for (int i = 0; i < n; i++) {
                replies.add(c.read());
            }
        }
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < n; i++) {
            expected.add("RES " + i + " text-" + i);
        }
        assertThat(replies).containsExactlyInAnyOrderElementsOf(expected);
        // With 40 random delays of 0..30 ms, replies in send order are vanishingly unlikely: the backend
        // really reorders, which is what the multiplexing client must cope with.
        assertThat(replies).isNotEqualTo(replies.stream().sorted((a, b) -> Integer.compare(id(a), id(b))).toList());
    }

    @Test
    void unknownCommandsAndRequestsWithoutIdAreAnsweredWithAnError() throws IOException {
        backend = LineBackend.start(0, Duration.ZERO);
        try (Conn c = new Conn(backend.port())) {
            c.send("HELLO");
            assertThat(c.read()).startsWith("ERR unknown command");
            c.send("REQ ");
            assertThat(c.read()).startsWith("ERR REQ needs an id");
        }
    }

    @Test
    void closeDropsOpenConnectionsAndCountsThem() throws IOException {
        backend = LineBackend.start(0, Duration.ZERO);
        try (Conn c = new Conn(backend.port())) {
            c.send("ECHO x");
            assertThat(c.read()).isEqualTo("x");
            assertThat(backend.connectionsAccepted()).isEqualTo(1);
            assertThat(backend.connectionsOpen()).isEqualTo(1);
            backend.close();
            assertThat(c.in.readLine()).isNull();
        }
    }

    private static int id(String reply) {
        return Integer.parseInt(reply.split(" ")[1]);
    }

    private static final class Conn implements AutoCloseable {
        final Socket socket;
        final PrintWriter out;
        final BufferedReader in;

        Conn(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        void send(String line) {
            out.print(line + "\n");
            out.flush();
        }

        String read() throws IOException {
            String line = in.readLine();
            assertThat(line).as("a reply line").isNotNull();
            return line;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
