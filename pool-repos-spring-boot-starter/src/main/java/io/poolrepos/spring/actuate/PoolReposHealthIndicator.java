package io.poolrepos.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.poolrepos.ConnectionPool;
import io.poolrepos.NameMasking;
import io.poolrepos.NameStatistics;
import io.poolrepos.PoolRepository;
import io.poolrepos.Statistics;
import io.poolrepos.WarmUp;
import io.poolrepos.spring.autoconfigure.StartupWarmUp;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of a {@link PoolRepository} (contributor {@code poolRepos}), with one detail per pool, under
 * the pool's name (masked when it has user info).
 *
 * <p>A pool is DOWN when it opens its own connections (it has a {@code ConnectionFactory}) and every
 * connect attempt seen since its last successful one failed: between two health checks its
 * connect-failure count grew and its created count did not. It stays DOWN until a check sees a
 * connection created. A pool that made no connect attempt between two checks keeps its verdict; one
 * without a factory is always UP, since the application opens its connections itself. The repository
 * is DOWN when any pool is DOWN or when it is closed.
 *
 * <p>Each pool's details list its names in connect backoff (masked, at most ten) with the time until
 * their next connect; a name in backoff does not by itself make the pool DOWN.
 *
 * <p>A pool with start-up {@code warm-up-names} has a {@code warmUp} detail: {@code state} (as
 * {@link StartupWarmUp.State}: {@code WARMING}, {@code WARM}, or {@code TIMED_OUT} once the application
 * reported ready without it), how many names are warmed, and {@code notWarm}, the names not warm yet
 * (masked, at most ten) each with the last failure. Warm-up never changes a status: readiness waits for
 * it through Boot's readiness state, and a backend that fails its connects turns the pool DOWN by the
 * rule above, warm-up connects included; a timed-out warm-up leaves the application ready (the pool
 * keeps trying), which an OUT_OF_SERVICE here would contradict.
 *
 * <p>"Since the last check" is measured by this indicator: checks made through another indicator
 * instance do not move its baseline. Thread-safe: a check of one pool is atomic.
 */
public class PoolReposHealthIndicator extends AbstractHealthIndicator {

    private static final int MAX_NAMES_IN_BACKOFF = 10;

    private final PoolRepository repository;
    private final StartupWarmUp warmUp;
    private final Map<ConnectionPool<?>, ConnectOutcomes> outcomes = new ConcurrentHashMap<>();

    public PoolReposHealthIndicator(PoolRepository repository) {
        this(repository, null);
    }

    /** @param warmUp the start-up warm-up to show, or null */
    public PoolReposHealthIndicator(PoolRepository repository, StartupWarmUp warmUp) {
        super("Pool repository health check failed");
        this.repository = repository;
        this.warmUp = warmUp;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = !repository.isClosed();
        Map<String, Object> pools = new LinkedHashMap<>();
        for (ConnectionPool<?> pool : repository.pools()) {
            Statistics totals = pool.totals();
            boolean connectsFailing = pool.canConnect()
                    && outcomes.computeIfAbsent(pool, p -> new ConnectOutcomes()).failingAfter(totals);
            Status status = connectsFailing || pool.isClosed() ? Status.DOWN : Status.UP;
            up &= status == Status.UP;
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", status.getCode());
            detail.put("canConnect", pool.canConnect());
            detail.put("names", pool.names().size());
            detail.put("idle", totals.idle());
            detail.put("inUse", totals.inUse());
            detail.put("waiting", totals.waiting());
            detail.put("created", totals.created());
            detail.put("connectFailures", totals.connectFailures());
            detail.put("acquireTimeouts", totals.acquireTimeouts());
            detail.put("fastFailures", totals.fastFailures());
            Map<String, Object> inBackoff = inConnectBackoff(pool);
            if (!inBackoff.isEmpty()) {
                detail.put("connectBackoff", inBackoff);
            }
            if (warmUp != null) {
                warmUp.of(pool.poolName()).ifPresent(w -> detail.put("warmUp", describe(w, warmUp.state())));
            }
            pools.put(NameMasking.mask(pool.poolName()), detail);
        }
        builder.status(up ? Status.UP : Status.DOWN).withDetail("pools", pools);
    }

    /**
     * The names in connect backoff, masked, each with the time left until the next attempt: at most
     * {@value #MAX_NAMES_IN_BACKOFF}, so that an outage of many names keeps the report small.
     */
    private static Map<String, Object> inConnectBackoff(ConnectionPool<?> pool) {
        Map<String, Object> names = new LinkedHashMap<>();
        for (NameStatistics name : pool.names()) {
            if (names.size() == MAX_NAMES_IN_BACKOFF) {
                break;
            }
            name.connectRetryIn().ifPresent(retryIn -> names.put(NameMasking.mask(name.name()),
                    retryIn.isZero() ? "retrying now" : "next connect in " + retryIn.toMillis() + " ms"));
        }
        return names;
    }

    /** The {@code warmUp} detail of one pool: its state, how many names, and those not warm yet with why. */
    private static Map<String, Object> describe(WarmUp w, StartupWarmUp.State state) {
        Map<String, Object> detail = new LinkedHashMap<>();
        java.util.List<String> notWarm = w.notWarm();
        detail.put("state", (notWarm.isEmpty() ? StartupWarmUp.State.WARM : state).name());
        detail.put("names", w.names().size());
        detail.put("warm", w.names().size() - notWarm.size());
        Map<String, Object> cold = new LinkedHashMap<>();
        for (String name : notWarm) {
            if (cold.size() == MAX_NAMES_IN_BACKOFF) {
                break;
            }
            cold.put(NameMasking.mask(name), w.lastFailure(name).map(Throwable::getMessage).orElse("connecting"));
        }
        detail.put("notWarm", cold);
        return detail;
    }

    /** What one pool's connect counts looked like at the previous check, and the verdict then. */
    private static final class ConnectOutcomes {

        private long created;
        private long failures;
        private boolean failing;

        synchronized boolean failingAfter(Statistics totals) {
            long createdNow = totals.created();
            long failuresNow = totals.connectFailures();
            if (createdNow > created) {
                failing = false;
            } else if (failuresNow > failures) {
                failing = true;
            }
            created = createdNow;
            failures = failuresNow;
            return failing;
        }
    }
}
