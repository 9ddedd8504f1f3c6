package io.poolrepos.sample.history;

import java.util.Map;

/**
 * The pools as one sampling found them. Immutable: the maps are unmodifiable and the arrays (see
 * {@link Figures}) are never written after the sample is made.
 *
 * @param atMillis when the sample was taken (epoch milliseconds)
 * @param pools each sampled pool by its (masked) name, in the repository's order
 */
record Sample(long atMillis, Map<String, PoolSample> pools) {

    /**
     * One pool in a sample.
     *
     * @param health the pool's status from the {@code poolRepos} health indicator ({@code UP},
     *     {@code DOWN}), or null when the application has no such indicator
     * @param totals the pool's figures, all names included
     * @param names the figures of the names with a history, by masked name, sorted
     */
    record PoolSample(String health, long[] totals, Map<String, long[]> names) {
    }
}
