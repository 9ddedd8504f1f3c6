package io.poolrepos.sample.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.Counts;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.sample.backend.LineBackend;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SharedRequestClientTest {

    private LineBackend backend;
    private PoolRepository repository;
    private ConnectionPool<Socket> pool;
    private SharedRequestClient client;

    @BeforeEach
    void start() throws Exception {
        // Replies wait up to 40 ms: many requests are in flight at once and come back out of order.
        backend = LineBackend.start(0, Duration.ofMillis(40));
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
        pool = repository.pool("multiplex", ConnectionAdapter.sockets(),
                PoolSettings.builder().sharable(true).maxIdlePerName(2).maxOpenPerName(2)
                        .maxSharersPerConnection(8).build(),
                TcpConnectionFactory.create());
        client = new SharedRequestClient(pool, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        repository.close();
        backend.close();
    }

    @Test
    void concurrentCallersShareFewConnectionsAndEachGetsItsOwnReply() throws Exception {
        int callers = 16;
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                results.add(threads.submit(() -> {
                    go.await();
                    List<String> replies = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        replies.add(client.request(backend.name(), "caller" + caller + "-" + i));
                    }
                    return replies;
                }));
            }
            go.countDown();
            for (int c = 0; c < callers; c++) {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    expected.add("caller" + c + "-" + i);
                }
                assertThat(results.get(c).get()).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }

        // 16 callers, at most 2 connections of 8 sharers each: the sockets really were shared.
        assertThat(backend.connectionsAccepted()).isBetween(1, 2);
        Counts totals = pool.totals().snapshot();
        assertThat(totals.shares()).isEqualTo(client.leases()).isEqualTo(160);
        assertThat(totals.activeShares()).isZero();
        assertThat(totals.inUse()).isZero();
        assertThat(totals.idle()).isEqualTo(backend.connectionsAccepted());
    }

    @Test
    void aBackendThatGoesAwayFailsTheCallAndThePoolDropsTheDeadSocket() {
        assertThat(client.request(backend.name(), "before")).isEqualTo("before");
        assertThat(client.multiplexedSockets()).isEqualTo(1);

        backend.close();

        // The reader sees the end of the stream, shuts the socket down and forgets it.
        await().atMost(Duration.ofSeconds(10)).until(() -> client.multiplexedSockets() == 0);
        // Nothing listens any more: share finds the socket dead (closed and counted), and the new
        // connect is refused.
        assertThatThrownBy(() -> client.request(backend.name(), "after"))
                .isInstanceOf(io.poolrepos.ConnectFailedException.class);
        Counts totals = pool.totals().snapshot();
        assertThat(totals.closedDead()).isEqualTo(1);
        assertThat(totals.idle()).isZero();
    }

    @Test
    void anExclusivePoolIsRefused() {
        ConnectionPool<Socket> exclusive = repository.pool("exclusive", ConnectionAdapter.sockets(),
                PoolSettings.defaults(), TcpConnectionFactory.create());
        assertThatThrownBy(() -> new SharedRequestClient(exclusive, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be sharable");
    }

    @Test
    void aPoolThatCannotConnectIsRefused() {
        ConnectionPool<Socket> withoutFactory = repository.pool("no-factory", ConnectionAdapter.sockets(),
                PoolSettings.builder().sharable(true).build());
        assertThatThrownBy(() -> new SharedRequestClient(withoutFactory, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a connection factory");
    }
}
