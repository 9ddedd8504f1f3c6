package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A {@link Counts} is a value: equal by its figures, and it names every figure when printed. */
class CountsTest {

    @Test
    void twoCopiesOfTheSameFiguresAreEqualAndAnyDifferentFigureMakesThemDiffer() {
        Counts a = counts(1, 2, 3, 4, 5, 100);
        assertThat(a).isEqualTo(counts(1, 2, 3, 4, 5, 100)).hasSameHashCodeAs(counts(1, 2, 3, 4, 5, 100));
        assertThat(a).isNotEqualTo(counts(0, 2, 3, 4, 5, 100)).isNotEqualTo(counts(1, 0, 3, 4, 5, 100))
                .isNotEqualTo(counts(1, 2, 0, 4, 5, 100)).isNotEqualTo(counts(1, 2, 3, 0, 5, 100))
                .isNotEqualTo(counts(1, 2, 3, 4, 0, 100)).isNotEqualTo(counts(1, 2, 3, 4, 5, 101))
                .isNotEqualTo("not counts");
        assertThat(a.hashCode()).isNotEqualTo(counts(1, 2, 3, 4, 5, 101).hashCode());
        assertThat(a.snapshot()).isSameAs(a);
    }

    @Test
    void eachCounterIsReadBackFromItsOwnPlaceAndPrintedUnderItsKey() {
        Counts c = counts(1, 2, 3, 4, 5, 100);
        for (Counter counter : Counter.values()) {
            assertThat(c.count(counter)).as(counter.name()).isEqualTo(100 + counter.ordinal());
        }
        assertThat(c.getHits()).isEqualTo(100 + Counter.GET_HITS.ordinal());
        assertThat(c.toString()).startsWith("Counts[idle=1, inUse=2, sharedConnections=3, activeShares=4, waiting=5")
                .contains("getHits=" + (100 + Counter.GET_HITS.ordinal()))
                .contains("connectFailures=" + (100 + Counter.CONNECT_FAILURES.ordinal()));
    }

    @Test
    void aCountersKeyIsItsNameInLowerCamelCase() {
        assertThat(Counter.GET_HITS.key()).isEqualTo("getHits");
        assertThat(Counter.ADDED.key()).isEqualTo("added");
        assertThat(Counter.EVICTED_LIFETIME.key()).isEqualTo("evictedLifetime");
        assertThat(Counter.all()).containsExactly(Counter.values());
    }

    @Test
    void aSnapshotOfALivePoolIsAnEqualCopyUntilThePoolChanges() {
        try (PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build()) {
            ConnectionPool<Dummy> pool = repository.pool("p", Dummy.ADAPTER, PoolSettings.defaults());
            pool.add("n", new Dummy());
            Counts before = pool.totals().snapshot();
            assertThat(pool.totals().snapshot()).isEqualTo(before);
            pool.get("n");
            assertThat(pool.totals().snapshot()).isNotEqualTo(before);
        }
    }

    /** The five state figures, then counts numbered from {@code first} in {@link Counter}'s order. */
    private static Counts counts(int idle, int inUse, int shared, int leases, int waiting, long first) {
        long[] counts = new long[Counter.values().length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = first + i;
        }
        return new Counts(idle, inUse, shared, leases, waiting, counts);
    }
}
