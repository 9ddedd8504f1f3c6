package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.testing.EchoServer;
import io.poolrepos.testing.ProcessResources;
import io.poolrepos.testing.SilentServer;
import io.poolrepos.testing.TestCertificates;
import io.poolrepos.testing.TlsEchoServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TLS connections through a pool, against a TLS echo server on 127.0.0.1 with generated certificates. */
class TlsConnectionFactoryTest {

    private final TestCertificates.Identity localhost = TestCertificates.localhost();
    private final DefaultPoolRepository repository =
            (DefaultPoolRepository) PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
    }

    private ConnectionPool<Socket> pool(TlsConnectionFactory factory) {
        return repository.pool("tls", ConnectionAdapter.sockets(), PoolSettings.defaults(), factory);
    }

    private static TlsConnectionFactory trusting(TestCertificates.Identity identity) {
        return TlsConnectionFactory.builder(TestCertificates.trusting(identity)).build();
    }

    @Test
    void connectionsAreReusedSoEachHandshakesOnce() {
        try (TlsEchoServer server = TlsEchoServer.start(localhost)) {
            ConnectionPool<Socket> pool = pool(trusting(localhost));
            for (int i = 0; i < 20; i++) {
                Socket s = pool.acquire(server.name());
                assertThat(s).isInstanceOf(SSLSocket.class);
                assertThat(s.getChannel()).as("a channel would bypass TLS").isNull();
                assertThat(EchoServer.roundTrip(s, "request " + i)).isEqualTo("request " + i);
                assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.POOLED);
            }
            assertThat(server.handshakes()).isEqualTo(1);
            assertThat(pool.totals().created()).isEqualTo(1);
            assertThat(ProcessResources.socketsConnectedTo(port(server.name()))).as("the one pooled socket").isEqualTo(1);
            assertThat(pool.totals().closedDead()).isZero();
        }
    }

    @Test
    void socketsCarryTheTcpOptionsAndSniNamesTheHost() throws Exception {
        TcpConnectionFactory tcp = TcpConnectionFactory.builder().soTimeout(Duration.ofMillis(1500)).tcpNoDelay(true).build();
        TlsConnectionFactory factory = TlsConnectionFactory.builder(TestCertificates.trusting(localhost)).tcp(tcp).build();
        try (TlsEchoServer server = TlsEchoServer.start(localhost);
                Socket s = factory.connect(server.name().replace("127.0.0.1", "localhost"))) {
            assertThat(s.getSoTimeout()).as("back to the read timeout after the handshake").isEqualTo(1500);
            assertThat(s.getTcpNoDelay()).isTrue();
            assertThat(EchoServer.roundTrip(s, "sni")).isEqualTo("sni");
            assertThat(server.serverNames()).containsExactly("localhost");
        }
    }

    @Test
    void anUntrustedCertificateIsATypedConnectFailureThatLeavesNoSocketOpen() {
        try (TlsEchoServer server = TlsEchoServer.start(localhost)) {
            assertConnectFails(pool(trusting(TestCertificates.rotatedLocalhost())), server.name(),
                    TlsHandshakeException.Failure.UNTRUSTED_CERTIFICATE, "not trusted");
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefusedUnlessHostnameVerificationIsOff() {
        TestCertificates.Identity other = TestCertificates.otherHost();
        try (TlsEchoServer server = TlsEchoServer.start(other)) {
            assertConnectFails(pool(trusting(other)), server.name(),
                    TlsHandshakeException.Failure.HOSTNAME_MISMATCH, "does not name this host");

            TlsConnectionFactory unverified = TlsConnectionFactory.builder(TestCertificates.trusting(other))
                    .verifyHostname(false).build();
            ConnectionPool<Socket> lenient = repository.pool("tls-unverified", ConnectionAdapter.sockets(),
                    PoolSettings.defaults(), unverified);
            assertThat(EchoServer.roundTrip(lenient.acquire(server.name()), "ok")).isEqualTo("ok");
        }
    }

    @Test
    void aServerThatNeverAnswersTheHandshakeFailsWithinTheHandshakeTimeout() {
        TlsConnectionFactory factory = TlsConnectionFactory.builder(TestCertificates.trusting(localhost))
                .handshakeTimeout(Duration.ofMillis(300)).build();
        try (SilentServer server = SilentServer.halfOpen()) {
            long start = System.nanoTime();
            assertConnectFails(pool(factory), server.name(), TlsHandshakeException.Failure.TIMED_OUT, "did not complete");
            // Without a handshake timeout this would wait forever; the bound leaves room for a loaded
            // machine's first TLS set-up in the JVM.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void aTlsConnectionTheServerClosedWhileIdleIsNotHandedOut() {
        try (TlsEchoServer server = TlsEchoServer.start(localhost)) {
            ConnectionPool<Socket> pool = pool(trusting(localhost));
            Socket s = pool.acquire(server.name());
            EchoServer.roundTrip(s, "before");
            pool.add(server.name(), s);

            server.dropClients(); // close_notify, then FIN

            assertThat(pool.get(server.name())).isEmpty();
            assertThat(s.isClosed()).isTrue();
            assertThat(pool.totals().closedDead()).isEqualTo(1);
            Socket fresh = pool.acquire(server.name());
            assertThat(EchoServer.roundTrip(fresh, "after")).isEqualTo("after");
            assertThat(server.handshakes()).isEqualTo(2);
        }
    }

    @Test
    void aReplyLeftUnreadIsFoundWhetherStillEncryptedOrAlreadyDecrypted() throws Exception {
        try (TlsEchoServer server = TlsEchoServer.start(localhost)) {
            ConnectionPool<Socket> pool = pool(trusting(localhost));
            Socket encrypted = pool.acquire(server.name());
            EchoServer.roundTrip(encrypted, "warm");
            encrypted.getOutputStream().write("unread".getBytes(StandardCharsets.US_ASCII));
            server.awaitEchoed("warm".length() + "unread".length());
            assertThat(pool.add(server.name(), encrypted)).as("still on the TCP connection").isEqualTo(AddResult.CLOSED_DEAD);

            Socket decrypted = pool.acquire(server.name());
            EchoServer.roundTrip(decrypted, "warm");
            decrypted.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
            InputStream in = decrypted.getInputStream();
            assertThat(in.read()).isEqualTo('a'); // the record is decrypted whole: "bc" waits in the TLS socket
            assertThat(pool.add(server.name(), decrypted)).as("decrypted, unread").isEqualTo(AddResult.CLOSED_DEAD);
            assertThat(pool.totals().closedDead()).isEqualTo(2);
        }
    }

    @Test
    void aNewContextRetiresOldConnectionsAtGiveBackHandOutAndHousekeeping() {
        TestCertificates.Identity rotated = TestCertificates.rotatedLocalhost();
        try (TlsEchoServer server = TlsEchoServer.start(localhost)) {
            TlsConnectionFactory factory = trusting(localhost);
            ConnectionPool<Socket> pool = pool(factory);
            Socket idleAtRotation = pool.acquire(server.name());
            Socket loanedAtRotation = pool.acquire(server.name());
            Socket housekept = pool.acquire(server.name());
            EchoServer.roundTrip(idleAtRotation, "a");
            EchoServer.roundTrip(loanedAtRotation, "b");
            EchoServer.roundTrip(housekept, "c");
            pool.add(server.name(), idleAtRotation);
            pool.add(server.name(), housekept);

            server.present(rotated);
            factory.useContext(TestCertificates.trusting(rotated));

            repository.housekeep();
            assertThat(idleAtRotation.isClosed() && housekept.isClosed()).as("idle ones retired by housekeeping").isTrue();
            assertThat(pool.add(server.name(), loanedAtRotation)).as("retired at give-back").isEqualTo(AddResult.CLOSED_DEAD);

            Socket fresh = pool.acquire(server.name());
            assertThat(EchoServer.roundTrip(fresh, "new")).isEqualTo("new");
            assertThat(server.presented()).contains("rotated");
            assertThat(pool.add(server.name(), fresh)).isEqualTo(AddResult.POOLED);
            assertThat(pool.get(server.name())).containsSame(fresh);
        }
    }

    @Test
    void anOldConnectionIdleInThePoolIsNotHandedOutAfterARotation() {
        try (TlsEchoServer server = TlsEchoServer.start(localhost)) {
            TlsConnectionFactory factory = trusting(localhost);
            ConnectionPool<Socket> pool = pool(factory);
            Socket old = pool.acquire(server.name());
            EchoServer.roundTrip(old, "old");
            pool.add(server.name(), old);

            factory.useContext(TestCertificates.trusting(localhost));

            assertThat(pool.get(server.name())).isEmpty();
            assertThat(old.isClosed()).isTrue();
        }
    }

    @Test
    void aSupplierThatReturnsANewContextStartsANewGeneration() throws Exception {
        AtomicReference<SSLContext> supplied = new AtomicReference<>(TestCertificates.trusting(localhost));
        TlsConnectionFactory factory = TlsConnectionFactory.builder(supplied::get).build();
        try (TlsEchoServer server = TlsEchoServer.start(localhost); Socket first = factory.connect(server.name())) {
            assertThat(ConnectionAdapter.sockets().isAlive(first)).isTrue();
            supplied.set(TestCertificates.trusting(localhost));
            try (Socket second = factory.connect(server.name())) {
                assertThat(ConnectionAdapter.sockets().isAlive(first)).as("made with the old context").isFalse();
                assertThat(ConnectionAdapter.sockets().isAlive(second)).isTrue();
            }
            assertThatThrownBy(() -> factory.useContext(supplied.get())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("supplier");
        }
    }

    @Test
    void badSettingsAreRefusedWithTheirNames() {
        SSLContext context = TestCertificates.trusting(localhost);
        assertThatThrownBy(() -> TlsConnectionFactory.builder(context).handshakeTimeout(Duration.ZERO))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("handshakeTimeout must be positive");
        assertThatThrownBy(() -> TlsConnectionFactory.builder((SSLContext) null))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("sslContext");
        assertThatThrownBy(() -> TlsConnectionFactory.builder(context).protocols("TLSv1.3", " "))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("protocols");
        TlsConnectionFactory factory = TlsConnectionFactory.builder(context).protocols("TLSv1.3").build();
        assertThat(factory.protocols()).containsExactly("TLSv1.3");
        assertThat(factory.handshakeTimeout()).isEqualTo(factory.tcp().connectTimeout());
    }

    @Test
    void aNameWithCredentialsIsMaskedInTheFailure() {
        try (TlsEchoServer server = TlsEchoServer.start(localhost)) {
            String name = "user:secret@" + server.name();
            assertThatThrownBy(() -> pool(trusting(TestCertificates.rotatedLocalhost())).acquire(name))
                    .isInstanceOf(ConnectFailedException.class)
                    .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("secret"));
        }
    }

    private static void assertConnectFails(ConnectionPool<Socket> pool, String name,
            TlsHandshakeException.Failure failure, String advice) {
        assertThatThrownBy(() -> pool.acquire(name))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("Pool '" + pool.poolName() + "'")
                .hasMessageContaining(name)
                .hasMessageContaining(advice)
                .cause().isInstanceOfSatisfying(TlsHandshakeException.class,
                        ex -> assertThat(ex.getFailure()).isEqualTo(failure));
        assertThat(ProcessResources.socketsConnectedTo(port(name))).as("client sockets left open").isZero();
        assertThat(pool.totals().inUse() + pool.totals().idle()).isZero();
    }

    private static int port(String name) {
        return Integer.parseInt(name.substring(name.lastIndexOf(':') + 1));
    }
}
