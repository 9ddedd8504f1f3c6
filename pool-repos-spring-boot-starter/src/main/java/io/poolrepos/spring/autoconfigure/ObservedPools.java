package io.poolrepos.spring.autoconfigure;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.poolrepos.ConnectionFactory;
import io.poolrepos.ConnectionPool;
import io.poolrepos.NameMasking;

/**
 * Observations of the configured pools, made when the application has an {@link ObservationRegistry}:
 * the pool beans observe {@code acquire} and {@code share} ({@link ObservedConnectionPool}), and each
 * connect of a pool's factory is observed as {@value #CONNECT}. Boot's
 * {@code management.observations.enable.pool.repos=false} turns them all off. Immutable and thread-safe.
 */
final class ObservedPools {

    static final String CONNECT = "pool.repos.connecting";

    private final ObservationRegistry registry;

    ObservedPools(ObservationRegistry registry) {
        this.registry = registry;
    }

    <C> ConnectionPool<C> pool(ConnectionPool<C> pool) {
        return new ObservedConnectionPool<>(pool, registry);
    }

    /** {@code factory}, each of its connects observed with the pool, the outcome and the masked name. */
    <C> ConnectionFactory<C> factory(String poolName, ConnectionFactory<C> factory) {
        KeyValue poolTag = KeyValue.of("pool", NameMasking.mask(poolName));
        return name -> {
            Observation observation = Observation.createNotStarted(CONNECT, registry).contextualName("connect")
                    .lowCardinalityKeyValue(poolTag)
                    .highCardinalityKeyValue("name", String.valueOf(NameMasking.mask(name)))
                    .start();
            try (Observation.Scope scope = observation.openScope()) {
                C connection = factory.connect(name);
                observation.lowCardinalityKeyValue("outcome", "success");
                return connection;
            } catch (java.io.IOException | RuntimeException ex) {
                observation.lowCardinalityKeyValue("outcome", "failure");
                observation.error(ex);
                throw ex;
            } finally {
                observation.stop();
            }
        };
    }
}
