package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A name's statistics (what the actuator endpoint and the meters show per name) count that name's
 * events, each in its own figure, and the pool's totals are the sum of its names. Dummy connections
 * and a manual clock: every figure below is known exactly.
 */
class NameStatisticsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final DefaultPoolRepository repository = (DefaultPoolRepository) PoolRepository.builder()
            .housekeepingPeriod(Duration.ZERO).ticker(ticker).build();

    @AfterEach
    void close() {
        repository.close();
    }

    @Test
    void eachEventOfANameIsCountedInItsOwnFigureAndTheTotalsAreTheSumOfTheNames() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean();
        ConnectionPool<Dummy> pool = repository.pool("stats", Dummy.ADAPTER, PoolSettings.builder()
                .maxIdlePerName(2).maxOpenPerName(3).idleTimeout(Duration.ofSeconds(10))
                .maxLifetime(Duration.ofSeconds(60)).leakDetectionThreshold(Duration.ofSeconds(30)).build(),
                name -> {
                    if (refuse.get()) {
                        throw new IOException("refused");
                    }
                    return new Dummy();
                });
        Dummy a = new Dummy();
        Dummy b = new Dummy();
        pool.add("n", a);
        pool.add("n", b);
        assertThat(pool.add("n", new Dummy())).as("both places idle").isEqualTo(AddResult.CLOSED_OVERFLOW);
        assertThatThrownBy(() -> pool.add("n", a)).isInstanceOf(ConnectionRejectedException.class);
        assertThat(pool.get("n")).containsSame(b);
        NameStatistics n = pool.statistics("n").orElseThrow();
        assertThat(n.inUse()).isEqualTo(1);
        assertThat(n.idle()).isEqualTo(1);
        pool.discard("n", b);
        Dummy dead = new Dummy();
        dead.alive = false;
        assertThat(pool.add("n", dead)).isEqualTo(AddResult.CLOSED_DEAD);
        assertThat(pool.get("n")).containsSame(a);
        assertThat(pool.get("n")).as("nothing idle").isEmpty();
        Dummy created = pool.acquire("n");
        refuse.set(true);
        assertThatThrownBy(() -> pool.acquire("n")).isInstanceOf(ConnectFailedException.class);
        pool.add("n", created);
        pool.add("n", a);

        ticker.advance(Duration.ofSeconds(11));
        assertThat(pool.get("n")).as("both idle too long").isEmpty();

        Dummy f = new Dummy();
        pool.add("n", f);
        assertThat(pool.get("n")).containsSame(f);
        ticker.advance(Duration.ofSeconds(31));
        repository.housekeep(); // f on loan for 31 s; "n" holds it, so housekeeping keeps the name
        ticker.advance(Duration.ofSeconds(30));
        assertThat(pool.add("n", f)).as("61 s old").isEqualTo(AddResult.CLOSED_EXPIRED);

        // Another name's events must not show in "n"'s figures.
        Dummy g = new Dummy();
        pool.add("m", g);
        assertThat(pool.get("m")).containsSame(g);
        assertThat(pool.get("m")).isEmpty();

        Counts nameN = counts(0, 0, 0, 0, 0, 5, 5, 1, 3, 4, 0, 1, 2, 1, 1, 1, 1, 1, 0, 1, 0);
        Counts nameM = counts(0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(n.snapshot()).isEqualTo(nameN);
        assertThat(pool.statistics("m").orElseThrow().snapshot()).isEqualTo(nameM);
        assertThat(pool.totals().snapshot()).as("totals").isEqualTo(sum(nameN, nameM));
        assertThat(pool.snapshot().totals()).as("the endpoint's snapshot").isEqualTo(sum(nameN, nameM));
        BackendFaultTest.assertBooksBalance(pool);
        assertThat(repository.trackedCount()).as("the repository's index holds the open connections only: g")
                .isEqualTo(1);
    }

    @Test
    void waitersAndAcquireTimeoutsOfEachNameAddUpInTheSnapshotsTotals() throws Exception {
        ConnectionPool<Dummy> timingOut = repository.pool("timing-out", Dummy.ADAPTER, PoolSettings.builder()
                .maxOpenPerName(1).acquireTimeout(Duration.ZERO).build(), name -> new Dummy());
        for (String name : new String[] {"t", "u"}) {
            timingOut.acquire(name);
            assertThatThrownBy(() -> timingOut.acquire(name)).isInstanceOf(AcquireTimeoutException.class);
        }
        assertThat(timingOut.snapshot().totals().acquireTimeouts()).isEqualTo(2);

        ConnectionPool<Dummy> waitedFor = repository.pool("waited-for", Dummy.ADAPTER, PoolSettings.builder()
                .maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(30)).build(), name -> new Dummy());
        Dummy held = waitedFor.acquire("w");
        AtomicReference<Dummy> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> got.set(waitedFor.acquire("w")));
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> waitedFor.totals().waiting() == 1);

        assertThat(waitedFor.snapshot().totals().waiting()).isEqualTo(1);
        waitedFor.add("w", held);
        waiter.join(5_000);
        assertThat(got.get()).isSameAs(held);
    }

    @Test
    void readingTheFiguresNeverKeepsHousekeepingFromRemovingANameNorDoesARemovalKeepReadersOut() throws Exception {
        ConnectionPool<Dummy> pool = repository.pool("reads", Dummy.ADAPTER, PoolSettings.defaults());
        Dummy h = new Dummy();
        pool.add("n", h);
        pool.discard("n", pool.get("n").orElseThrow()); // "n" holds nothing now

        // The snapshot and the totals take the read side of the lock that a name's removal writes
        // under; one left held would stop the removal below for ever.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            pool.snapshot();
            pool.totals().getHits();
            repository.housekeep();
        });

        assertThat(pool.statistics("n")).as("removed").isEmpty();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            assertThat(reader.submit(() -> pool.snapshot().totals().discarded()).get(10, TimeUnit.SECONDS))
                    .as("read on another thread after the removal").isEqualTo(1);
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void sharesAndSharedConnectionsAreCountedPerName() {
        ConnectionPool<Dummy> pool = repository.pool("shared", Dummy.ADAPTER,
                PoolSettings.builder().sharable(true).build());
        pool.add("n", new Dummy());
        pool.add("m", new Dummy());
        NameStatistics n = pool.statistics("n").orElseThrow();

        try (SharedLease<Dummy> first = pool.share("n").orElseThrow();
                SharedLease<Dummy> second = pool.share("n").orElseThrow()) {
            assertThat(n.sharedConnections()).isEqualTo(1);
            assertThat(n.activeShares()).isEqualTo(2);
            assertThat(n.idle()).as("a shared connection stays idle").isEqualTo(1);
            assertThat(n.inUse()).isZero();
        }
        assertThat(n.shares()).isEqualTo(2);
        assertThat(n.activeShares()).isZero();
        assertThat(pool.statistics("m").orElseThrow().shares()).isZero();
        assertThat(pool.totals().shares()).isEqualTo(2);
        try (SharedLease<Dummy> lease = pool.share("n").orElseThrow()) {
            Counts totals = pool.snapshot().totals();
            assertThat(totals.sharedConnections()).isEqualTo(1);
            assertThat(totals.activeShares()).isEqualTo(1);
            assertThat(totals.shares()).isEqualTo(3);
            assertThat(totals.idle()).isEqualTo(2);
        }
    }

    private static Counts sum(Counts x, Counts y) {
        long[] counts = new long[Counter.values().length];
        for (Counter counter : Counter.values()) {
            counts[counter.ordinal()] = x.count(counter) + y.count(counter);
        }
        return new Counts(x.idle() + y.idle(), x.inUse() + y.inUse(), x.sharedConnections() + y.sharedConnections(),
                x.activeShares() + y.activeShares(), x.waiting() + y.waiting(), counts);
    }

    /**
     * The five state figures (idle, inUse, sharedConnections, activeShares, waiting), then the counts
     * in {@link Counter}'s order (added, adopted, created, getHits, getMisses, shares, closedDead,
     * evictedIdle, evictedLifetime, overflowed, discarded, rejected, leaks, acquireTimeouts,
     * connectFailures, fastFailures).
     */
    private static Counts counts(int idle, int inUse, int shared, int activeShares, int waiting, long... counts) {
        assertThat(counts).hasSize(Counter.values().length);
        return new Counts(idle, inUse, shared, activeShares, waiting, counts);
    }
}
