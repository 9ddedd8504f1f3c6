package io.poolrepos;

import static org.awaitility.Awaitility.await;
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
        idleForTheProbeWindow(pool);

        assertThat(pool.get(server.name())).isEmpty();
        assertThat(s.isClosed()).isTrue();
        assertThat(pool.totals().closedDead()).isEqualTo(1);
        Socket fresh = pool.acquire(server.name());
        assertThat(EchoServer.roundTrip(fresh, "after")).isEqualTo("after");
    }

    @Test
    void withProbeAfterIdleASocketIdleLongerIsProbedAndOneGivenBackSinceIsNotProbedAgain() throws Exception {
        ManualTicker clock = new ManualTicker();
        try (PoolRepository timed = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).ticker(clock).build()) {
            ConnectionPool<Socket> pool = timed.pool("probe-after-idle", ConnectionAdapter.sockets(),
                    PoolSettings.builder().probeAfterIdle(Duration.ofSeconds(1)).build(), TcpConnectionFactory.create());
            Socket first = givenBackThenClosedByTheServer(pool, 1);

            clock.advance(Duration.ofSeconds(1));
            assertThat(pool.get(server.name())).as("idle for probeAfterIdle: probed, found closed").isEmpty();
            assertThat(first.isClosed()).isTrue();

            Socket second = givenBackThenClosedByTheServer(pool, 2);

            clock.advance(Duration.ofMillis(999));
            // Given back less than probeAfterIdle ago: add probed it then, get checks only the socket's
            // own flags, so the peer's close is left for the caller's first read to find.
            assertThat(pool.get(server.name())).as("given back just now: not probed again").containsSame(second);
            assertThat(second.getInputStream().read()).as("the caller's read finds the close").isEqualTo(-1);
            assertThat(pool.totals().closedDead()).isEqualTo(1);
        }
    }

    @Test
    void byDefaultAGetSoonAfterACleanGiveBackLeavesAPeerCloseToTheCallersFirstRead() throws Exception {
        ManualTicker clock = new ManualTicker(); // never moves: no time passes between give-back and get
        try (PoolRepository timed = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).ticker(clock).build()) {
            ConnectionPool<Socket> pool = timed.pool("defaults", ConnectionAdapter.sockets(),
                    PoolSettings.defaults(), TcpConnectionFactory.create());
            Socket s = givenBackThenClosedByTheServer(pool, 1);

            assertThat(pool.get(server.name())).as("given back less than probeAfterIdle ago: flags only").containsSame(s);
            assertThat(s.getInputStream().read()).as("the caller's read finds the close").isEqualTo(-1);
            assertThat(pool.totals().closedDead()).isZero();
        }
    }

    @Test
    void byDefaultASocketIdleForTwentyMillisecondsIsProbedAgainByGet() throws Exception {
        ManualTicker clock = new ManualTicker();
        try (PoolRepository timed = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).ticker(clock).build()) {
            ConnectionPool<Socket> pool = timed.pool("defaults", ConnectionAdapter.sockets(),
                    PoolSettings.defaults(), TcpConnectionFactory.create());
            assertThat(pool.settings().probeAfterIdle()).isEqualTo(Duration.ofMillis(20));
            Socket s = givenBackThenClosedByTheServer(pool, 1);

            clock.advance(Duration.ofMillis(20));
            assertThat(pool.get(server.name())).as("probed, found closed").isEmpty();
            assertThat(s.isClosed()).isTrue();
            assertThat(pool.totals().closedDead()).isEqualTo(1);
        }
    }

    @Test
    void theProbeWindowIsMeasuredOnThePreciseClockSoALaggingCoarseClockDoesNotStretchIt() throws Exception {
        ManualTicker clock = new ManualTicker();
        try (PoolRepository timed = laggingForOtherThreads(clock)) {
            ConnectionPool<Socket> pool = timed.pool("lagging", ConnectionAdapter.sockets(),
                    PoolSettings.defaults(), TcpConnectionFactory.create());
            Socket s = givenBackThenClosedByTheServer(pool, 1);

            clock.advance(Duration.ofMillis(20));
            assertThat(pool.get(server.name())).as("idle 20 ms by the precise clock: probed, found closed").isEmpty();
            assertThat(s.isClosed()).isTrue();
            assertThat(pool.totals().closedDead()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionGivenBackMomentsAgoIsNotProbedAgainEvenWhenTheCoarseClockLags() throws Exception {
        // As above, the coarse clock is stuck at the start, here a second behind: a give-back stamped
        // with it would look a second old to get, which would probe it and save nothing.
        ManualTicker clock = new ManualTicker();
        try (PoolRepository timed = laggingForOtherThreads(clock)) {
            ConnectionPool<Socket> pool = timed.pool("lagging", ConnectionAdapter.sockets(),
                    PoolSettings.defaults(), TcpConnectionFactory.create());
            clock.advance(Duration.ofSeconds(1));
            Socket s = givenBackThenClosedByTheServer(pool, 1);

            assertThat(pool.get(server.name())).as("given back just now by the precise clock: flags only").containsSame(s);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void withProbeAfterIdleZeroEveryGetProbesTheSocketEvenAtTheInstantOfItsGiveBack() throws Exception {
        ManualTicker clock = new ManualTicker(); // never moves: no time passes between give-back and get
        try (PoolRepository timed = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).ticker(clock).build()) {
            ConnectionPool<Socket> pool = timed.pool("probe-always", ConnectionAdapter.sockets(),
                    PoolSettings.builder().probeAfterIdle(Duration.ZERO).build(), TcpConnectionFactory.create());
            Socket s = givenBackThenClosedByTheServer(pool, 1);

            assertThat(pool.get(server.name())).as("probed, found closed").isEmpty();
            assertThat(s.isClosed()).isTrue();
            assertThat(pool.totals().closedDead()).isEqualTo(1);
        }
    }

    @Test
    void aSocketTheServerClosedBeforeItsGiveBackIsClosedByAddNotPooled() {
        ManualTicker clock = new ManualTicker();
        try (PoolRepository timed = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).ticker(clock).build()) {
            ConnectionPool<Socket> pool = timed.pool("defaults", ConnectionAdapter.sockets(),
                    PoolSettings.defaults(), TcpConnectionFactory.create());
            Socket s = pool.acquire(server.name());
            server.awaitAccepted(1);
            server.dropClients();
            awaitPeerClosed(s);

            assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.CLOSED_DEAD);
            assertThat(pool.get(server.name())).isEmpty();
            assertThat(pool.totals().closedDead()).isEqualTo(1);
        }
    }

    /**
     * A repository whose coarse clock never moves: the housekeeping thread, which advances it, always
     * reads the start time, as one starved of CPU would; this test's thread reads {@code clock}.
     */
    private static PoolRepository laggingForOtherThreads(ManualTicker clock) {
        Thread test = Thread.currentThread();
        long start = clock.nanoTime();
        Ticker lagging = () -> Thread.currentThread() == test ? clock.nanoTime() : start;
        return PoolRepository.builder().housekeepingPeriod(Duration.ofHours(1)).ticker(lagging).build();
    }

    /** A new socket of the pool, given back, then closed by the server: the {@code nth} it accepted. */
    private Socket givenBackThenClosedByTheServer(ConnectionPool<Socket> pool, int nth) {
        Socket s = pool.acquire(server.name());
        pool.add(server.name(), s);
        server.awaitAccepted(nth);
        server.dropClients();
        awaitPeerClosed(s);
        return s;
    }

    @Test
    void sharableSocketWithAnApplicationReaderIsSharedWithoutWaitingForIt() throws Exception {
        // Multiplexing clients keep a reader thread on a shared socket even while it is idle in the
        // pool. A probe that switches blocking mode would wait for that read forever, so sharable
        // pools never probe: share must return at once.
        ConnectionPool<Socket> pool = pool(true);
        Socket s = pool.acquire(server.name());
        pool.add(server.name(), s);
        Thread reader = new Thread(() -> {
            try {
                s.setSoTimeout(0);
                s.getInputStream().read();
            } catch (IOException closed) {
                // the test closes the repository
            }
        });
        reader.start();
        awaitBlockedInRead(reader);

        java.util.concurrent.CompletableFuture<Optional<SharedLease<Socket>>> share =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> pool.share(server.name()));

        assertThat(share.get(5, java.util.concurrent.TimeUnit.SECONDS)).isPresent();
        s.close();
        reader.join(5_000);
    }

    private static void awaitBlockedInRead(Thread reader) throws InterruptedException {
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.getState() == Thread.State.RUNNABLE);
        Thread.sleep(50); // into the native read: a probe from now on would block on its lock
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
        idleForTheProbeWindow(pool);

        assertThat(pool.get(server.name())).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    /** Lets the connection idle long enough that get probes it again (the pool's clock is real time here). */
    private static void idleForTheProbeWindow(ConnectionPool<?> pool) throws InterruptedException {
        Thread.sleep(pool.settings().probeAfterIdle().toMillis() + 5);
    }

    /** The server has closed its side; wait until its FIN is visible to a non-consuming check. */
    private void awaitPeerClosed(Socket s) {
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
        assertThat(s.isClosed()).isFalse();
    }

    private static void awaitBytesToRead(Socket s) {
        await().atMost(Duration.ofSeconds(5)).until(() -> s.getInputStream().available() > 0);
    }
}
