package io.poolrepos.sample.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.Counts;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.sample.backend.LineBackend;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExclusiveEchoClientTest {

    private LineBackend backend;
    private PoolRepository repository;
    private ConnectionPool<Socket> pool;
    private ExclusiveEchoClient client;

    @BeforeEach
    void start() throws Exception {
        backend = LineBackend.start(0, Duration.ofMillis(2));
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
        pool = repository.pool("echo", ConnectionAdapter.sockets(),
                PoolSettings.builder().maxIdlePerName(4).maxOpenPerName(4).build(),
                TcpConnectionFactory.builder().soTimeout(Duration.ofSeconds(5)).build());
        client = new ExclusiveEchoClient(pool);
    }

    @AfterEach
    void stop() {
        repository.close();
        backend.close();
    }

    @Test
    void sequentialCallsReuseOneConnectionAndCountOneGetPerCall() {
        for (int i = 0; i < 5; i++) {
            assertThat(client.echo(backend.name(), "call " + i)).isEqualTo("call " + i);
        }

        Counts totals = pool.totals().snapshot();
        assertThat(backend.connectionsAccepted()).isEqualTo(1);
        assertThat(totals.created()).isEqualTo(1);
        assertThat(totals.getMisses()).isEqualTo(1);
        assertThat(totals.getHits()).isEqualTo(4);
        assertThat(totals.getHits() + totals.created()).isEqualTo(client.acquires());
        assertThat(totals.idle()).isEqualTo(1);
        assertThat(totals.inUse()).isZero();
    }

    @Test
    void concurrentCallersEachGetTheirOwnReplyAndStayWithinTheCap() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String text = "c" + i;
                replies.add(callers.submit(() -> client.echo(backend.name(), text)));
            }
            for (int i = 0; i < 64; i++) {
                assertThat(replies.get(i).get()).isEqualTo("c" + i);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(backend.connectionsAccepted()).isBetween(1, 4);
        Counts totals = pool.totals().snapshot();
        assertThat(totals.inUse()).isZero();
        // Each acquire ends in exactly one hit or one new connection. (Misses can be more than the
        // acquires that connected: an acquire that waited counts its miss and then its hit.)
        assertThat(totals.getHits() + totals.created()).isEqualTo(64);
        assertThat(totals.getMisses()).isBetween(totals.created(), 64L);
    }

    @Test
    void aConnectionThatBrokeMidRequestIsDiscardedNotGivenBack() {
        assertThat(client.echo(backend.name(), "first")).isEqualTo("first");
        backend.close();

        assertThatThrownBy(() -> client.echo(backend.name(), "second"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("ECHO to " + backend.name() + " failed");

        Counts totals = pool.totals().snapshot();
        assertThat(totals.discarded()).isEqualTo(1);
        assertThat(totals.idle()).isZero();
        assertThat(totals.inUse()).isZero();
    }

    @Test
    void multiLineTextIsRefusedBeforeAnyConnectionIsTaken() {
        assertThatThrownBy(() -> client.echo(backend.name(), "two\nlines"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("single line");
        assertThat(client.acquires()).isZero();
        assertThat(backend.connectionsAccepted()).isZero();
    }
}
