package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.testing.EchoServer;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the public API, one row each: every row gets a typed exception with a message
 * that says what is wrong (or a documented outcome), and afterwards the pool holds exactly what it
 * held before: the same idle, in-use and shared connections, none of them closed.
 */
class BadInputTest {

    private static EchoServer server;

    @BeforeAll
    static void start() {
        server = EchoServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A repository with one idle, one loaned and one shared connection, plus a fresh socket. */
    static final class Fixture implements AutoCloseable {
        final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
        final ConnectionPool<Socket> exclusive = repository.pool("exclusive", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxNames(2).build());
        final ConnectionPool<Socket> sharable = repository.pool("sharable", ConnectionAdapter.sockets(),
                PoolSettings.builder().sharable(true).build());
        final Socket idle = server.connect();
        final Socket loaned = server.connect();
        final Socket shared = server.connect();
        final Socket fresh = server.connect();
        final SharedLease<Socket> lease;

        Fixture() {
            exclusive.add("a:1", idle);
            exclusive.add("b:1", loaned);
            exclusive.get("b:1").orElseThrow();
            sharable.add("a:1", shared);
            lease = sharable.share("a:1").orElseThrow();
        }

        List<Object> state() {
            return List.of(state(exclusive), state(sharable), idle.isClosed(), loaned.isClosed(), shared.isClosed());
        }

        private static List<Integer> state(ConnectionPool<?> pool) {
            Counts c = pool.totals().snapshot();
            return List.of(c.idle(), c.inUse(), c.sharedConnections(), c.activeShares(), pool.names().size());
        }

        @Override
        public void close() throws Exception {
            repository.close();
            for (Socket s : List.of(idle, loaned, shared, fresh)) {
                s.close();
            }
        }
    }

    interface Action {
        void run(Fixture f) throws Exception;
    }

    private static Arguments row(String input, Action action, Class<? extends Throwable> type, String message) {
        return Arguments.of(input, action, type, message);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Stream<Arguments> badInputs() {
        return Stream.of(
                row("add: null name", f -> f.exclusive.add(null, f.fresh), InvalidArgumentException.class,
                        "name must not be null"),
                row("add: blank name", f -> f.exclusive.add(" \t", f.fresh), InvalidArgumentException.class,
                        "name must not be blank"),
                row("add: null connection", f -> f.exclusive.add("a:1", null), InvalidArgumentException.class,
                        "connection must not be null"),
                row("add: wrong connection type", f -> ((ConnectionPool) f.exclusive).add("a:1", "text"),
                        ConnectionRejectedException.class, "expected java.net.Socket, got java.lang.String"),
                row("add: same connection twice", f -> f.exclusive.add("a:1", f.idle),
                        ConnectionRejectedException.class, "ALREADY_IDLE"),
                row("add: connection while shared", f -> f.sharable.add("a:1", f.shared),
                        ConnectionRejectedException.class, "BEING_SHARED"),
                row("add: loaned connection under another name", f -> f.exclusive.add("a:1", f.loaned),
                        ConnectionRejectedException.class, "taken from name 'b:1'"),
                row("add: loaned connection into another pool", f -> f.sharable.add("b:1", f.loaned),
                        ConnectionRejectedException.class, "belongs to pool 'exclusive'"),
                row("add: name beyond the max-names guard", f -> f.exclusive.add("c:1", f.fresh),
                        NameLimitExceededException.class, "already holds 2 names"),
                row("get: null name", f -> f.exclusive.get(null), InvalidArgumentException.class,
                        "name must not be null"),
                row("get: empty name", f -> f.exclusive.get(""), InvalidArgumentException.class,
                        "name must not be blank"),
                row("share: non-sharable pool", f -> f.exclusive.share("a:1"), PoolNotSharableException.class,
                        "Pool 'exclusive' is not sharable"),
                row("share: blank name", f -> f.sharable.share("  "), InvalidArgumentException.class,
                        "name must not be blank"),
                row("acquire: pool without factory", f -> f.exclusive.acquire("a:1"),
                        NoConnectionFactoryException.class, "has no ConnectionFactory"),
                row("discard: connection not on loan", f -> f.exclusive.discard("a:1", f.idle),
                        ConnectionRejectedException.class, "NOT_ON_LOAN"),
                row("discard: foreign connection", f -> f.exclusive.discard("a:1", f.fresh),
                        ConnectionRejectedException.class, "not taken from this pool"),
                row("discard: shared connection", f -> f.sharable.discard("a:1", f.shared),
                        ConnectionRejectedException.class, "not on loan"),
                row("call: null work", f -> f.exclusive.call("a:1", null), InvalidArgumentException.class,
                        "work must not be null"),
                row("drain: null name", f -> f.exclusive.drain(null), InvalidArgumentException.class,
                        "name must not be null"),
                row("statistics: blank name", f -> f.exclusive.statistics(""), InvalidArgumentException.class,
                        "name must not be blank"),
                row("repository: unknown pool", f -> f.repository.require("missing", Socket.class),
                        PoolNotFoundException.class, "known pools: [exclusive, sharable]"),
                row("repository: pool of another type", f -> f.repository.require("exclusive", String.class),
                        InvalidArgumentException.class, "holds java.net.Socket, not java.lang.String"),
                row("repository: conflicting settings", f -> f.repository.pool("exclusive", ConnectionAdapter.sockets(),
                        PoolSettings.defaults()), PoolConflictException.class, "maxNames (2 vs 10000)"),
                row("repository: blank pool name", f -> f.repository.pool("", ConnectionAdapter.sockets(),
                        PoolSettings.defaults()), InvalidArgumentException.class, "poolName must not be blank"),
                row("repository: null adapter", f -> f.repository.pool("x", null, PoolSettings.defaults()),
                        InvalidArgumentException.class, "adapter must not be null"),
                row("repository: null listener", f -> f.repository.addListener(null), InvalidArgumentException.class,
                        "listener must not be null"),
                row("settings: negative limit", f -> PoolSettings.builder().maxOpenPerName(-1),
                        InvalidArgumentException.class, "maxOpenPerName must be >= 0, was -1"),
                row("settings: max idle above max open", f -> PoolSettings.builder().maxIdlePerName(9).maxOpenPerName(3)
                        .build(), InvalidArgumentException.class, "maxIdlePerName (9) must not exceed maxOpenPerName (3)"),
                row("settings: negative duration", f -> PoolSettings.builder().idleTimeout(Duration.ofMinutes(-1)),
                        InvalidArgumentException.class, "idleTimeout must not be negative, was PT-1M"),
                row("settings: absurd duration", f -> PoolSettings.builder().maxLifetime(Duration.ofDays(10_000)),
                        InvalidArgumentException.class, "maxLifetime must be at most 365 days"),
                row("settings: zero sharers", f -> PoolSettings.builder().maxSharersPerConnection(0),
                        InvalidArgumentException.class, "maxSharersPerConnection must be >= 1, was 0"),
                row("tcp factory: zero connect timeout", f -> TcpConnectionFactory.builder().connectTimeout(Duration.ZERO),
                        InvalidArgumentException.class, "connectTimeout must be positive"),
                row("tcp factory: name without port", f -> TcpConnectionFactory.create().connect("localhost"),
                        InvalidArgumentException.class, "name must be host:port"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGetsATypedErrorAndChangesNothing(String input, Action action, Class<? extends Throwable> type,
            String message) throws Exception {
        try (Fixture f = new Fixture()) {
            List<Object> before = f.state();

            assertThatThrownBy(() -> action.run(f)).as(input).isInstanceOf(type).isInstanceOf(PoolReposException.class)
                    .hasMessageContaining(message);

            assertThat(f.state()).as("state after: " + input).isEqualTo(before);
            assertThat(f.fresh.isClosed()).as("the caller keeps its connection").isFalse();
        }
    }

    static Stream<Arguments> documentedOutcomes() {
        return Stream.of(
                Arguments.of("add: closed connection is closed and counted, never pooled", (Action) f -> {
                    f.fresh.close();
                    assertThat(f.exclusive.add("a:1", f.fresh)).isEqualTo(AddResult.CLOSED_DEAD);
                    assertThat(f.exclusive.totals().closedDead()).isEqualTo(1);
                }),
                Arguments.of("lease closed twice releases once", (Action) f -> {
                    f.lease.close();
                    f.lease.close();
                    assertThat(f.sharable.totals().activeShares()).isZero();
                    assertThat(f.shared.isClosed()).isFalse();
                }),
                Arguments.of("get on an unknown name is empty and creates no name", (Action) f -> {
                    assertThat(f.exclusive.get("never-seen:1")).isEmpty();
                    assertThat(f.sharable.share("never-seen:1")).isEmpty();
                    assertThat(f.exclusive.names()).hasSize(2);
                }),
                Arguments.of("calls after close: hand-outs refused, add closes", (Action) f -> {
                    f.repository.close();
                    assertThatThrownBy(() -> f.exclusive.get("a:1")).isInstanceOf(PoolClosedException.class);
                    assertThatThrownBy(() -> f.sharable.share("a:1")).isInstanceOf(PoolClosedException.class);
                    assertThat(f.exclusive.add("b:1", f.loaned)).isEqualTo(AddResult.CLOSED_POOL_CLOSED);
                    assertThat(f.loaned.isClosed()).isTrue();
                    assertThat(f.idle.isClosed()).isTrue();
                    assertThat(f.shared.isClosed()).as("closed when its last lease is").isFalse();
                    f.lease.close();
                    assertThat(f.shared.isClosed()).isTrue();
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedOutcomes")
    void documentedOutcome(String input, Action check) throws Exception {
        try (Fixture f = new Fixture()) {
            check.run(f);
        }
    }
}
