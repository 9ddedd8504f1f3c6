package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.testing.EchoServer;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void addGetShareAcquireRoundTrip() throws Exception {
        try (EchoServer server = EchoServer.start(); PoolRepository repo = PoolRepository.create()) {
            ConnectionPool<Socket> pool = repo.pool("p", ConnectionAdapter.sockets(),
                    PoolSettings.builder().sharable(true).build(), TcpConnectionFactory.create());
            Socket s = pool.acquire(server.name());
            EchoServer.roundTrip(s, "hello");
            assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.POOLED);
            try (SharedLease<Socket> lease = pool.share(server.name()).orElseThrow()) {
                assertThat(lease.connection()).isSameAs(s);
                assertThat(pool.get(server.name())).isEmpty();
            }
            assertThat(pool.get(server.name())).containsSame(s);
            assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.POOLED);
            Counts c = pool.totals().snapshot();
            assertThat(c.idle()).isEqualTo(1);
            assertThat(c.created()).isEqualTo(1);
            assertThat(c.shares()).isEqualTo(1);
        }
    }
}
