package io.poolrepos.sample.history;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the starter's acquire timer ({@code pool.repos.acquire}, tagged {@code pool}, {@code name} and
 * {@code outcome}) from a {@link MeterRegistry}: per name and per pool, the outcomes summed. Counts
 * and total times are cumulative in the registries this sample uses (Prometheus, simple); the maximum
 * is Micrometer's decaying maximum over its recent window ({@code management.metrics.distribution.expiry}
 * times {@code buffer-length}).
 * Thread-safe; holds no state of its own.
 */
final class AcquireTimes {

    static final String TIMER = "pool.repos.acquire";

    private final MeterRegistry registry;

    /** @param registry where the starter registers its meters, or null when there is none */
    AcquireTimes(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The times of one pool, by its tag (the masked pool name). */
    PoolTimes read(String poolTag) {
        long[] total = new long[3];
        Map<String, long[]> byName = new HashMap<>();
        if (registry != null) {
            for (Timer timer : registry.find(TIMER).tag("pool", poolTag).timers()) {
                String name = timer.getId().getTag("name");
                long count = timer.count();
                long nanos = (long) timer.totalTime(TimeUnit.NANOSECONDS);
                long max = (long) timer.max(TimeUnit.NANOSECONDS);
                add(total, count, nanos, max);
                if (name != null) {
                    add(byName.computeIfAbsent(name, n -> new long[3]), count, nanos, max);
                }
            }
        }
        return new PoolTimes(total, byName);
    }

    private static void add(long[] times, long count, long nanos, long max) {
        times[0] += count;
        times[1] += nanos;
        times[2] = Math.max(times[2], max);
    }

    /**
     * {count, totalNanos, maxNanos} of a pool and of each name tag; names folded into the starter's
     * {@code name="other"} have no times of their own.
     */
    record PoolTimes(long[] total, Map<String, long[]> byName) {

        long[] of(String nameTag) {
            return byName.getOrDefault(nameTag, new long[3]);
        }
    }
}
