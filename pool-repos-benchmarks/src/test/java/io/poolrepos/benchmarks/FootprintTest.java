package io.poolrepos.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The memory goal (under 100 bytes of pool overhead per idle connection) and the cost of a
 * name, measured with JOL the way BENCHMARKS.md reports them, so that a field added to the
 * per-connection record or a per-name object created for every name fails the build, not a later
 * benchmark run. Sizes, not timings: the same on every run of one JVM (compressed oops, 8-byte
 * alignment, as on the machines this is built on).
 */
class FootprintTest {

    @Test
    void oursSpendsUnderOneHundredBytesPerIdleConnectionAndUnderTwoHundredFortyPerName() {
        Footprint.Cost cost = Footprint.measure(Impl.OURS);

        assertThat(cost.perConnection()).as("bytes per idle connection").isLessThan(100.0);
        // The slot (96 B), its places (48 B), the map's node and the adopted/created counters (48 B).
        // Every name has those two counters, so they have an array of their own: in the array of rare
        // events (152 B, created only by a rare event) they would make every name pay for it.
        assertThat(cost.perName()).as("bytes per name").isLessThan(240.0);
    }
}
