package io.poolrepos.sample.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
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
        try (Conn c = Conn.plain(backend.port())) {
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
        try (Conn c = Conn.plain(backend.port())) {
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
        try (Conn c = Conn.plain(backend.port())) {
            c.send("HELLO");
            assertThat(c.read()).startsWith("ERR unknown command");
            c.send("REQ ");
            assertThat(c.read()).startsWith("ERR REQ needs an id");
        }
    }

    @Test
    void closeDropsOpenConnectionsAndCountsThem() throws IOException {
        backend = LineBackend.start(0, Duration.ZERO);
        try (Conn c = Conn.plain(backend.port())) {
            c.send("ECHO x");
            assertThat(c.read()).isEqualTo("x");
            assertThat(backend.connectionsAccepted()).isEqualTo(1);
            assertThat(backend.connectionsOpen()).isEqualTo(1);
            backend.close();
            assertThat(c.in.readLine()).isNull();
        }
    }

    @Test
    void tlsBackendSpeaksTheSameProtocolInsideTlsWithTheDemoCertificate() throws IOException {
        backend = LineBackend.start(0, Duration.ofMillis(5), SampleTls.serverContext());
        assertThat(backend.tls()).isTrue();
        try (Conn c = Conn.tls(SampleTls.clientContext(), backend.port())) {
            c.send("ECHO over tls");
            assertThat(c.read()).isEqualTo("over tls");
            c.send("REQ 7 tagged");
            assertThat(c.read()).isEqualTo("RES 7 tagged");
            // The client checked the certificate against the name it connected to (127.0.0.1).
            SSLSocket socket = (SSLSocket) c.socket;
            X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertThat(peer.getSubjectX500Principal().getName()).isEqualTo("CN=pool-repos sample backend");
        }
        assertThat(backend.connectionsAccepted()).isEqualTo(1);
        assertThat(backend.requests()).isEqualTo(2);
    }

    @Test
    void tlsBackendAnswersNothingToAPlainClientAndDisconnectsIt() throws IOException {
        backend = LineBackend.start(0, Duration.ZERO, SampleTls.serverContext());
        try (Conn c = Conn.plain(backend.port())) {
            c.socket.setSoTimeout(5_000);
            c.send("ECHO x");
            // A plain backend would answer "x" and keep the connection open (the read would time out).
            assertThat(readUntilClosed(c.socket.getInputStream())).doesNotContain("x\n");
        }
        assertThat(backend.requests()).isZero();
    }

    @Test
    void closeEndsOpenTlsConnections() throws IOException {
        backend = LineBackend.start(0, Duration.ZERO, SampleTls.serverContext());
        try (Conn c = Conn.tls(SampleTls.clientContext(), backend.port())) {
            c.send("ECHO x");
            assertThat(c.read()).isEqualTo("x");
            assertThat(backend.connectionsOpen()).isEqualTo(1);
            // Closing a TLS socket while its thread is blocked reading it must neither hang nor leave
            // the client waiting: the client sees the end of the stream.
            long start = System.nanoTime();
            backend.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(readUntilClosed(c.socket.getInputStream())).isEmpty();
        }
    }

    /** What the peer sent until it closed the connection (end of stream or reset); fails on a time-out. */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) >= 0;) {
                got.write(b);
            }
        } catch (SocketTimeoutException ex) {
            throw new AssertionError("the connection is still open; read so far: " + got, ex);
        } catch (SocketException ex) {
            // Reset: closed with our request unread, which ends the connection as well.
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    private static int id(String reply) {
        return Integer.parseInt(reply.split(" ")[1]);
    }

    private static final class Conn implements AutoCloseable {
        final Socket socket;
        final PrintWriter out;
        final BufferedReader in;

        static Conn plain(int port) throws IOException {
            return new Conn(new Socket("127.0.0.1", port));
        }

        /** A TLS client that checks the server's certificate and that it names 127.0.0.1, as the pool does. */
        static Conn tls(SSLContext context, int port) throws IOException {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
            try {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.setSoTimeout(10_000);
                socket.startHandshake();
            } catch (IOException ex) {
                socket.close();
                throw ex;
            }
            return new Conn(socket);
        }

        private Conn(Socket socket) throws IOException {
            this.socket = socket;
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
