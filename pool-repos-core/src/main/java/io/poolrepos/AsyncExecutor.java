package io.poolrepos;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a repository runs the asynchronous calls of its pools ({@code acquireAsync}, {@code shareAsync}):
 * the executor given to {@link PoolRepository.Builder#executor}, or else its own, created on the first
 * such call, of daemon threads named {@code pool-repos-async-<repository>-<n>}, which
 * {@link #shutdown()} stops when the repository closes (an executor given is the caller's to stop).
 * Thread-safe.
 */
final class AsyncExecutor implements Executor {

    private final Executor given;
    private final String threadPrefix;
    private final AtomicInteger threads = new AtomicInteger();
    private volatile ExecutorService own;

    /** @param given the caller's executor, or null for the repository's own */
    AsyncExecutor(Executor given, int repository) {
        this.given = given;
        this.threadPrefix = "pool-repos-async-" + repository + "-";
    }

    @Override
    public void execute(Runnable task) {
        (given != null ? given : own()).execute(task);
    }

    private ExecutorService own() {
        ExecutorService e = own;
        if (e == null) {
            synchronized (this) {
                e = own;
                if (e == null) {
                    e = Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, threadPrefix + threads.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    own = e;
                }
            }
        }
        return e;
    }

    /** Stops the repository's own executor, if it made one; the calls it runs end as the pools close. */
    void shutdown() {
        ExecutorService e;
        synchronized (this) {
            e = own;
        }
        if (e != null) {
            e.shutdown();
        }
    }
}
