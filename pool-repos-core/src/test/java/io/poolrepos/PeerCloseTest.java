package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.testing.EchoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that closes idle connections, or a caller that leaves a reply unread: the pool notices
 * before handing such a connection out, for sockets that have a channel (as the TCP factory makes).
 */
class PeerCloseTest {

    private final EchoServer server = EchoServer.start();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    private ConnectionPool<Socket> pool(boolean sharable) {
        return repository.pool("peer", ConnectionAdapter.sockets(), PoolSettings.builder().sharable(sharable).build(),
                TcpConnectionFactory.create());
    }

    @Test
    void socketClosedByTheServerWhileIdleIsNotHandedOutByGet() throws Exception {
        ConnectionPool<Socket> pool = pool(false);
        Socket s = pool.acquire(server.name());
        pool.add(server.name(), s);

        server.awaitAccepted(1);
        server.dropClients();
        awaitPeerClosed(s);

        assertThat(pool.get(server.name())).isEmpty();
        assertThat(s.isClosed()).isTrue();
        assertThat(pool.totals().closedDead()).isEqualTo(1);
        Socket fresh = pool.acquire(server.name());
        assertThat(EchoServer.roundTrip(fresh, "after")).isEqualTo("after");
    }

    @Test
    void socketClosedByTheServerWhileIdleIsNotShared() throws Exception {
        ConnectionPool<Socket> pool = pool(true);
        Socket s = pool.acquire(server.name());
        pool.add(server.name(), s);

        server.awaitAccepted(1);
        server.dropClients();
        awaitPeerClosed(s);

        assertThat(pool.share(server.name())).isEmpty();
        assertThat(pool.totals().closedDead()).isEqualTo(1);
        assertThat(pool.totals().idle()).isZero();
    }

    @Test
    void connectionGivenBackWithAnUnreadReplyIsClosedNotPooled() throws Exception {
        ConnectionPool<Socket> pool = pool(false);
        Socket s = pool.acquire(server.name());
        s.getOutputStream().write("unread".getBytes());
        awaitBytesToRead(s);

        assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.CLOSED_DEAD);
        assertThat(pool.totals().closedDead()).isEqualTo(1);
    }

    @Test
    void healthySocketPassesTheProbeAndStillWorksAfterIt() {
        ConnectionPool<Socket> pool = pool(false);
        Socket s = pool.acquire(server.name());
        EchoServer.roundTrip(s, "before");
        pool.add(server.name(), s);

        Optional<Socket> again = pool.get(server.name());

        assertThat(again).containsSame(s);
        assertThat(EchoServer.roundTrip(s, "after the probe")).isEqualTo("after the probe");
    }

    @Test
    void socketChannelClosedByTheServerIsNotHandedOut() throws Exception {
        ConnectionPool<SocketChannel> pool = repository.pool("channels", ConnectionAdapter.socketChannels(),
                PoolSettings.defaults());
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
        pool.add(server.name(), channel);

        server.awaitAccepted(1);
        server.dropClients();
        awaitPeerClosed(channel.socket());

        assertThat(pool.get(server.name())).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    /** The server has closed its side; wait until its FIN is visible to a non-consuming check. */
    private void awaitPeerClosed(Socket s) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.openConnections() > 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
        assertThat(s.isClosed()).isFalse();
    }

    private static void awaitBytesToRead(Socket s) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (s.getInputStream().available() == 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
