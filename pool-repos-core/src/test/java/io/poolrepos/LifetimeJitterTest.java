package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connections made together do not all expire together: each one's lifetime is up to 2.5 % shorter. */
class LifetimeJitterTest {

    @Test
    void connectionsMadeTogetherExpireOverTheLast2Point5PercentOfTheLifetime() {
        ManualTicker ticker = new ManualTicker();
        try (PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).ticker(ticker)
                .build()) {
            ConnectionPool<Dummy> pool = repository.pool("jitter", Dummy.ADAPTER, PoolSettings.builder()
                    .maxLifetime(Duration.ofSeconds(40)).idleTimeout(Duration.ZERO).build());
            int connections = 1_000;
            for (int i = 0; i < connections; i++) {
                pool.add("n" + i, new Dummy());
            }
            // The spread is 1 s (2.5 % of 40 s): none expires before 39 s, every one by 40 s.
            long[] expiredBy = new long[5];
            Duration[] at = {Duration.ofMillis(38_990), Duration.ofMillis(39_250), Duration.ofMillis(39_500),
                Duration.ofMillis(39_750), Duration.ofSeconds(40)};
            Duration now = Duration.ZERO;
            for (int i = 0; i < at.length; i++) {
                ticker.advance(at[i].minus(now));
                now = at[i];
                ((DefaultPoolRepository) repository).housekeep();
                expiredBy[i] = pool.totals().evictedLifetime();
            }
            System.out.printf("lifetime jitter: expired by 38.99 s, 39.25 s, 39.5 s, 39.75 s, 40 s: %s%n",
                    java.util.Arrays.toString(expiredBy));
            assertThat(expiredBy[0]).as("before the spread").isZero();
            for (int i = 1; i < 4; i++) {
                // Uniform over the spread: a quarter per step, far from 0 and from all of them.
                assertThat(expiredBy[i] - expiredBy[i - 1]).as("step %d", i).isBetween(150L, 350L);
            }
            assertThat(expiredBy[4]).as("at the max lifetime").isEqualTo(connections);
        }
    }
}
