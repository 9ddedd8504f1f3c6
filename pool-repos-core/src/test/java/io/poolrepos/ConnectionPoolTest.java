package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.ConnectionRejectedException.Reason;
import io.poolrepos.testing.EchoServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** add / get / share / discard / drain on real sockets to an echo server on 127.0.0.1. */
class ConnectionPoolTest {

    private final EchoServer server = EchoServer.start();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
    private final List<Socket> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        repository.close();
        for (Socket s : opened) {
            s.close();
        }
        server.close();
    }

    private ConnectionPool<Socket> pool(PoolSettings settings) {
        return repository.pool("test", ConnectionAdapter.sockets(), settings);
    }

    private Socket socket() {
        Socket s = server.connect();
        opened.add(s);
        return s;
    }

    @Test
    void addedConnectionIsHandedOutByGetAndWorks() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket s = socket();

        assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.POOLED);
        Optional<Socket> got = pool.get(server.name());

        assertThat(got).containsSame(s);
        assertThat(EchoServer.roundTrip(got.get(), "hello")).isEqualTo("hello");
        Counts counts = pool.statistics(server.name()).orElseThrow().snapshot();
        assertThat(counts.adopted()).isEqualTo(1);
        assertThat(counts.added()).isEqualTo(1);
        assertThat(counts.getHits()).isEqualTo(1);
        assertThat(counts.inUse()).isEqualTo(1);
        assertThat(counts.idle()).isZero();
    }

    @Test
    void getOnEmptyOrUnknownNameReturnsEmptyAndCountsMiss() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket s = socket();
        pool.add(server.name(), s);
        pool.get(server.name());

        assertThat(pool.get(server.name())).isEmpty();
        assertThat(pool.get("unknown:1")).isEmpty();
        assertThat(pool.statistics(server.name()).orElseThrow().getMisses()).isEqualTo(1);
        assertThat(pool.totals().getMisses()).isEqualTo(2);
        assertThat(pool.statistics("unknown:1")).isEmpty();
    }

    @Test
    void closedSocketIsClosedAndCountedOnAddNeverPooled() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket s = socket();
        s.close();

        assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.CLOSED_DEAD);
        assertThat(pool.get(server.name())).isEmpty();
        Counts counts = pool.totals().snapshot();
        assertThat(counts.closedDead()).isEqualTo(1);
        assertThat(counts.idle()).isZero();
    }

    @Test
    void socketThatDiedWhileIdleIsSkippedByGetAndCounted() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket dead = socket();
        Socket alive = socket();
        pool.add(server.name(), alive);
        pool.add(server.name(), dead);
        dead.close();

        assertThat(pool.get(server.name())).containsSame(alive);
        assertThat(pool.get(server.name())).isEmpty();
        assertThat(pool.totals().closedDead()).isEqualTo(1);
    }

    @Test
    void socketThatDiedWhileIdleIsNotSharedAndIsCounted() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).build());
        Socket dead = socket();
        pool.add(server.name(), dead);
        dead.close();

        assertThat(pool.share(server.name())).isEmpty();
        assertThat(pool.totals().closedDead()).isEqualTo(1);
        assertThat(pool.totals().idle()).isZero();
    }

    @Test
    void addBeyondMaxIdlePerNameClosesAndCountsOverflow() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).build());
        Socket first = socket();
        Socket second = socket();

        assertThat(pool.add(server.name(), first)).isEqualTo(AddResult.POOLED);
        assertThat(pool.add(server.name(), second)).isEqualTo(AddResult.CLOSED_OVERFLOW);

        assertThat(second.isClosed()).isTrue();
        assertThat(first.isClosed()).isFalse();
        assertThat(pool.totals().overflowed()).isEqualTo(1);
    }

    @Test
    void connectionsOnLoanNeverStopAReturningOneFromBecomingIdleBelowMaxIdlePerName() {
        // A taken connection keeps its place in the name's slot; a connection coming back while every
        // place is held by connections on loan takes one of their places instead of being closed.
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(2).build());
        Socket a = socket();
        Socket b = socket();
        Socket c = socket();
        pool.add(server.name(), a);
        pool.add(server.name(), b);
        Socket first = pool.get(server.name()).orElseThrow();
        Socket second = pool.get(server.name()).orElseThrow();

        assertThat(pool.add(server.name(), c)).as("new, both places on loan").isEqualTo(AddResult.POOLED);
        assertThat(pool.add(server.name(), first)).as("its place went to c").isEqualTo(AddResult.POOLED);
        assertThat(pool.add(server.name(), second)).as("two idle already").isEqualTo(AddResult.CLOSED_OVERFLOW);

        assertThat(second.isClosed()).isTrue();
        assertThat(List.of(c, first)).noneMatch(Socket::isClosed);
        Counts counts = pool.statistics(server.name()).orElseThrow().snapshot();
        assertThat(counts.idle()).isEqualTo(2);
        assertThat(counts.inUse()).isZero();
        assertThat(counts.overflowed()).isEqualTo(1);
        assertThat(List.of(pool.get(server.name()).orElseThrow(), pool.get(server.name()).orElseThrow()))
                .containsExactlyInAnyOrder(c, first);
    }

    @Test
    void connectionWhosePlaceWasTakenCanStillBeDiscardedOrRejectedAsItsBorrowerExpects() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).build());
        Socket a = socket();
        pool.add(server.name(), a);
        Socket taken = pool.get(server.name()).orElseThrow();
        Socket b = socket();
        assertThat(pool.add(server.name(), b)).isEqualTo(AddResult.POOLED);

        assertThatThrownBy(() -> pool.add("other:1", taken)).isInstanceOf(ConnectionRejectedException.class)
                .extracting(e -> ((ConnectionRejectedException) e).getReason()).isEqualTo(Reason.TAKEN_FROM_OTHER_NAME);
        pool.discard(server.name(), taken);

        assertThat(taken.isClosed()).isTrue();
        assertThat(b.isClosed()).isFalse();
        Counts counts = pool.statistics(server.name()).orElseThrow().snapshot();
        assertThat(counts.discarded()).isEqualTo(1);
        assertThat(counts.idle()).isEqualTo(1);
        assertThat(counts.inUse()).isZero();
        assertThat(pool.get(server.name())).containsSame(b);
    }

    @Test
    void callGivesTheConnectionBackWhenTheWorkReturnsAndDiscardsItWhenTheWorkThrows() throws Exception {
        ConnectionPool<Socket> pool = repository.pool("calls", ConnectionAdapter.sockets(), PoolSettings.defaults(),
                TcpConnectionFactory.create());
        Socket[] used = new Socket[2];

        String reply = pool.call(server.name(), s -> {
            used[0] = s;
            return EchoServer.roundTrip(s, "one");
        });
        java.io.IOException failure = new java.io.IOException("read timed out midway");
        assertThatThrownBy(() -> pool.call(server.name(), s -> {
            used[1] = s;
            throw failure;
        })).isSameAs(failure);

        assertThat(reply).isEqualTo("one");
        assertThat(used[1]).as("the second call got the first one's connection back").isSameAs(used[0]);
        assertThat(used[1].isClosed()).as("out of step after a failure: discarded").isTrue();
        Counts counts = pool.totals().snapshot();
        assertThat(counts.added()).isEqualTo(1);
        assertThat(counts.discarded()).isEqualTo(1);
        assertThat(counts.idle() + counts.inUse()).isZero();
    }

    @Test
    void addBeyondMaxIdleInPoolClosesAndCountsOverflow() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdleInPool(1).build());
        Socket first = socket();
        Socket second = socket();

        assertThat(pool.add("a:1", first)).isEqualTo(AddResult.POOLED);
        assertThat(pool.add("b:1", second)).isEqualTo(AddResult.CLOSED_OVERFLOW);
        pool.get("a:1");
        Socket third = socket();
        assertThat(pool.add("b:1", third)).as("a place came free").isEqualTo(AddResult.POOLED);
    }

    @Test
    void newConnectionBeyondMaxOpenPerNameIsClosedAsOverflow() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1).build());
        Socket first = socket();
        pool.add(server.name(), first);
        pool.get(server.name());
        Socket second = socket();

        assertThat(pool.add(server.name(), second)).isEqualTo(AddResult.CLOSED_OVERFLOW);
        assertThat(pool.add(server.name(), first)).isEqualTo(AddResult.POOLED);
        Counts counts = pool.totals().snapshot();
        assertThat(counts.adopted()).as("both came to the pool").isEqualTo(2);
        assertThat(counts.overflowed()).isEqualTo(1);
        BackendFaultTest.assertBooksBalance(pool);
    }

    @Test
    void aConnectionClosedBecauseItsNameIsFullGivesBackItsPlaceUnderMaxIdleInPool() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxIdleInPool(2).build());
        assertThat(pool.add("a:1", socket())).isEqualTo(AddResult.POOLED);

        assertThat(pool.add("a:1", socket())).as("a:1's one place is taken").isEqualTo(AddResult.CLOSED_OVERFLOW);

        assertThat(pool.add("b:1", socket())).as("the pool holds one idle connection of two").isEqualTo(AddResult.POOLED);
        assertThat(pool.add("c:1", socket())).as("now two").isEqualTo(AddResult.CLOSED_OVERFLOW);
    }

    @Test
    void anIdleConnectionClosedByDrainFreesItsPlaceUnderMaxIdleInPool() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdleInPool(1).build());
        assertThat(pool.add("a:1", socket())).isEqualTo(AddResult.POOLED);

        assertThat(pool.drain("a:1")).isEqualTo(1);

        assertThat(pool.add("b:1", socket())).as("the drained connection's place came free").isEqualTo(AddResult.POOLED);
    }

    @Test
    void maxIdlePerNameZeroKeepsNothing() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(0).build());
        Socket s = socket();

        assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.CLOSED_OVERFLOW);
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void lifoHandsOutTheMostRecentlyReturnedFirst() {
        ManualTicker ticker = new ManualTicker();
        try (PoolRepository repo = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).ticker(ticker).build()) {
            ConnectionPool<Socket> pool = repo.pool("lifo", ConnectionAdapter.sockets(),
                    PoolSettings.builder().idleOrder(IdleOrder.LIFO).build());
            Socket a = socket();
            Socket b = socket();
            Socket c = socket();
            for (Socket s : List.of(a, b, c)) {
                pool.add(server.name(), s);
                ticker.advance(Duration.ofMillis(1));
            }
            assertThat(pool.get(server.name())).containsSame(c);
            assertThat(pool.get(server.name())).containsSame(b);
            pool.add(server.name(), c);
            assertThat(pool.get(server.name())).containsSame(c);
        }
    }

    @Test
    void fifoHandsOutTheLongestIdleFirst() {
        ManualTicker ticker = new ManualTicker();
        try (PoolRepository repo = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).ticker(ticker).build()) {
            ConnectionPool<Socket> pool = repo.pool("fifo", ConnectionAdapter.sockets(),
                    PoolSettings.builder().idleOrder(IdleOrder.FIFO).build());
            Socket a = socket();
            Socket b = socket();
            for (Socket s : List.of(a, b)) {
                pool.add(server.name(), s);
                ticker.advance(Duration.ofMillis(1));
            }
            assertThat(pool.get(server.name())).containsSame(a);
            pool.add(server.name(), a);
            assertThat(pool.get(server.name())).containsSame(b);
        }
    }

    // ---- rejections: the pool is unchanged and the caller keeps the connection ----------------------

    @Test
    void addingAnIdleConnectionAgainIsRejected() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket s = socket();
        pool.add(server.name(), s);

        assertThatThrownBy(() -> pool.add(server.name(), s))
                .isInstanceOfSatisfying(ConnectionRejectedException.class,
                        e -> assertThat(e.getReason()).isEqualTo(Reason.ALREADY_IDLE))
                .hasMessageContaining("'test'").hasMessageContaining(server.name())
                .hasMessageContaining("adding it twice would let two callers take it");
        assertThat(pool.totals().idle()).isEqualTo(1);
        assertThat(pool.totals().rejected()).isEqualTo(1);
        assertThat(s.isClosed()).isFalse();
        assertThat(pool.get(server.name())).containsSame(s);
        assertThat(pool.get(server.name())).isEmpty();
    }

    @Test
    void addingASharedConnectionIsRejected() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).build());
        Socket s = socket();
        pool.add(server.name(), s);
        try (SharedLease<Socket> lease = pool.share(server.name()).orElseThrow()) {
            assertThatThrownBy(() -> pool.add(server.name(), lease.connection()))
                    .isInstanceOfSatisfying(ConnectionRejectedException.class,
                            e -> assertThat(e.getReason()).isEqualTo(Reason.BEING_SHARED))
                    .hasMessageContaining("1 sharer");
        }
        assertThat(pool.totals().idle()).isEqualTo(1);
    }

    @Test
    void givingBackUnderAnotherNameIsRejected() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket s = socket();
        pool.add(server.name(), s);
        Socket taken = pool.get(server.name()).orElseThrow();

        assertThatThrownBy(() -> pool.add("other:1", taken))
                .isInstanceOfSatisfying(ConnectionRejectedException.class,
                        e -> assertThat(e.getReason()).isEqualTo(Reason.TAKEN_FROM_OTHER_NAME))
                .hasMessageContaining("give it back under that name");
        assertThat(pool.add(server.name(), taken)).isEqualTo(AddResult.POOLED);
    }

    @Test
    void givingToAnotherPoolIsRejected() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        ConnectionPool<Socket> other = repository.pool("other", ConnectionAdapter.sockets(), PoolSettings.defaults());
        Socket s = socket();
        pool.add(server.name(), s);
        Socket taken = pool.get(server.name()).orElseThrow();

        assertThatThrownBy(() -> other.add(server.name(), taken))
                .isInstanceOfSatisfying(ConnectionRejectedException.class,
                        e -> assertThat(e.getReason()).isEqualTo(Reason.TAKEN_FROM_OTHER_POOL))
                .hasMessageContaining("belongs to pool 'test'");
        assertThat(other.totals().idle()).isZero();
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void objectOfTheWrongTypeIsRejected() {
        ConnectionPool raw = pool(PoolSettings.defaults());

        assertThatThrownBy(() -> raw.add(server.name(), "not a socket"))
                .isInstanceOfSatisfying(ConnectionRejectedException.class,
                        e -> assertThat(e.getReason()).isEqualTo(Reason.WRONG_TYPE))
                .hasMessageContaining("expected java.net.Socket, got java.lang.String");
    }

    @Test
    void nullAndBlankArgumentsAreRejectedNamingTheArgument() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).build());
        Socket s = socket();

        assertThatThrownBy(() -> pool.add(null, s)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("name must not be null");
        assertThatThrownBy(() -> pool.add("  ", s)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("name must not be blank, was '  '");
        assertThatThrownBy(() -> pool.add("a:1", null)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("connection must not be null");
        assertThatThrownBy(() -> pool.get("")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pool.share(null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pool.discard("a:1", null)).isInstanceOf(InvalidArgumentException.class);
        assertThat(s.isClosed()).isFalse();
        assertThat(pool.totals().snapshot().adopted()).isZero();
    }

    // ---- sharing ---------------------------------------------------------------------------------

    @Test
    void shareOnANonSharablePoolNamesThePool() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());

        assertThatThrownBy(() -> pool.share(server.name())).isInstanceOf(PoolNotSharableException.class)
                .hasMessageContaining("Pool 'test' is not sharable");
    }

    @Test
    void sharedConnectionStaysInThePoolAndIsNeverHandedOutByGet() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).build());
        Socket s = socket();
        pool.add(server.name(), s);

        SharedLease<Socket> first = pool.share(server.name()).orElseThrow();
        SharedLease<Socket> second = pool.share(server.name()).orElseThrow();

        assertThat(first.connection()).isSameAs(s);
        assertThat(second.connection()).isSameAs(s);
        assertThat(pool.get(server.name())).isEmpty();
        Counts counts = pool.totals().snapshot();
        assertThat(counts.idle()).isEqualTo(1);
        assertThat(counts.sharedConnections()).isEqualTo(1);
        assertThat(counts.activeShares()).isEqualTo(2);
        assertThat(counts.shares()).isEqualTo(2);

        first.close();
        assertThat(pool.get(server.name())).as("one sharer left").isEmpty();
        second.close();
        assertThat(pool.get(server.name())).containsSame(s);
    }

    @Test
    void shareTakesTheLeastLoadedConnectionAndRespectsMaxSharers() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).maxSharersPerConnection(2).build());
        Socket a = socket();
        Socket b = socket();
        pool.add(server.name(), a);
        pool.add(server.name(), b);

        List<SharedLease<Socket>> leases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leases.add(pool.share(server.name()).orElseThrow());
        }

        assertThat(leases.stream().filter(l -> l.connection() == a)).hasSize(2);
        assertThat(leases.stream().filter(l -> l.connection() == b)).hasSize(2);
        assertThat(pool.share(server.name())).as("both at the limit").isEmpty();
        leases.get(0).close();
        assertThat(pool.share(server.name()).orElseThrow().connection()).isSameAs(leases.get(0).connection());
    }

    @Test
    void aThreadKeepsJoiningTheConnectionItJoinedLastUnlessAnotherIsLessLoaded() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).build());
        Socket a = socket();
        Socket b = socket();
        pool.add(server.name(), a);
        pool.add(server.name(), b);
        String name = server.name();
        ExecutorService other = threadWithAnotherPreference();
        Callable<SharedLease<Socket>> share = () -> pool.share(name).orElseThrow();
        try {
            SharedLease<Socket> ours = share.call();
            SharedLease<Socket> theirs = other.submit(share).get();
            assertThat(ours.connection()).isSameAs(a);
            assertThat(theirs.connection()).as("the least loaded").isSameAs(b);
            ours.close();
            theirs.close();

            // Both unshared again: each thread goes back to its own, although a comes first.
            SharedLease<Socket> theirsAgain = other.submit(share).get();
            assertThat(theirsAgain.connection()).isSameAs(b);
            assertThat(share.call().connection()).isSameAs(a);

            assertThat(other.submit(share).get().connection()).as("equally loaded: its own").isSameAs(b);
            assertThat(other.submit(share).get().connection()).as("its own has more sharers").isSameAs(a);
            assertThat(pool.totals().activeShares()).isEqualTo(4);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void onceThreadsCompeteForANameEachTakesTheConnectionItTookLastBeforeTheOneReturnedLast() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().idleOrder(IdleOrder.LIFO).build());
        Socket a = socket();
        Socket b = socket();
        String name = server.name();
        pool.add(name, a);
        pool.add(name, b);
        // Threads compete once a compare-and-set to take a connection fails; that race cannot be
        // scheduled from here, so the test creates what it leaves behind.
        NameSlot<?> slot = (NameSlot<?>) pool.statistics(name).orElseThrow();
        slot.crowded();
        ExecutorService other = threadWithAnotherPreference();
        Callable<Socket> get = () -> pool.get(name).orElseThrow();
        try {
            Socket ours = get.call();
            Socket theirs = other.submit(get).get();
            assertThat(theirs).isNotSameAs(ours);
            pool.add(name, ours);
            other.submit(() -> pool.add(name, theirs)).get();

            // Alone on the name, LIFO would hand out the connection given back last (theirs).
            assertThat(get.call()).as("ours first, though theirs came back last").isSameAs(ours);
            assertThat(other.submit(get).get()).isSameAs(theirs);
            pool.add(name, ours);
            pool.add(name, theirs);

            NameStatistics counts = pool.statistics(name).orElseThrow();
            assertThat(counts.getHits()).as("hits counted by the crowd").isEqualTo(4);
            assertThat(counts.added()).as("adds counted by the slot, then by the crowd").isEqualTo(6);
            assertThat(counts.idle()).isEqualTo(2);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aNameGetsItsCrowdOnlyWhenLostRacesAreFrequentNotWhenThreadsMeetOnItNowAndThen() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        String name = server.name();
        pool.add(name, socket());
        NameSlot<?> slot = (NameSlot<?>) pool.statistics(name).orElseThrow();

        // 7 lost races, then more than 512 gets without one: the window starts again.
        for (int i = 0; i < 7; i++) {
            slot.lostRace();
        }
        assertThat(slot.isCrowded()).as("7 lost races").isFalse();
        for (int i = 0; i < 513; i++) {
            pool.add(name, pool.get(name).orElseThrow());
        }
        for (int i = 0; i < 7; i++) {
            slot.lostRace();
        }
        assertThat(slot.isCrowded()).as("7 lost races in the new window, 14 in all").isFalse();

        slot.lostRace();
        assertThat(slot.isCrowded()).as("8 lost races within 512 gets").isTrue();
    }

    /**
     * A thread for the other side of a two-thread test of per-thread preferences: those are kept per
     * thread id (its low bits), so its id must differ from the calling thread's there.
     */
    private static ExecutorService threadWithAnotherPreference() {
        long mine = Thread.currentThread().getId();
        return Executors.newSingleThreadExecutor(task -> {
            Thread t;
            do {
                t = new Thread(task, "other thread");
            } while (((t.getId() ^ mine) & (Crowd.PREFERENCES - 1)) == 0);
            return t;
        });
    }

    @Test
    void closingALeaseTwiceReleasesItOnce() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).build());
        pool.add(server.name(), socket());
        SharedLease<Socket> first = pool.share(server.name()).orElseThrow();
        SharedLease<Socket> second = pool.share(server.name()).orElseThrow();

        first.close();
        first.close();

        assertThat(first.isOpen()).isFalse();
        assertThat(second.isOpen()).isTrue();
        assertThat(pool.totals().activeShares()).isEqualTo(1);
        second.close();
        assertThat(pool.totals().activeShares()).isZero();
    }

    @Test
    void sharedConnectionFoundDeadIsClosedAfterItsLastSharerLeaves() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).build());
        Socket s = socket();
        pool.add(server.name(), s);
        SharedLease<Socket> holder = pool.share(server.name()).orElseThrow();
        s.shutdownOutput(); // no longer alive for the pool, but still open for the current sharer

        assertThat(pool.share(server.name())).as("not handed out any more").isEmpty();
        assertThat(s.isClosed()).as("current sharer still holds it").isFalse();
        assertThat(pool.totals().closedDead()).isZero();

        holder.close();
        assertThat(s.isClosed()).isTrue();
        assertThat(pool.totals().closedDead()).isEqualTo(1);
        assertThat(pool.totals().idle()).isZero();
    }

    // ---- discard and drain -----------------------------------------------------------------------

    @Test
    void discardClosesALoanedConnectionAndFreesItsPlace() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1).build());
        Socket s = socket();
        pool.add(server.name(), s);
        Socket taken = pool.get(server.name()).orElseThrow();

        pool.discard(server.name(), taken);

        assertThat(taken.isClosed()).isTrue();
        assertThat(pool.totals().discarded()).isEqualTo(1);
        assertThat(pool.totals().inUse()).isZero();
        assertThat(pool.add(server.name(), socket())).as("place is free again").isEqualTo(AddResult.POOLED);
    }

    @Test
    void discardOfAConnectionNotOnLoanIsRejected() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket idle = socket();
        pool.add(server.name(), idle);

        assertThatThrownBy(() -> pool.discard(server.name(), idle))
                .isInstanceOfSatisfying(ConnectionRejectedException.class,
                        e -> assertThat(e.getReason()).isEqualTo(Reason.NOT_ON_LOAN));
        assertThatThrownBy(() -> pool.discard(server.name(), socket()))
                .isInstanceOf(ConnectionRejectedException.class).hasMessageContaining("not taken from this pool");
        assertThat(idle.isClosed()).isFalse();
        assertThat(pool.totals().idle()).isEqualTo(1);
    }

    @Test
    void drainClosesIdleConnectionsOfOneNameOnly() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket a = socket();
        Socket b = socket();
        Socket other = socket();
        pool.add(server.name(), a);
        pool.add(server.name(), b);
        pool.add("other:1", other);

        assertThat(pool.drain(server.name())).isEqualTo(2);

        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
        assertThat(other.isClosed()).isFalse();
        assertThat(pool.drainAll()).isEqualTo(1);
        assertThat(pool.totals().discarded()).isEqualTo(3);
    }

    // ---- connection types ------------------------------------------------------------------------

    @Test
    void socketChannelsWorkOutOfTheBox() throws Exception {
        ConnectionPool<SocketChannel> pool = repository.pool("channels", ConnectionAdapter.socketChannels(),
                PoolSettings.defaults());
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));

        assertThat(pool.add(server.name(), channel)).isEqualTo(AddResult.POOLED);
        assertThat(pool.get(server.name())).containsSame(channel);
        channel.close();
        assertThat(pool.add(server.name(), channel)).isEqualTo(AddResult.CLOSED_DEAD);
    }

    @Test
    void aClosedSocketChannelIsNeverSharedEvenThoughSharablePoolsSkipTheProbe() throws Exception {
        // Sharable pools check liveness with isAlive only (no probe): that check alone must see the close.
        ConnectionPool<SocketChannel> pool = repository.pool("shared-channels", ConnectionAdapter.socketChannels(),
                PoolSettings.builder().sharable(true).build());
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
        assertThat(pool.add(server.name(), channel)).isEqualTo(AddResult.POOLED);

        channel.close();

        assertThat(pool.share(server.name())).isEmpty();
        assertThat(pool.totals().closedDead()).isEqualTo(1);
    }

    /** A connection type of the user's, handled through an adapter. */
    static final class Session {
        boolean open = true;
    }

    @Test
    void anyTypeWorksThroughAnAdapter() {
        ConnectionAdapter<Session> adapter = ConnectionAdapter.of(Session.class, s -> s.open, s -> s.open = false);
        ConnectionPool<Session> pool = repository.pool("sessions", adapter, PoolSettings.builder().maxIdlePerName(1).build());
        Session first = new Session();
        Session second = new Session();

        assertThat(pool.add("x", first)).isEqualTo(AddResult.POOLED);
        assertThat(pool.add("x", second)).isEqualTo(AddResult.CLOSED_OVERFLOW);
        assertThat(second.open).as("closed through the adapter").isFalse();
        first.open = false;
        assertThat(pool.get("x")).as("dead by the adapter's rule").isEmpty();
    }
}
