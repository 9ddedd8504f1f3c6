package io.poolrepos.sample.history;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's memory: samples the pools every {@code period} on a daemon thread of its own and
 * keeps the samples of the last {@code span} in a {@link HistoryRing}, so that a page opened now shows
 * the last minutes. Memory is bounded by span / period samples of at most {@code maxPools} pools of at
 * most {@code maxNamesPerPool} names each (about 250 bytes a pool or name per sample).
 *
 * <p>Thread-safe: the sampling thread adds, request threads read copies.
 */
public final class PoolHistory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PoolHistory.class);

    /** Most samples kept, whatever span and period say: 10 hours of one a second. */
    static final int MAX_SAMPLES = 36_000;

    private final PoolSampler sampler;
    private final Duration period;
    private final HistoryRing ring;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    PoolHistory(PoolSampler sampler, Duration period, Duration span) {
        if (period.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("sample.history.period must be at least 100ms, was " + period);
        }
        if (span.compareTo(period) < 0) {
            throw new IllegalArgumentException("sample.history.span (" + span + ") must be at least "
                    + "sample.history.period (" + period + ")");
        }
        long samples = span.toMillis() / period.toMillis();
        if (samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("sample.history.span / sample.history.period must be at most "
                    + MAX_SAMPLES + " samples, was " + samples + " (" + span + " / " + period
                    + "): shorten the span or lengthen the period");
        }
        this.sampler = sampler;
        this.period = period;
        this.ring = new HistoryRing((int) samples);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pool-history");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts sampling: one sample now, then one every period. */
    public void start() {
        executor.scheduleAtFixedRate(this::sampleNow, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes one sample now, on the calling thread. */
    void sampleNow() {
        try {
            ring.add(sampler.sample(System.currentTimeMillis()));
        } catch (RuntimeException ex) {
            // A sample that fails is a gap in the charts; the next one tries again. Logged once, not every second.
            if (failureLogged.compareAndSet(false, true)) {
                log.warn("Cannot sample the pools for the dashboard's history; further failures are not logged", ex);
            }
        }
    }

    /** The samples held now, oldest first. */
    List<Sample> samples() {
        return ring.samples();
    }

    Duration period() {
        return period;
    }

    /** How many samples the history holds at most. */
    int capacity() {
        return ring.capacity();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
