package io.poolrepos.spring.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.poolrepos.ConnectionPool;
import io.poolrepos.NameStatistics;
import io.poolrepos.PoolRepository;

/**
 * Binds the pools of a {@link PoolRepository} to Micrometer, in the style of HikariCP and Reactor
 * Netty: gauges for the state of each name (idle, in use, shared, pending...), function counters for
 * its event counts, and a timer {@code pool.repos.acquire} for the time {@code acquire} takes, every
 * meter tagged {@code pool} and {@code name}. With {@link SemanticConventions#OTEL} or
 * {@link SemanticConventions#BOTH} it also (or only) keeps the meters of OpenTelemetry's database
 * client connection-pool conventions ({@code db.client.connection.count}, {@code .wait_time},
 * {@code .use_time}...), tagged {@code db.client.connection.pool.name} and {@code pool.repos.name}.
 * The full list and the mapping between the two are in the README.
 *
 * <p>A name's meters appear when the name first appears in its pool and are removed when the pool
 * removes the name. At most {@code maxNamesPerPool} names of a pool have meters of their own; further
 * names are summed into one row tagged {@code name="other"}, so that unbounded names cannot fill the
 * registry. Names with user info are tagged masked ({@code ****@host:port}).
 *
 * <p>Pools and names that exist when the binder is bound are picked up, as are those that come later.
 * May be bound to several registries. Thread-safe.
 */
public class PoolReposMetrics implements MeterBinder {

    private final PoolRepository repository;
    private final int maxNamesPerPool;
    private final SemanticConventions conventions;

    /**
     * Meters under our names only ({@link SemanticConventions#POOL_REPOS}).
     *
     * @param repository the repository whose pools to measure
     * @param maxNamesPerPool most names per pool with meters of their own; 0 sums every name into "other"
     */
    public PoolReposMetrics(PoolRepository repository, int maxNamesPerPool) {
        this(repository, maxNamesPerPool, SemanticConventions.POOL_REPOS);
    }

    /**
     * @param repository the repository whose pools to measure
     * @param maxNamesPerPool most names per pool with meters of their own; 0 sums every name into "other"
     * @param conventions which names the meters get
     */
    public PoolReposMetrics(PoolRepository repository, int maxNamesPerPool, SemanticConventions conventions) {
        if (maxNamesPerPool < 0) {
            throw new IllegalArgumentException("maxNamesPerPool must be >= 0, was " + maxNamesPerPool);
        }
        if (conventions == null) {
            throw new IllegalArgumentException("conventions must not be null; use one of "
                    + java.util.Arrays.toString(SemanticConventions.values()));
        }
        this.repository = repository;
        this.maxNamesPerPool = maxNamesPerPool;
        this.conventions = conventions;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        RegistryBinding binding = new RegistryBinding(registry, maxNamesPerPool, conventions);
        // Listen first, then walk what exists: a name that appears in between is seen twice, which
        // the binding ignores, rather than not at all.
        repository.addListener(binding);
        for (ConnectionPool<?> pool : repository.pools()) {
            binding.poolCreated(pool);
            for (NameStatistics name : pool.names()) {
                binding.nameAdded(pool, name);
            }
        }
    }
}
