package io.poolrepos;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The repository's one thread for warm-up connects, created for the first warm-up: a daemon thread
 * of its own, not the housekeeping thread, since a connect may block for its whole timeout and
 * housekeeping also keeps the coarse clock. Work handed in after {@link #shutdown} is dropped.
 * Thread-safe.
 */
final class WarmUpThread {

    private static final System.Logger LOG = System.getLogger(PoolRepository.class.getName());

    private final String threadName;
    private ScheduledExecutorService executor;
    private boolean shutDown;

    WarmUpThread(String threadName) {
        this.threadName = threadName;
    }

    /** Runs {@code work} on the warm-up thread after {@code delayNanos}; nothing once shut down. */
    void schedule(Runnable work, long delayNanos) {
        ScheduledExecutorService e = executor();
        if (e == null) {
            return;
        }
        try {
            e.schedule(() -> runSafely(work), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shutDownMeanwhile) {
            // The repository closed between our look and the hand-over: the work is not needed any more.
        }
    }

    /** Stops the thread, interrupting a connect under way. Idempotent. */
    synchronized void shutdown() {
        shutDown = true;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private synchronized ScheduledExecutorService executor() {
        if (shutDown) {
            return null;
        }
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
        }
        return executor;
    }

    private static void runSafely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException ex) {
            // Logged rather than lost in the executor's future; housekeeping schedules the next pass.
            LOG.log(Level.WARNING, "Pool warm-up failed; housekeeping will try again", ex);
        }
    }
}
