package io.poolrepos.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.poolrepos.ConnectionPool;
import io.poolrepos.NameMasking;
import io.poolrepos.NameStatistics;
import io.poolrepos.PoolRepository;
import io.poolrepos.Statistics;

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
 * <p>"Since the last check" is measured by this indicator: checks made through another indicator
 * instance do not move its baseline. Thread-safe: a check of one pool is atomic.
 */
public class PoolReposHealthIndicator extends AbstractHealthIndicator {

    private static final int MAX_NAMES_IN_BACKOFF = 10;

    private final PoolRepository repository;
    private final Map<ConnectionPool<?>, ConnectOutcomes> outcomes = new ConcurrentHashMap<>();

    public PoolReposHealthIndicator(PoolRepository repository) {
        super("Pool repository health check failed");
        this.repository = repository;
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
