package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Housekeeping removes a name the moment it holds nothing, and moves its counts into the pool's: a
 * count that lands on the name after that move must not be lost, and the pool's totals must not dip
 * while it happens. Each test runs one thread doing the counted thing on names that empty themselves
 * every round and a second thread running housekeeping passes back to back, so names are removed
 * and created again all the time.
 */
class NameRemovalCountsTest {

    /** Enough rounds that the old code lost counts in every run (closes: 14 to 41 in 200,000 rounds). */
    private static final int ROUNDS = 500_000;

    private final DefaultPoolRepository repository = (DefaultPoolRepository) PoolRepository.builder()
            .housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
    }

    /** A connection the pool can tell dead or alive by a flag of its own. */
    static final class Handle {
        volatile boolean alive;

        Handle(boolean alive) {
            this.alive = alive;
        }
    }

    private ConnectionPool<Handle> pool(String poolName) {
        return repository.pool(poolName, ConnectionAdapter.of(Handle.class, h -> h.alive, h -> h.alive = false),
                PoolSettings.defaults());
    }

    @Test
    void aConnectionClosedAsTheLastOfItsNameIsCountedThoughHousekeepingRemovesTheName() throws Exception {
        // Each add brings a dead connection: the pool adopts it and closes it at once, the last
        // connection of its name, so the name may go the instant the close has let go of it.
        ConnectionPool<Handle> pool = pool("last-close");
        whileHousekeepingRunsBackToBack(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                assertThat(pool.add("n", new Handle(false))).isEqualTo(AddResult.CLOSED_DEAD);
            }
        });

        Counts totals = pool.totals().snapshot();
        assertThat(totals.adopted()).as("adopted").isEqualTo(ROUNDS);
        assertThat(totals.closedDead()).as("closed as dead: %s", totals).isEqualTo(ROUNDS);
    }

    @Test
    void everyGetMissAndRejectionIsCountedThoughHousekeepingRemovesTheNameMeanwhile() throws Exception {
        // A get and a rejected discard on a name that has just emptied: they find its slot, count on
        // it, and housekeeping may remove it in between.
        ConnectionPool<Handle> pool = pool("misses");
        int rounds = ROUNDS / 10; // the old code lost about half of these misses
        whileHousekeepingRunsBackToBack(() -> {
            for (int i = 0; i < rounds; i++) {
                pool.add("n", new Handle(false));
                assertThat(pool.get("n")).isEmpty();
                assertThatThrownBy(() -> pool.discard("n", new Handle(true)))
                        .isInstanceOf(ConnectionRejectedException.class);
            }
        });

        Counts totals = pool.totals().snapshot();
        assertThat(totals.getMisses()).as("get misses: %s", totals).isEqualTo(rounds);
        assertThat(totals.closedDead()).as("closed as dead").isEqualTo(rounds);
        assertThat(totals.rejected()).as("rejections: %s", totals).isEqualTo(rounds);
    }

    @Test
    void thePoolsTotalsNeverGoDownWhileHousekeepingRemovesNames() throws Exception {
        // Names come and go: dead connections added under 20 names are closed at once, housekeeping
        // removes the emptied names and moves their counts into the pool's, and a third thread reads
        // the totals all along. A total read lower than the reading before is what a monitoring
        // system takes for a counter reset (and a rate as high as the whole count).
        ConnectionPool<Handle> pool = pool("churn");
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong readings = new AtomicLong();
        List<String> drops = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            Counts last = pool.totals().snapshot();
            while (!done.get() && drops.size() < 10) {
                Counts now = pool.totals().snapshot();
                if (now.adopted() < last.adopted() || now.closedDead() < last.closedDead()
                        || now.getMisses() < last.getMisses()) {
                    drops.add(last + " then " + now);
                }
                last = now;
                readings.incrementAndGet();
            }
        });
        reader.start();
        try {
            whileHousekeepingRunsBackToBack(() -> {
                for (int i = 0; i < ROUNDS / 5; i++) {
                    String name = "n" + i % 20;
                    pool.add(name, new Handle(false));
                    pool.get(name);
                }
            });
        } finally {
            done.set(true);
            reader.join(10_000);
        }

        assertThat(readings.get()).as("readings").isPositive();
        assertThat(drops).as("totals lower than the reading before").isEmpty();
        Counts totals = pool.totals().snapshot();
        assertThat(totals.adopted()).isEqualTo(ROUNDS / 5);
        assertThat(totals.closedDead()).isEqualTo(ROUNDS / 5);
        assertThat(totals.getMisses()).isEqualTo(ROUNDS / 5);
    }

    /** Runs {@code work} on this thread while another thread runs housekeeping passes until it ends. */
    private void whileHousekeepingRunsBackToBack(Runnable work) throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong passes = new AtomicLong();
        Thread housekeeper = new Thread(() -> {
            while (!done.get()) {
                repository.housekeep();
                passes.incrementAndGet();
            }
        });
        housekeeper.start();
        try {
            work.run();
        } finally {
            done.set(true);
            housekeeper.join(10_000);
        }
        assertThat(housekeeper.isAlive()).as("housekeeping thread stuck").isFalse();
        assertThat(passes.get()).as("housekeeping passes").isPositive();
    }
}
