package io.poolrepos;

import java.util.concurrent.TimeUnit;

/**
 * The repository's two clocks. The precise one is the {@link Ticker}, for acquire deadlines and the
 * time a call took. The coarse one is the ticker as of the housekeeping thread's last tick: reading
 * the precise clock twice per get + add was the largest single cost of a round trip (a fifth of it
 * in profiles), and expiry checks and idle stamps need only coarse time. Without a housekeeping
 * thread both read the ticker. Thread-safe.
 */
final class Clock {

    /** How often the housekeeping thread advances the coarse clock. */
    static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Ticker ticker;
    private final boolean ticked;
    private volatile long coarseNanos;

    /** @param ticked whether a thread calls {@link #tick} every {@link #RESOLUTION_NANOS} */
    Clock(Ticker ticker, boolean ticked) {
        this.ticker = ticker;
        this.ticked = ticked;
        this.coarseNanos = ticker.nanoTime();
    }

    /** Time for expiry checks and idle stamps, exact to about {@link #RESOLUTION_NANOS}. */
    long now() {
        return ticked ? coarseNanos : ticker.nanoTime();
    }

    /** Time for deadlines and durations. */
    long preciseNow() {
        return ticker.nanoTime();
    }

    /** Advances the coarse clock; called by the housekeeping thread. */
    void tick() {
        coarseNanos = ticker.nanoTime();
    }
}
