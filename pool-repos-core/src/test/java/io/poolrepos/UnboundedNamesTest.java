package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.testing.ProcessResources;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * 100,000 distinct names from untrusted input: the max-names guard bounds what the pool keeps, and
 * look-ups of unknown names allocate nothing that stays.
 */
class UnboundedNamesTest {

    /** A cheap connection type: the guard is about names, not sockets, and 100,000 sockets would exhaust fds. */
    static final class Handle {
        volatile boolean open = true;
    }

    @Test
    void hundredThousandDistinctNamesCannotGrowThePoolBeyondTheGuard() {
        long heapBefore = ProcessResources.heapAfterGc();
        DefaultPoolRepository repository = (DefaultPoolRepository) PoolRepository.builder()
                .housekeepingPeriod(Duration.ZERO).build();
        try (repository) {
            ConnectionPool<Handle> pool = repository.pool("untrusted",
                    ConnectionAdapter.of(Handle.class, h -> h.open, h -> h.open = false),
                    PoolSettings.builder().maxNames(1_000).build());
            int refused = 0;
            for (int i = 0; i < 100_000; i++) {
                String name = "client-" + i + ".example:443";
                assertThat(pool.get(name)).isEmpty();
                Handle h = new Handle();
                try {
                    pool.add(name, h);
                } catch (NameLimitExceededException e) {
                    refused++;
                    assertThat(h.open).as("caller keeps a refused connection").isTrue();
                }
                if (i % 10_000 == 9_999) {
                    // What a busy application does: connections come and go, empty names are reclaimed.
                    pool.drainAll();
                    repository.housekeep();
                }
            }

            assertThat(pool.names().size()).isLessThanOrEqualTo(1_000);
            assertThat(refused).isPositive();
            assertThat(pool.totals().adopted()).isEqualTo(100_000 - refused);
            assertThat(pool.totals().getMisses()).isEqualTo(100_000);
            long heapAfter = ProcessResources.heapAfterGc();
            System.out.printf("names: refused %d of 100000, heap after GC %,d -> %,d bytes%n", refused, heapBefore,
                    heapAfter);
            assertThat(heapAfter - heapBefore).as("memory held stays bounded").isLessThan(8L * 1024 * 1024);
        }
    }
}
