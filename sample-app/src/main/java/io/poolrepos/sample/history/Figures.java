package io.poolrepos.sample.history;

import io.poolrepos.Counter;
import io.poolrepos.Statistics;
import java.util.List;

/**
 * The figures a sample keeps of a pool or of one name, as one {@code long[]} in a fixed order: the
 * state figures, every {@link Counter} (cumulative, as the pool counts them), then the acquire timer's
 * count, total time and maximum. Arrays made here are never changed afterwards. Stateless.
 */
final class Figures {

    /** State figures, read as they are: a chart shows them as they were at each sample. */
    static final List<String> GAUGES = List.of("idle", "inUse", "sharedConnections", "activeShares", "waiting");

    private static final Counter[] COUNTERS = Counter.values();

    static final int FIRST_COUNTER = GAUGES.size();
    /** Calls of {@code acquire} the timer recorded, cumulative. */
    static final int ACQUIRES = FIRST_COUNTER + COUNTERS.length;
    /** Their total time in nanoseconds, cumulative. */
    static final int ACQUIRE_NANOS = ACQUIRES + 1;
    /** The timer's maximum in nanoseconds: Micrometer's decaying maximum over its recent window. */
    static final int ACQUIRE_MAX_NANOS = ACQUIRES + 2;
    static final int SIZE = ACQUIRES + 3;

    private Figures() {
    }

    /** The figures of {@code s}, with the acquire timer's {@code times} ({count, totalNanos, maxNanos}). */
    static long[] of(Statistics s, long[] times) {
        long[] figures = new long[SIZE];
        figures[0] = s.idle();
        figures[1] = s.inUse();
        figures[2] = s.sharedConnections();
        figures[3] = s.activeShares();
        figures[4] = s.waiting();
        for (Counter counter : COUNTERS) {
            figures[FIRST_COUNTER + counter.ordinal()] = s.count(counter);
        }
        figures[ACQUIRES] = times[0];
        figures[ACQUIRE_NANOS] = times[1];
        figures[ACQUIRE_MAX_NANOS] = times[2];
        return figures;
    }

    /** The counters in their order in the array, from {@link #FIRST_COUNTER} on. */
    static Counter[] counters() {
        return COUNTERS.clone();
    }
}
