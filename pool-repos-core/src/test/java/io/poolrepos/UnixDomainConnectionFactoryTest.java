package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.testing.UnixEchoServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unix domain socket connections through a pool, against an echo server on a temp-dir socket path. */
class UnixDomainConnectionFactoryTest {

    private final UnixEchoServer server = UnixEchoServer.start();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
    private final ConnectionPool<SocketChannel> pool = repository.pool("uds", ConnectionAdapter.socketChannels(),
            PoolSettings.defaults(), UnixDomainConnectionFactory.create());

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    @Test
    void connectionsToASocketPathAreReused() throws IOException {
        for (int i = 0; i < 20; i++) {
            SocketChannel channel = pool.acquire(server.name());
            assertThat(roundTrip(channel, "request " + i)).isEqualTo("request " + i);
            assertThat(pool.add(server.name(), channel)).isEqualTo(AddResult.POOLED);
        }
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(pool.totals().created()).isEqualTo(1);
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsNotHandedOut() throws IOException {
        SocketChannel channel = pool.acquire(server.name());
        roundTrip(channel, "before");
        pool.add(server.name(), channel);

        server.dropClients();

        assertThat(pool.get(server.name())).isEmpty();
        assertThat(channel.isOpen()).isFalse();
        assertThat(pool.totals().closedDead()).isEqualTo(1);
        assertThat(roundTrip(pool.acquire(server.name()), "after")).isEqualTo("after");
    }

    @Test
    void aReplyLeftUnreadMakesTheConnectionUnfitToKeep() throws IOException {
        SocketChannel channel = pool.acquire(server.name());
        channel.write(ByteBuffer.wrap("unread".getBytes(StandardCharsets.US_ASCII)));
        server.awaitEchoed("unread".length());
        assertThat(pool.add(server.name(), channel)).isEqualTo(AddResult.CLOSED_DEAD);
    }

    @Test
    void aPathWhereNoSocketExistsIsATypedConnectFailureNamingThePath(@TempDir Path dir) {
        String missing = dir.resolve("nobody.sock").toString();
        assertThatThrownBy(() -> pool.acquire(missing))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("Pool 'uds'")
                .hasMessageContaining(missing)
                .hasMessageContaining("is the server running")
                .cause().isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aFileNobodyListensOnIsAConnectFailure(@TempDir Path dir) throws IOException {
        Path plainFile = Files.createFile(dir.resolve("not-a-socket"));
        assertThatThrownBy(() -> pool.acquire(plainFile.toString()))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining(plainFile.toString())
                .cause().isInstanceOf(java.net.SocketException.class);
        assertThat(pool.totals().inUse()).isZero();
    }

    @Test
    void aNameThatIsNoPathIsRefusedAsSuch() {
        assertThatThrownBy(() -> pool.acquire("bad\0path"))
                .isInstanceOf(ConnectFailedException.class)
                .cause().isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("must be a Unix domain socket path");
    }

    private static String roundTrip(SocketChannel channel, String message) throws IOException {
        byte[] out = message.getBytes(StandardCharsets.UTF_8);
        channel.write(ByteBuffer.wrap(out));
        ByteBuffer in = ByteBuffer.allocate(out.length);
        while (in.hasRemaining()) {
            if (channel.read(in) < 0) {
                throw new IOException("closed by the server");
            }
        }
        return new String(in.array(), StandardCharsets.UTF_8);
    }
}
