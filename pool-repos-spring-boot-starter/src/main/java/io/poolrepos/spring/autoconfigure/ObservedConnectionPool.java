package io.poolrepos.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.poolrepos.AcquireTimeoutException;
import io.poolrepos.AddResult;
import io.poolrepos.ConnectionPool;
import io.poolrepos.NameMasking;
import io.poolrepos.NameStatistics;
import io.poolrepos.PoolOperations;
import io.poolrepos.PoolSettings;
import io.poolrepos.PoolSnapshot;
import io.poolrepos.SharedLease;
import io.poolrepos.Statistics;

/**
 * A pool bean that observes what the application waits for: {@code acquire} (waiting and connecting
 * included) and {@code share}, each as a Micrometer {@link Observation} tagged with the pool and its
 * outcome (low cardinality) and the masked name (high cardinality: traces only). {@code call} goes
 * through the observed {@code acquire}. Everything else goes straight to the pool. Thread-safe as the
 * pool is.
 */
final class ObservedConnectionPool<C> implements ConnectionPool<C> {

    static final String ACQUIRE = "pool.repos.acquisition";
    static final String SHARE = "pool.repos.sharing";

    private final ConnectionPool<C> pool;
    private final ObservationRegistry registry;
    private final KeyValue poolTag;

    ObservedConnectionPool(ConnectionPool<C> pool, ObservationRegistry registry) {
        this.pool = pool;
        this.registry = registry;
        this.poolTag = KeyValue.of("pool", NameMasking.mask(pool.poolName()));
    }

    @Override
    public C acquire(String name) {
        return observe(ACQUIRE, "acquire", name, () -> pool.acquire(name), c -> "success");
    }

    @Override
    public C acquire(String name, Duration timeout) {
        return observe(ACQUIRE, "acquire", name, () -> pool.acquire(name, timeout), c -> "success");
    }

    @Override
    public Optional<SharedLease<C>> share(String name) {
        return observe(SHARE, "share", name, () -> pool.share(name), lease -> lease.isPresent() ? "shared" : "empty");
    }

    /**
     * Runs {@code call} inside an observation; its outcome is what {@code outcome} says of the result,
     * or {@code timeout} / {@code failed} for an exception, which the observation records as its error.
     */
    <T> T observe(String observationName, String contextualName, String name, Supplier<T> call,
            Function<T, String> outcome) {
        Observation observation = Observation.createNotStarted(observationName, registry)
                .contextualName(contextualName)
                .lowCardinalityKeyValue(poolTag)
                .highCardinalityKeyValue("name", String.valueOf(NameMasking.mask(name)))
                .start();
        try (Observation.Scope scope = observation.openScope()) {
            T result = call.get();
            observation.lowCardinalityKeyValue("outcome", outcome.apply(result));
            return result;
        } catch (RuntimeException ex) {
            observation.lowCardinalityKeyValue("outcome", ex instanceof AcquireTimeoutException ? "timeout" : "failed");
            observation.error(ex);
            throw ex;
        } finally {
            observation.stop();
        }
    }

    // Everything below goes straight to the pool.

    @Override
    public String poolName() {
        return pool.poolName();
    }

    @Override
    public Class<C> connectionType() {
        return pool.connectionType();
    }

    @Override
    public PoolSettings settings() {
        return pool.settings();
    }

    @Override
    public PoolOperations operations() {
        return pool.operations();
    }

    @Override
    public boolean canConnect() {
        return pool.canConnect();
    }

    @Override
    public AddResult add(String name, C connection) {
        return pool.add(name, connection);
    }

    @Override
    public Optional<C> get(String name) {
        return pool.get(name);
    }

    @Override
    public void discard(String name, C connection) {
        pool.discard(name, connection);
    }

    @Override
    public io.poolrepos.WarmUp warm(java.util.Collection<String> names) {
        return pool.warm(names);
    }

    @Override
    public int drain(String name) {
        return pool.drain(name);
    }

    @Override
    public int drainAll() {
        return pool.drainAll();
    }

    @Override
    public Statistics totals() {
        return pool.totals();
    }

    @Override
    public Optional<NameStatistics> statistics(String name) {
        return pool.statistics(name);
    }

    @Override
    public List<NameStatistics> names() {
        return pool.names();
    }

    @Override
    public PoolSnapshot snapshot() {
        return pool.snapshot();
    }

    @Override
    public boolean isClosed() {
        return pool.isClosed();
    }

    @Override
    public String toString() {
        return "Observed" + pool;
    }
}
