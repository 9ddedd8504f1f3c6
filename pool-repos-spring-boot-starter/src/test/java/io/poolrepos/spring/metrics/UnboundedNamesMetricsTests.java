package io.poolrepos.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;

import org.junit.jupiter.api.Test;

/**
 * 100,000 distinct names from untrusted input cannot blow up the meter registry: past
 * {@code max-names-per-pool} names fold into {@code name="other"} and the number of meters stops growing.
 */
class UnboundedNamesMetricsTests {

    /** A cheap connection: the cap is about names, and 100,000 sockets would exhaust file descriptors. */
    static final class Handle {
    }

    @Test
    void hundredThousandNamesShouldNotGrowTheRegistryBeyondTheCap() {
        try (PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ConnectionPool<Handle> pool = repository.pool("untrusted",
                    ConnectionAdapter.of(Handle.class, h -> true, h -> { }),
                    PoolSettings.builder().maxNames(200_000).build());
            new PoolReposMetrics(repository, 100).bindTo(registry);

            for (int i = 0; i < 200; i++) {
                pool.add("client-" + i + ".example:443", new Handle());
            }
            int metersAtTheCap = registry.getMeters().size();
            for (int i = 200; i < 100_000; i++) {
                pool.add("client-" + i + ".example:443", new Handle());
            }

            assertThat(pool.names()).hasSize(100_000);
            assertThat(registry.getMeters()).hasSize(metersAtTheCap);
            long namesTagged = registry.getMeters().stream().map(m -> m.getId().getTag("name")).distinct().count();
            assertThat(namesTagged).as("100 names, 'other' and the pool-level meters").isLessThanOrEqualTo(102);
            assertThat(registry.get("pool.repos.connections.idle").tag("name", "other").gauge().value())
                    .isEqualTo(100_000 - 100);
            registry.close();
        }
    }
}
