package io.poolrepos.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The oversubscribed scenario must drive every pool through acquires that wait, count them, and
 * report the waits it saw; its histogram must place a wait within its stated precision. No timing
 * asserted.
 */
class OversubscribedRunTest {

    @ParameterizedTest
    @ValueSource(strings = {"ours", "cp2-fair", "cp2-unfair"})
    void manyThreadsOnFewConnectionsAcquireGiveBackAndWait(String impl) throws Exception {
        OversubscribedRun.Scenario scenario = new OversubscribedRun.Scenario(8, false, 2);
        OversubscribedRun.Result r = OversubscribedRun.run(impl, scenario, 0, 1, TimeUnit.MICROSECONDS.toNanos(200));
        assertThat(r.acquires()).isPositive();
        assertThat(r.timeouts()).as("2 s timeouts with 4 threads per connection held 200 µs").isZero();
        assertThat(r.refused()).isZero();
        assertThat(r.meanHoldNanos()).isGreaterThanOrEqualTo(TimeUnit.MICROSECONDS.toNanos(200));
        assertThat(r.waits().percentile(99)).as("with 8 threads on 2 connections most acquires wait for a hold")
                .isGreaterThan(TimeUnit.MICROSECONDS.toNanos(100));
    }

    @Test
    void aPercentileIsTheUpperBoundOfItsBucketWithinOneSixteenth() {
        OversubscribedRun.Waits waits = new OversubscribedRun.Waits();
        for (long v = 1; v <= 1_000; v++) {
            waits.record(v * 1_000);
        }
        assertThat(waits.percentile(50)).isBetween(500_000L, 500_000L + 500_000L / 16);
        assertThat(waits.percentile(99)).isBetween(990_000L, 990_000L + 990_000L / 16);
        assertThat(waits.percentile(100)).isEqualTo(1_000_000L);
        assertThat(waits.max()).isEqualTo(1_000_000L);
    }

    @Test
    void withoutSamplesEveryPercentileIsZero() {
        assertThat(new OversubscribedRun.Waits().percentile(99.9)).isZero();
    }
}
