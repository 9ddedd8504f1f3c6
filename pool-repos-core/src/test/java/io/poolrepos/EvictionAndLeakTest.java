package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.testing.EchoServer;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Idle timeout, max lifetime and leak detection, driven by a manual clock: no sleeping. */
class EvictionAndLeakTest {

    private final EchoServer server = EchoServer.start();
    private final ManualTicker ticker = new ManualTicker();
    private final DefaultPoolRepository repository = (DefaultPoolRepository) PoolRepository.builder()
            .housekeepingPeriod(Duration.ZERO).ticker(ticker).build();
    private final List<Socket> opened = new ArrayList<>();

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    private Socket socket() {
        Socket s = server.connect();
        opened.add(s);
        return s;
    }

    private ConnectionPool<Socket> pool(PoolSettings settings) {
        return repository.pool("evict", ConnectionAdapter.sockets(), settings);
    }

    @Test
    void connectionIdleTooLongIsEvictedOnGet() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().idleTimeout(Duration.ofSeconds(10)).build());
        Socket s = socket();
        pool.add(server.name(), s);

        ticker.advance(Duration.ofSeconds(11));

        assertThat(pool.get(server.name())).isEmpty();
        assertThat(s.isClosed()).isTrue();
        assertThat(pool.totals().evictedIdle()).isEqualTo(1);
    }

    @Test
    void connectionIdleTooLongIsClosedByShareInsteadOfGettingASharer() {
        // The first sharer checks an unshared connection before joining it: nobody may join an
        // expired one, not even for a moment.
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true)
                .idleTimeout(Duration.ofSeconds(10)).build());
        Socket stale = socket();
        pool.add(server.name(), stale);
        ticker.advance(Duration.ofSeconds(11));
        Socket fresh = socket();
        pool.add(server.name(), fresh);

        try (SharedLease<Socket> lease = pool.share(server.name()).orElseThrow()) {
            assertThat(lease.connection()).isSameAs(fresh);
        }
        ticker.advance(Duration.ofSeconds(11));

        assertThat(pool.share(server.name())).as("both idle too long now").isEmpty();
        assertThat(List.of(stale, fresh)).allMatch(Socket::isClosed);
        assertThat(pool.totals().evictedIdle()).isEqualTo(2);
        assertThat(pool.totals().shares()).isEqualTo(1);
    }

    @Test
    void connectionIdleLessThanTheTimeoutIsKept() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().idleTimeout(Duration.ofSeconds(10)).build());
        Socket s = socket();
        pool.add(server.name(), s);

        ticker.advance(Duration.ofSeconds(9));
        repository.housekeep();

        assertThat(pool.get(server.name())).containsSame(s);
    }

    @Test
    void idleTimeCountsFromTheGiveBackNotFromTheTake() {
        // Held for a minute, given back to the place it kept: idle for 5 s, not for 65 s.
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().idleTimeout(Duration.ofSeconds(10)).build());
        Socket s = socket();
        pool.add(server.name(), s);
        pool.get(server.name()).orElseThrow();

        ticker.advance(Duration.ofSeconds(60));
        assertThat(pool.add(server.name(), s)).isEqualTo(AddResult.POOLED);
        ticker.advance(Duration.ofSeconds(5));

        assertThat(pool.get(server.name())).containsSame(s);
        assertThat(pool.totals().evictedIdle()).isZero();
    }

    @Test
    void idleTimeCountsFromTheGiveBackOfAConnectionThatLostItsPlaceToo() {
        // One place: y takes the place of x while x is on loan, so x's give-back looks for a place
        // anew (it takes y's, y being on loan by then). Its idle time starts there all the same.
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxIdlePerName(1)
                .idleTimeout(Duration.ofSeconds(10)).build());
        Socket x = socket();
        pool.add(server.name(), x);
        pool.get(server.name()).orElseThrow();
        ticker.advance(Duration.ofSeconds(60));
        Socket y = socket();
        assertThat(pool.add(server.name(), y)).isEqualTo(AddResult.POOLED);
        assertThat(pool.get(server.name())).containsSame(y);

        assertThat(pool.add(server.name(), x)).isEqualTo(AddResult.POOLED);
        ticker.advance(Duration.ofSeconds(5));

        assertThat(pool.get(server.name())).containsSame(x);
        assertThat(pool.totals().evictedIdle()).isZero();
    }

    @Test
    void aConnectionIdleForExactlyTheIdleTimeoutIsEvicted() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().idleTimeout(Duration.ofSeconds(10)).build());
        Socket s = socket();
        pool.add(server.name(), s);

        ticker.advance(Duration.ofSeconds(10));

        assertThat(pool.get(server.name())).isEmpty();
        assertThat(pool.totals().evictedIdle()).isEqualTo(1);
    }

    @Test
    void housekeepingEvictsIdleConnectionsWithoutAnyCall() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().idleTimeout(Duration.ofSeconds(10)).build());
        Socket s = socket();
        pool.add(server.name(), s);

        ticker.advance(Duration.ofSeconds(11));
        repository.housekeep();

        assertThat(s.isClosed()).isTrue();
        assertThat(pool.totals().evictedIdle()).isEqualTo(1);
        assertThat(pool.totals().idle()).isZero();
    }

    @Test
    void connectionPastItsLifetimeIsEvictedOnGetAndClosedOnAdd() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().idleTimeout(Duration.ZERO)
                .maxLifetime(Duration.ofMinutes(1)).build());
        Socket idle = socket();
        Socket loaned = socket();
        pool.add(server.name(), idle);
        pool.add(server.name(), loaned);
        Socket taken = pool.get(server.name()).orElseThrow();
        Socket stays = taken == idle ? loaned : idle;

        ticker.advance(Duration.ofMinutes(2));

        assertThat(pool.get(server.name())).isEmpty();
        assertThat(stays.isClosed()).isTrue();
        assertThat(pool.add(server.name(), taken)).isEqualTo(AddResult.CLOSED_EXPIRED);
        assertThat(taken.isClosed()).isTrue();
        assertThat(pool.totals().evictedLifetime()).isEqualTo(2);
    }

    @Test
    void aConnectionExactlyMaxLifetimeOldIsEvictedOnGetAndClosedOnAdd() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().idleTimeout(Duration.ZERO)
                .maxLifetime(Duration.ofMinutes(1)).build());
        Socket idle = socket();
        pool.add(server.name(), idle);
        Socket taken = socket();
        pool.add(server.name(), taken);
        assertThat(pool.get(server.name())).containsSame(taken);

        ticker.advance(Duration.ofMinutes(1));

        assertThat(pool.get(server.name())).isEmpty();
        assertThat(pool.add(server.name(), taken)).isEqualTo(AddResult.CLOSED_EXPIRED);
        assertThat(pool.totals().evictedLifetime()).isEqualTo(2);
    }

    @Test
    void sharedConnectionPastItsLifetimeIsClosedAfterItsLastSharer() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true)
                .maxLifetime(Duration.ofMinutes(1)).build());
        Socket s = socket();
        pool.add(server.name(), s);
        SharedLease<Socket> lease = pool.share(server.name()).orElseThrow();

        ticker.advance(Duration.ofMinutes(2));
        repository.housekeep();

        assertThat(s.isClosed()).as("still in use by a sharer").isFalse();
        assertThat(pool.share(server.name())).as("no new sharer").isEmpty();
        lease.close();
        assertThat(s.isClosed()).isTrue();
        assertThat(pool.totals().evictedLifetime()).isEqualTo(1);
    }

    @Test
    void sharedConnectionIsNotIdleWhileSharers() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true)
                .idleTimeout(Duration.ofSeconds(10)).build());
        Socket s = socket();
        pool.add(server.name(), s);
        SharedLease<Socket> lease = pool.share(server.name()).orElseThrow();

        ticker.advance(Duration.ofSeconds(20));
        repository.housekeep();

        assertThat(s.isClosed()).isFalse();
        lease.close();
        ticker.advance(Duration.ofSeconds(5));
        repository.housekeep();
        assertThat(s.isClosed()).as("idle for 5s since its last sharer left").isFalse();
        ticker.advance(Duration.ofSeconds(6));
        repository.housekeep();
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void leakIsReportedOnceWithTheStackOfTheCallerThatTookIt() {
        List<Throwable> traces = new CopyOnWriteArrayList<>();
        repository.addListener(new PoolListener() {
            @Override
            public void leakDetected(ConnectionPool<?> pool, String name, long loanedNanos, Throwable takenAt) {
                assertThat(loanedNanos).isGreaterThanOrEqualTo(Duration.ofSeconds(30).toNanos());
                traces.add(takenAt);
            }
        });
        ConnectionPool<Socket> pool = pool(PoolSettings.builder()
                .leakDetectionThreshold(Duration.ofSeconds(30)).build());
        pool.add(server.name(), socket());
        Socket taken = takeForTooLong(pool);

        ticker.advance(Duration.ofSeconds(29));
        repository.housekeep();
        assertThat(traces).isEmpty();
        ticker.advance(Duration.ofSeconds(2));
        repository.housekeep();
        repository.housekeep();

        assertThat(traces).hasSize(1);
        assertThat(traces.get(0).getStackTrace()).anyMatch(f -> f.getMethodName().equals("takeForTooLong"));
        assertThat(pool.totals().leaks()).isEqualTo(1);

        pool.add(server.name(), taken);
        pool.get(server.name());
        ticker.advance(Duration.ofSeconds(31));
        repository.housekeep();
        assertThat(pool.totals().leaks()).as("a new loan is watched anew").isEqualTo(2);
    }

    @Test
    void aLoanIsTimedFromItsTakeNotFromWhenTheConnectionBecameIdle() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder()
                .leakDetectionThreshold(Duration.ofSeconds(30)).build());
        pool.add(server.name(), socket());
        ticker.advance(Duration.ofMinutes(5)); // idle all that time
        takeForTooLong(pool);

        ticker.advance(Duration.ofSeconds(29));
        repository.housekeep();
        assertThat(pool.totals().leaks()).as("on loan for 29 s").isZero();
        ticker.advance(Duration.ofSeconds(2));
        repository.housekeep();
        assertThat(pool.totals().leaks()).isEqualTo(1);
    }

    @Test
    void aLoanOfExactlyTheLeakThresholdIsReportedWithItsLength() {
        List<Long> loans = new CopyOnWriteArrayList<>();
        repository.addListener(new PoolListener() {
            @Override
            public void leakDetected(ConnectionPool<?> pool, String name, long loanedNanos, Throwable takenAt) {
                loans.add(loanedNanos);
            }
        });
        ConnectionPool<Socket> pool = pool(PoolSettings.builder()
                .leakDetectionThreshold(Duration.ofSeconds(30)).build());
        pool.add(server.name(), socket());
        takeForTooLong(pool);

        ticker.advance(Duration.ofSeconds(30));
        repository.housekeep();

        assertThat(loans).containsExactly(Duration.ofSeconds(30).toNanos());
        assertThat(pool.totals().leaks()).isEqualTo(1);
    }

    @Test
    void noLeakIsReportedWhenDetectionIsOff() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        pool.add(server.name(), socket());
        pool.get(server.name());

        ticker.advance(Duration.ofDays(1));
        repository.housekeep();

        assertThat(pool.totals().leaks()).isZero();
    }

    private static Socket takeForTooLong(ConnectionPool<Socket> pool) {
        return pool.get(pool.names().get(0).name()).orElseThrow();
    }
}
