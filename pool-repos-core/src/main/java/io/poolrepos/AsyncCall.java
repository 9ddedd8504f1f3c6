package io.poolrepos;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One asynchronous {@code acquire} or {@code share}: a future completed by a task that runs the
 * blocking call on the repository's {@link AsyncExecutor}, with the deadline counted from when the
 * future was made. Cancelling the future interrupts the task while it waits, so it leaves the wait
 * room; whatever the call obtains for a future that was cancelled or is otherwise done meanwhile goes
 * back to the pool ({@code giveBack}), so no connection is lost. Thread-safe.
 *
 * @param <T> what the call obtains: a connection, or a lease
 */
final class AsyncCall<T> extends CompletableFuture<T> implements Runnable {

    /** The blocking call, given the timeout and the start of the wait. */
    interface Blocking<T> {
        T call(Duration timeout, long start);
    }

    private final Blocking<T> call;
    private final Consumer<T> giveBack;
    private final Duration timeout;
    private final long start;
    /** The thread running the call, while it runs; guarded by {@code this}. */
    private Thread runner;

    private AsyncCall(Blocking<T> call, Consumer<T> giveBack, Duration timeout, long start) {
        this.call = call;
        this.giveBack = giveBack;
        this.timeout = timeout;
        this.start = start;
    }

    /** A future for {@code call}, whose task is handed to {@code executor} now. */
    static <T> CompletableFuture<T> start(AsyncExecutor executor, Clock clock, Duration timeout, Blocking<T> call,
            Consumer<T> giveBack) {
        AsyncCall<T> future = new AsyncCall<>(call, giveBack, timeout, clock.preciseNow());
        try {
            executor.execute(future);
        } catch (RuntimeException rejected) {
            future.completeExceptionally(new PoolReposException(
                    "The executor for asynchronous calls refused the task: " + rejected, rejected));
        }
        return future;
    }

    @Override
    public void run() {
        synchronized (this) {
            if (isDone()) {
                return;
            }
            runner = Thread.currentThread();
        }
        T result;
        try {
            result = call.call(timeout, start);
        } catch (Throwable failure) {
            completeExceptionally(failure);
            return;
        } finally {
            synchronized (this) {
                runner = null;
            }
            // An interrupt from cancel() was meant for this call only, not for the executor's next task.
            Thread.interrupted();
        }
        if (!complete(result) && result != null) {
            giveBack.accept(result);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            synchronized (this) {
                if (runner != null) {
                    runner.interrupt();
                }
            }
        }
        return cancelled;
    }
}
