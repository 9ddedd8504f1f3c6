package io.poolrepos.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.poolrepos.ConnectionPool;
import io.poolrepos.NameMasking;
import io.poolrepos.WarmUp;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The start-up warm-up of every pool's {@code warm-up-names}: started with the context
 * ({@link PoolReposLifecycle}), waited for before the application reports ready
 * ({@link WarmUpReadiness}), and shown by the health contributor. The connects run on the core's
 * warm-up thread; only the wait for readiness blocks, and only the thread that runs Boot's
 * application runners, for at most {@code pool-repos.warm-up-timeout} from the start.
 *
 * <p>Thread-safe: started once, then read from any thread.
 */
public final class StartupWarmUp {

    /** Where the start-up warm-up stands. */
    public enum State {
        /** Nothing to warm: no pool has warm-up-names. */
        NONE,
        /** Started; the application does not report ready yet. */
        WARMING,
        /** Every name has been warm. */
        WARM,
        /** The timeout passed first: the application reported ready with some names not warm. */
        TIMED_OUT
    }

    private static final Log LOG = LogFactory.getLog(StartupWarmUp.class);

    private final Map<String, List<String>> names;
    private final Function<String, ConnectionPool<?>> pools;
    private final Duration timeout;
    private volatile Map<String, WarmUp> warmUps = Map.of();
    private volatile long deadline;
    private volatile State state;

    StartupWarmUp(Map<String, List<String>> names, Function<String, ConnectionPool<?>> pools, Duration timeout) {
        this.names = names;
        this.pools = pools;
        this.timeout = timeout;
        this.state = names.isEmpty() ? State.NONE : State.WARMING;
    }

    /** Starts each pool's warm-up; the timeout runs from here. Returns at once. */
    synchronized void start() {
        if (!warmUps.isEmpty() || names.isEmpty()) {
            return;
        }
        deadline = System.nanoTime() + timeout.toNanos();
        Map<String, WarmUp> started = new LinkedHashMap<>();
        names.forEach((pool, toWarm) -> started.put(pool, pools.apply(pool).warm(toWarm)));
        warmUps = started;
        LOG.info("Warming up " + describe(started, WarmUp::names) + " (warm-up-timeout " + timeout + ")");
    }

    /**
     * Waits until every pool's names have been warm or the timeout (counted from {@link #start}) has
     * passed; logs which names are not warm then. Interrupted, it stops waiting and keeps the interrupt.
     */
    void awaitWarm() {
        Map<String, WarmUp> started = warmUps;
        if (started.isEmpty()) {
            return;
        }
        CompletableFuture<?> all = CompletableFuture.allOf(started.values().stream()
                .map(WarmUp::whenWarm).toArray(CompletableFuture[]::new));
        try {
            all.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            state = State.WARM;
            LOG.info("Warm-up complete: " + describe(started, WarmUp::names));
            return;
        } catch (TimeoutException | ExecutionException ex) {
            // Not warm in time, or a pool closed meanwhile: reported below.
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        state = started.values().stream().allMatch(WarmUp::isWarm) ? State.WARM : State.TIMED_OUT;
        if (state == State.TIMED_OUT) {
            LOG.warn("Warm-up did not complete within warm-up-timeout (" + timeout + "); reporting ready anyway. "
                    + "Not warm: " + describe(started, WarmUp::notWarm) + ". The pools keep trying in the background, "
                    + "no faster than connect backoff allows");
        }
    }

    /** Where the warm-up stands: {@link State#WARM} as soon as every name has been warm. */
    public State state() {
        State s = state;
        if (s == State.WARMING && !warmUps.isEmpty() && warmUps.values().stream().allMatch(WarmUp::isWarm)) {
            return State.WARM;
        }
        return s;
    }

    /** The warm-up of the pool named {@code poolName}, once started; empty for a pool with no warm-up-names. */
    public Optional<WarmUp> of(String poolName) {
        return Optional.ofNullable(warmUps.get(poolName));
    }

    /** "pool 'orders': [a:1, ****@b:2]" for each pool, names masked. */
    private static String describe(Map<String, WarmUp> warmUps, Function<WarmUp, List<String>> which) {
        List<String> parts = new ArrayList<>();
        warmUps.forEach((pool, warmUp) -> {
            List<String> listed = which.apply(warmUp);
            if (!listed.isEmpty()) {
                parts.add("pool '" + PropertyNames.shown(pool) + "': " + listed.stream().map(NameMasking::mask).toList());
            }
        });
        return String.join(", ", parts);
    }
}
