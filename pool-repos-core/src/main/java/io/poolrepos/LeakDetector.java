package io.poolrepos;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Leak detection of one pool: where a loan was taken (kept only when detection is on), and the
 * report, once per loan, of a connection out on loan for the threshold or longer. Housekeeping runs
 * the check; without housekeeping no leak is reported. Thread-safe.
 */
final class LeakDetector {

    private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());

    private final ConnectionPool<?> pool;
    private final PoolEvents events;
    private final Duration threshold;
    private final long thresholdNanos;

    LeakDetector(ConnectionPool<?> pool, Duration threshold, PoolEvents events) {
        this.pool = pool;
        this.events = events;
        this.threshold = threshold;
        this.thresholdNanos = threshold.toNanos();
    }

    /** Where a loan of {@code name} is being taken, or null when detection is off (nothing to keep). */
    Throwable loanTrace(String name) {
        if (thresholdNanos <= 0) {
            return null;
        }
        return new Throwable("Connection of pool '" + NameMasking.mask(pool.poolName()) + "', name '" + NameMasking.mask(name)
                + "' taken here by thread " + Thread.currentThread().getName());
    }

    /**
     * Reports {@code e}, a record of {@code name}, once if it has been out on loan for the threshold or
     * longer: {@code count} first (the name's leak count), then the log line and the listeners.
     */
    void check(String name, PooledConnection<?> e, long now, Runnable count) {
        if (thresholdNanos <= 0) {
            return;
        }
        Throwable trace = e.loanTrace;
        if (trace == null || !PooledConnection.onLoan(e.state())) {
            return;
        }
        long out = now - e.stamp;
        if (out < thresholdNanos) {
            return;
        }
        if (!e.leakReported(trace)) {
            return; // given back, and perhaps lent again, since we read the trace
        }
        count.run();
        LOG.log(Level.WARNING, () -> "Possible connection leak: a connection of pool '" + NameMasking.mask(pool.poolName()) + "', name '"
                + NameMasking.mask(name) + "' has been out on loan for " + out / 1_000_000
                + "ms (leakDetectionThreshold " + threshold.toMillis() + "ms); give it back with add() or discard()",
                trace);
        events.leakDetected(pool, name, out, trace);
    }
}
