package io.poolrepos.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * included) and {@code share}, and their asynchronous forms until their futures complete, each as a Micrometer {@link Observation} tagged with the pool and its
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
        return observe(SHARE, "share", name, () -> pool.share(name), ObservedConnectionPool::shareOutcome);
    }

    @Override
    public Optional<SharedLease<C>> share(String name, Duration timeout) {
        return observe(SHARE, "share", name, () -> pool.share(name, timeout), ObservedConnectionPool::shareOutcome);
    }

    @Override
    public CompletableFuture<C> acquireAsync(String name) {
        return observeAsync(ACQUIRE, "acquire", name, () -> pool.acquireAsync(name), c -> "success");
    }

    @Override
    public CompletableFuture<C> acquireAsync(String name, Duration timeout) {
        return observeAsync(ACQUIRE, "acquire", name, () -> pool.acquireAsync(name, timeout), c -> "success");
    }

    @Override
    public CompletableFuture<SharedLease<C>> shareAsync(String name) {
        return observeAsync(SHARE, "share", name, () -> pool.shareAsync(name), lease -> "shared");
    }

    @Override
    public CompletableFuture<SharedLease<C>> shareAsync(String name, Duration timeout) {
        return observeAsync(SHARE, "share", name, () -> pool.shareAsync(name, timeout), lease -> "shared");
    }

    private static String shareOutcome(Optional<? extends SharedLease<?>> lease) {
        return lease.isPresent() ? "shared" : "empty";
    }

    /**
     * Starts {@code call} inside an observation that stops when its future completes: with what
     * {@code outcome} says of the result, or {@code timeout} / {@code cancelled} / {@code failed}. The
     * future returned is the pool's own, so cancelling it reaches the pool.
     */
    <T> CompletableFuture<T> observeAsync(String observationName, String contextualName, String name,
            Supplier<CompletableFuture<T>> call, Function<T, String> outcome) {
        Observation observation = start(observationName, contextualName, name);
        CompletableFuture<T> future;
        try (Observation.Scope scope = observation.openScope()) {
            future = call.get();
        } catch (RuntimeException ex) {
            failed(observation, ex);
            observation.stop();
            throw ex;
        }
        future.whenComplete((result, failure) -> {
            if (failure == null) {
                observation.lowCardinalityKeyValue("outcome", outcome.apply(result));
            } else if (failure instanceof java.util.concurrent.CancellationException) {
                observation.lowCardinalityKeyValue("outcome", "cancelled");
            } else {
                failed(observation, failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
            observation.stop();
        });
        return future;
    }

    private Observation start(String observationName, String contextualName, String name) {
        return Observation.createNotStarted(observationName, registry)
                .contextualName(contextualName)
                .lowCardinalityKeyValue(poolTag)
                .highCardinalityKeyValue("name", String.valueOf(NameMasking.mask(name)))
                .start();
    }

    private static void failed(Observation observation, Throwable ex) {
        observation.lowCardinalityKeyValue("outcome", ex instanceof AcquireTimeoutException ? "timeout" : "failed");
        observation.error(ex);
    }

    /**
     * Runs {@code call} inside an observation; its outcome is what {@code outcome} says of the result,
     * or {@code timeout} / {@code failed} for an exception, which the observation records as its error.
     */
    <T> T observe(String observationName, String contextualName, String name, Supplier<T> call,
            Function<T, String> outcome) {
        Observation observation = start(observationName, contextualName, name);
        try (Observation.Scope scope = observation.openScope()) {
            T result = call.get();
            observation.lowCardinalityKeyValue("outcome", outcome.apply(result));
            return result;
        } catch (RuntimeException ex) {
            failed(observation, ex);
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
