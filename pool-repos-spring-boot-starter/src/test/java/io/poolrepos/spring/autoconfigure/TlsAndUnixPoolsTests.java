package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import io.poolrepos.AddResult;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.spring.actuate.PoolReposEndpoint;
import io.poolrepos.testing.EchoServer;
import io.poolrepos.testing.TestCertificates;
import io.poolrepos.testing.TlsEchoServer;
import io.poolrepos.testing.UnixEchoServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code connect: tls} with an SSL bundle and {@code connect: unix}, in a real context against real servers. */
class TlsAndUnixPoolsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, PoolReposAutoConfiguration.class,
                    PoolReposEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=poolrepos",
                    // some scenarios end with a connection on loan: the context's close need not wait for it
                    "pool-repos.shutdown-timeout=0s");

    @Test
    void aTlsPoolTrustsItsBundleAndReusesEachConnection(@TempDir Path dir) throws Exception {
        Path trust = copy(TestCertificates.localhost().certificatePem(), dir.resolve("trust.pem"));
        try (TlsEchoServer server = TlsEchoServer.start(TestCertificates.localhost())) {
            runner.withPropertyValues("spring.ssl.bundle.pem.backend.truststore.certificate=file:" + trust,
                    "pool-repos.pools.secure.connect=tls", "pool-repos.pools.secure.ssl-bundle=backend")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        ConnectionPool<Socket> pool = pool(context.getBean(PoolRepository.class), "secure");
                        for (int i = 0; i < 5; i++) {
                            Socket s = pool.acquire(server.name());
                            assertThat(EchoServer.roundTrip(s, "tls " + i)).isEqualTo("tls " + i);
                            assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.POOLED);
                        }
                        assertThat(server.handshakes()).isEqualTo(1);
                    });
        }
    }

    @Test
    void aReloadedBundleRetiresOldConnectionsAndNewOnesTrustTheNewCertificate(@TempDir Path dir) throws Exception {
        Path trust = copy(TestCertificates.localhost().certificatePem(), dir.resolve("trust.pem"));
        try (TlsEchoServer server = TlsEchoServer.start(TestCertificates.localhost())) {
            runner.withPropertyValues("spring.ssl.bundle.pem.backend.truststore.certificate=file:" + trust,
                    "spring.ssl.bundle.pem.backend.reload-on-update=true",
                    "spring.ssl.bundle.watch.file.quiet-period=50ms",
                    "pool-repos.pools.secure.connect=tls", "pool-repos.pools.secure.ssl-bundle=backend")
                    .run(context -> {
                        ConnectionPool<Socket> pool = pool(context.getBean(PoolRepository.class), "secure");
                        Socket old = pool.acquire(server.name());
                        EchoServer.roundTrip(old, "old");

                        server.present(TestCertificates.rotatedLocalhost());
                        copy(TestCertificates.rotatedLocalhost().certificatePem(), trust);

                        // Until the reload, new connections still trust only the old certificate and fail.
                        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                            try {
                                Socket fresh = pool.acquire(server.name());
                                pool.add(server.name(), fresh);
                                return true;
                            } catch (io.poolrepos.ConnectFailedException beforeTheReload) {
                                return false;
                            }
                        });
                        assertThat(pool.add(server.name(), old)).as("made with the old bundle").isEqualTo(AddResult.CLOSED_DEAD);
                        // The server records a handshake once its side is done, a moment after the client's.
                        await().atMost(Duration.ofSeconds(5)).until(() -> server.presented().contains("rotated"));
                        Socket reused = pool.acquire(server.name());
                        assertThat(EchoServer.roundTrip(reused, "new")).isEqualTo("new");
                    });
        }
    }

    @Test
    void aBundleThatDoesNotExistFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("pool-repos.pools.secure.connect=tls", "pool-repos.pools.secure.ssl-bundle=missing")
                .run(context -> {
                    assertThat(context).hasFailed();
                    String report = StartupReport.of(context.getStartupFailure());
                    assertThat(report).contains("pool-repos.pools.secure.ssl-bundle")
                            .contains("no SSL bundle named 'missing'").contains("spring.ssl.bundle.pem.missing");
                });
    }

    @Test
    void aTlsSettingOnAPoolThatDoesNotConnectWithTlsFailsStartUp() {
        runner.withPropertyValues("pool-repos.pools.plain.connect=tcp", "pool-repos.pools.plain.ssl-bundle=backend")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(StartupReport.of(context.getStartupFailure()))
                            .contains("pool-repos.pools.plain.ssl-bundle").contains("applies only to pools with connect: tls");
                });
    }

    @Test
    void theEndpointShowsTheConnectKindAndBundleNameButNoKeyMaterial(@TempDir Path dir) throws Exception {
        Path trust = copy(TestCertificates.localhost().certificatePem(), dir.resolve("trust.pem"));
        runner.withPropertyValues("spring.ssl.bundle.pem.backend.truststore.certificate=file:" + trust,
                "pool-repos.pools.secure.connect=tls", "pool-repos.pools.secure.ssl-bundle=backend",
                "pool-repos.pools.local.connect=unix", "pool-repos.pools.plain.connect=tcp")
                .run(context -> {
                    PoolReposEndpoint endpoint = context.getBean(PoolReposEndpoint.class);
                    assertThat(endpoint.pool("secure")).containsEntry("connect",
                            Map.of("connect", "tls", "sslBundle", "backend"));
                    assertThat(endpoint.pool("local")).containsEntry("connect", Map.of("connect", "unix"));
                    assertThat(endpoint.pool("plain")).containsEntry("connect", Map.of("connect", "tcp"));
                    assertThat(endpoint.pools().toString()).doesNotContain("BEGIN").doesNotContain(trust.toString());
                });
    }

    @Test
    void aUnixPoolHoldsSocketChannelsToSocketPaths() {
        try (UnixEchoServer server = UnixEchoServer.start()) {
            runner.withPropertyValues("pool-repos.pools.local.connect=unix").run(context -> {
                assertThat(context).hasNotFailed();
                @SuppressWarnings("unchecked")
                ConnectionPool<SocketChannel> pool = (ConnectionPool<SocketChannel>) context.getBean(PoolRepository.class)
                        .find("local").orElseThrow();
                assertThat(pool.connectionType()).isEqualTo(SocketChannel.class);
                for (int i = 0; i < 3; i++) {
                    SocketChannel channel = pool.acquire(server.name());
                    channel.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
                    ByteBuffer reply = ByteBuffer.allocate(4);
                    while (reply.hasRemaining()) {
                        channel.read(reply);
                    }
                    assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo("ping");
                    pool.add(server.name(), channel);
                }
                assertThat(server.accepted()).isEqualTo(1);
            });
        }
    }

    @Test
    void connectUnixWithSocketConnectionsFailsStartUpSayingWhichTypeItOpens() {
        runner.withPropertyValues("pool-repos.pools.local.connect=unix", "pool-repos.pools.local.connection-type=socket")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(StartupReport.of(context.getStartupFailure())).contains("pool-repos.pools.local.connect")
                            .contains("set connection-type to socket-channel");
                });
    }

    @SuppressWarnings("unchecked")
    private static ConnectionPool<Socket> pool(PoolRepository repository, String name) {
        return (ConnectionPool<Socket>) repository.find(name).orElseThrow();
    }

    private static Path copy(Path from, Path to) throws Exception {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
