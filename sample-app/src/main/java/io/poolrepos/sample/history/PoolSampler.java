package io.poolrepos.sample.history;

import io.poolrepos.ConnectionPool;
import io.poolrepos.NameMasking;
import io.poolrepos.NameStatistics;
import io.poolrepos.PoolRepository;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Takes one {@link Sample} of a repository's pools: each pool's totals and up to
 * {@code maxNamesPerPool} of its names, the acquire timer's figures beside each, and each pool's
 * health. At most {@code maxPools} pools, in the repository's order. A name that had a history in the
 * previous sample keeps it while it exists, so that a chart a person is looking at is not taken over
 * by a newcomer; free places go to the other names in name order. Names are masked; of two names
 * that mask alike the first in name order is kept.
 *
 * <p>Thread-safe: {@link #sample} is synchronized (one thread samples; the lock is for the odd test).
 */
final class PoolSampler {

    private final PoolRepository repository;
    private final AcquireTimes times;
    private final Supplier<Map<String, String>> health;
    private final int maxNamesPerPool;
    private final int maxPools;
    /** Names with a history in the previous sample, by pool. */
    private final Map<String, Set<String>> tracked = new HashMap<>();

    /**
     * @param health each pool's status by masked pool name; an empty map when unknown
     */
    PoolSampler(PoolRepository repository, AcquireTimes times, Supplier<Map<String, String>> health,
            int maxNamesPerPool, int maxPools) {
        if (maxNamesPerPool < 0 || maxNamesPerPool > 1_000) {
            throw new IllegalArgumentException("sample.history.max-names-per-pool must be from 0 to 1000, was "
                    + maxNamesPerPool);
        }
        if (maxPools < 1 || maxPools > 100) {
            throw new IllegalArgumentException("sample.history.max-pools must be from 1 to 100, was " + maxPools);
        }
        this.repository = repository;
        this.times = times;
        this.health = health;
        this.maxNamesPerPool = maxNamesPerPool;
        this.maxPools = maxPools;
    }

    synchronized Sample sample(long nowMillis) {
        Map<String, String> statuses = health.get();
        Map<String, Sample.PoolSample> pools = new LinkedHashMap<>();
        for (ConnectionPool<?> pool : repository.pools()) {
            if (pools.size() == maxPools) {
                break;
            }
            String poolTag = NameMasking.mask(pool.poolName());
            if (pools.containsKey(poolTag)) {
                continue;
            }
            AcquireTimes.PoolTimes poolTimes = times.read(poolTag);
            long[] totals = Figures.of(pool.totals().snapshot(), poolTimes.total());
            pools.put(poolTag, new Sample.PoolSample(statuses.get(poolTag), totals, names(pool, poolTag, poolTimes)));
        }
        tracked.keySet().retainAll(pools.keySet());
        return new Sample(nowMillis, Collections.unmodifiableMap(pools));
    }

    private Map<String, long[]> names(ConnectionPool<?> pool, String poolTag, AcquireTimes.PoolTimes poolTimes) {
        TreeMap<String, NameStatistics> present = new TreeMap<>();
        for (NameStatistics name : pool.names()) {
            present.putIfAbsent(NameMasking.mask(name.name()), name);
        }
        Set<String> before = tracked.getOrDefault(poolTag, Set.of());
        List<String> chosen = new ArrayList<>(Math.min(maxNamesPerPool, present.size()));
        for (String tag : present.keySet()) {
            if (chosen.size() < maxNamesPerPool && before.contains(tag)) {
                chosen.add(tag);
            }
        }
        for (String tag : present.keySet()) {
            if (chosen.size() < maxNamesPerPool && !before.contains(tag)) {
                chosen.add(tag);
            }
        }
        Map<String, long[]> names = new TreeMap<>();
        for (String tag : chosen) {
            names.put(tag, Figures.of(present.get(tag).snapshot(), poolTimes.of(tag)));
        }
        tracked.put(poolTag, Set.copyOf(names.keySet()));
        return Collections.unmodifiableMap(names);
    }
}
