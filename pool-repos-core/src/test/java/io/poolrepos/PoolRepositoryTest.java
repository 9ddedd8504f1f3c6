package io.poolrepos;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.testing.EchoServer;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry: pools by name, conflicts, listing, names, listeners, housekeeping thread, close. */
class PoolRepositoryTest {

    private final EchoServer server = EchoServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void askingAgainWithTheSameSettingsGivesTheSamePool() {
        try (PoolRepository repository = PoolRepository.create()) {
            PoolSettings settings = PoolSettings.builder().maxIdlePerName(4).build();
            ConnectionPool<Socket> first = repository.pool("orders", ConnectionAdapter.sockets(), settings);
            ConnectionPool<Socket> second = repository.pool("orders", ConnectionAdapter.sockets(),
                    PoolSettings.builder().maxIdlePerName(4).build());

            assertThat(second).isSameAs(first);
            assertThat(repository.pools()).containsExactly(first);
        }
    }

    @Test
    void askingAgainWithOtherSettingsIsAConflictNamingTheSetting() {
        try (PoolRepository repository = PoolRepository.create()) {
            repository.pool("orders", ConnectionAdapter.sockets(), PoolSettings.builder().maxIdlePerName(4).build());

            assertThatThrownBy(() -> repository.pool("orders", ConnectionAdapter.sockets(),
                    PoolSettings.builder().maxIdlePerName(8).build()))
                    .isInstanceOf(PoolConflictException.class)
                    .hasMessage("Pool 'orders' already exists with different settings: maxIdlePerName (4 vs 8). A pool "
                            + "is created once; ask for it again with the same settings, or use another name.");
            assertThatThrownBy(() -> repository.pool("orders", ConnectionAdapter.socketChannels(),
                    PoolSettings.builder().maxIdlePerName(4).build()))
                    .isInstanceOf(PoolConflictException.class).hasMessageContaining("connection type");
            assertThatThrownBy(() -> repository.pool("orders", ConnectionAdapter.sockets(),
                    PoolSettings.builder().maxIdlePerName(4).build(), TcpConnectionFactory.create()))
                    .isInstanceOf(PoolConflictException.class)
                    .hasMessageContaining("connection factory (it has none, one was given)");
            repository.pool("connecting", ConnectionAdapter.sockets(), PoolSettings.defaults(),
                    TcpConnectionFactory.create());
            assertThatThrownBy(() -> repository.pool("connecting", ConnectionAdapter.sockets(), PoolSettings.defaults()))
                    .isInstanceOf(PoolConflictException.class)
                    .hasMessageContaining("connection factory (it has one, none was given)");
        }
    }

    @Test
    void listenersHearOfEachPoolOnceWhenItIsCreated() {
        try (PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build()) {
            List<String> created = new CopyOnWriteArrayList<>();
            repository.addListener(new PoolListener() {
                @Override
                public void poolCreated(ConnectionPool<?> pool) {
                    created.add(pool.poolName());
                }
            });

            repository.pool("orders", ConnectionAdapter.sockets(), PoolSettings.defaults());
            repository.pool("orders", ConnectionAdapter.sockets(), PoolSettings.defaults());
            repository.pool("quotes", ConnectionAdapter.sockets(), PoolSettings.defaults());

            assertThat(created).containsExactly("orders", "quotes");
        }
    }

    @Test
    void findAndRequireLookPoolsUp() {
        try (PoolRepository repository = PoolRepository.create()) {
            ConnectionPool<Socket> orders = repository.pool("orders", ConnectionAdapter.sockets(), PoolSettings.defaults());

            assertThat(repository.find("orders")).containsSame(orders);
            assertThat(repository.find("nope")).isEmpty();
            assertThat(repository.require("orders", Socket.class)).isSameAs(orders);
            assertThatThrownBy(() -> repository.require("nope", Socket.class))
                    .isInstanceOf(PoolNotFoundException.class)
                    .hasMessageContaining("No pool named 'nope'; known pools: [orders]");
            assertThatThrownBy(() -> repository.require("orders", String.class))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("pool 'orders' holds java.net.Socket, not java.lang.String");
            assertThatThrownBy(() -> repository.pool(" ", ConnectionAdapter.sockets(), PoolSettings.defaults()))
                    .isInstanceOf(InvalidArgumentException.class).hasMessage("poolName must not be blank, was ' '");
        }
    }

    @Test
    void snapshotListsEveryPoolAndNameWithTheirFigures() {
        try (PoolRepository repository = PoolRepository.create()) {
            ConnectionPool<Socket> a = repository.pool("a", ConnectionAdapter.sockets(), PoolSettings.defaults());
            repository.pool("b", ConnectionAdapter.sockets(), PoolSettings.defaults());
            a.add("z:1", server.connect());
            a.add("y:1", server.connect());
            a.get("y:1");

            List<PoolSnapshot> snapshot = repository.snapshot();

            assertThat(snapshot).extracting(PoolSnapshot::poolName).containsExactly("a", "b");
            PoolSnapshot first = snapshot.get(0);
            assertThat(first.connectionType()).isEqualTo(Socket.class);
            assertThat(first.names()).extracting(NameSnapshot::name).containsExactly("y:1", "z:1");
            assertThat(first.names().get(0).counts().inUse()).isEqualTo(1);
            assertThat(first.names().get(1).counts().idle()).isEqualTo(1);
            assertThat(first.totals().idle()).isEqualTo(1);
            assertThat(first.totals().inUse()).isEqualTo(1);
            assertThat(first.totals().adopted()).isEqualTo(2);
        }
    }

    @Test
    void closeClosesIdleConnectionsAndRefusesFurtherHandOuts() {
        PoolRepository repository = PoolRepository.create();
        ConnectionPool<Socket> pool = repository.pool("p", ConnectionAdapter.sockets(),
                PoolSettings.builder().sharable(true).build(), TcpConnectionFactory.create());
        Socket idle = server.connect();
        Socket loaned = server.connect();
        pool.add(server.name(), idle);
        pool.add(server.name(), loaned);
        Socket taken = pool.get(server.name()).orElseThrow();
        Socket stays = taken == idle ? loaned : idle;
        assertThat(repository.isClosed()).isFalse();

        repository.close();
        repository.close();

        assertThat(repository.isClosed()).isTrue();
        assertThat(pool.isClosed()).isTrue();
        assertThat(stays.isClosed()).isTrue();
        assertThat(taken.isClosed()).as("on loan: the caller's until given back").isFalse();
        assertThatThrownBy(() -> pool.get(server.name())).isInstanceOf(PoolClosedException.class)
                .hasMessageContaining("Pool 'p' is closed");
        assertThatThrownBy(() -> pool.share(server.name())).isInstanceOf(PoolClosedException.class);
        assertThatThrownBy(() -> pool.acquire(server.name())).isInstanceOf(PoolClosedException.class);
        assertThatThrownBy(() -> repository.pool("q", ConnectionAdapter.sockets(), PoolSettings.defaults()))
                .isInstanceOf(PoolClosedException.class);

        assertThat(pool.add(server.name(), taken)).isEqualTo(AddResult.CLOSED_POOL_CLOSED);
        assertThat(taken.isClosed()).isTrue();
        Socket fresh = server.connect();
        assertThat(pool.add(server.name(), fresh)).isEqualTo(AddResult.CLOSED_POOL_CLOSED);
        assertThat(fresh.isClosed()).isTrue();
        Counts totals = pool.totals().snapshot();
        assertThat(totals.adopted()).isEqualTo(totals.discarded());
    }

    @Test
    void closeWaitsForSharersBeforeClosingASharedConnection() {
        PoolRepository repository = PoolRepository.create();
        ConnectionPool<Socket> pool = repository.pool("p", ConnectionAdapter.sockets(),
                PoolSettings.builder().sharable(true).build());
        Socket s = server.connect();
        pool.add(server.name(), s);
        SharedLease<Socket> lease = pool.share(server.name()).orElseThrow();

        repository.close();

        assertThat(s.isClosed()).isFalse();
        lease.close();
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void oneHousekeepingThreadServesEveryPoolAndStopsOnClose() throws Exception {
        long before = housekeepers();
        PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ofMillis(10)).build();
        for (int i = 0; i < 5; i++) {
            repository.pool("p" + i, ConnectionAdapter.sockets(), PoolSettings.defaults());
        }
        assertThat(housekeepers() - before).isEqualTo(1);
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("pool-repos-housekeeper-"))
                .as("a repository left open never keeps the JVM from exiting").allMatch(Thread::isDaemon);

        repository.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> housekeepers() == before);
    }

    @Test
    void coarseClockAdvancesBetweenHousekeepingPasses() {
        // Housekeeping itself would run only after an hour; the idle timeout must still be noticed
        // by get, which reads the coarse clock that the same thread advances every 10 ms.
        try (PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ofHours(1)).build()) {
            ConnectionPool<Socket> pool = repository.pool("clock", ConnectionAdapter.sockets(),
                    PoolSettings.builder().idleTimeout(Duration.ofMillis(50)).build());
            Socket s = server.connect();
            pool.add(server.name(), s);

            await().atMost(Duration.ofSeconds(5)).until(() -> {
                java.util.Optional<Socket> got = pool.get(server.name());
                got.ifPresent(socket -> pool.add(server.name(), socket));
                return got.isEmpty();
            });

            assertThat(s.isClosed()).isTrue();
            assertThat(pool.totals().evictedIdle()).isEqualTo(1);
        }
    }

    @Test
    void zeroHousekeepingPeriodStartsNoThread() {
        long before = housekeepers();
        try (PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build()) {
            repository.pool("p", ConnectionAdapter.sockets(), PoolSettings.defaults());
            assertThat(housekeepers()).isEqualTo(before);
        }
    }

    @Test
    void namesBeyondTheGuardAreRefusedAndEmptyNamesAreRemoved() {
        DefaultPoolRepository repository = (DefaultPoolRepository) PoolRepository.builder()
                .housekeepingPeriod(Duration.ZERO).build();
        List<String> events = new CopyOnWriteArrayList<>();
        repository.addListener(new PoolListener() {
            @Override
            public void nameAdded(ConnectionPool<?> pool, NameStatistics statistics) {
                events.add("+" + statistics.name());
            }

            @Override
            public void nameRemoved(ConnectionPool<?> pool, NameStatistics statistics) {
                events.add("-" + statistics.name());
            }
        });
        try (repository) {
            ConnectionPool<Socket> pool = repository.pool("p", ConnectionAdapter.sockets(),
                    PoolSettings.builder().maxNames(2).build());
            pool.add("a:1", server.connect());
            pool.add("b:1", server.connect());
            Socket third = server.connect();

            assertThatThrownBy(() -> pool.add("c:1", third)).isInstanceOf(NameLimitExceededException.class)
                    .hasMessageContaining("Pool 'p' already holds 2 names (maxNames), so 'c:1' cannot be added");
            assertThat(third.isClosed()).as("the caller keeps it").isFalse();

            Socket a = pool.get("a:1").orElseThrow();
            pool.discard("a:1", a);
            repository.housekeep();

            assertThat(pool.add("c:1", third)).isEqualTo(AddResult.POOLED);
            assertThat(events).containsExactly("+a:1", "+b:1", "-a:1", "+c:1");
            assertThat(pool.names()).extracting(NameStatistics::name).containsExactlyInAnyOrder("b:1", "c:1");
            assertThat(pool.totals().discarded()).as("counts of removed names are kept").isEqualTo(1);
            assertThat(pool.totals().adopted()).isEqualTo(3);
        }
    }

    @Test
    void aThrowingListenerDoesNotBreakThePool() {
        try (PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build()) {
            repository.addListener(new PoolListener() {
                @Override
                public void nameAdded(ConnectionPool<?> pool, NameStatistics statistics) {
                    throw new IllegalStateException("listener bug");
                }
            });
            ConnectionPool<Socket> pool = repository.pool("p", ConnectionAdapter.sockets(), PoolSettings.defaults());
            Socket s = server.connect();

            assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.POOLED);
            assertThat(pool.get(server.name())).containsSame(s);
        }
    }

    private static long housekeepers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pool-repos-housekeeper-") && t.isAlive()).count();
    }
}
