package io.poolrepos.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.poolrepos.spring.metrics.SemanticConventions;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of pool-repos, under the prefix {@code pool-repos}. Each entry of {@link #getPools()
 * pools} becomes one pool of the repository; {@link #getDefaults() defaults} holds the settings every
 * pool inherits unless it sets its own.
 *
 * <p>Values are checked once, by the core where they are used (and by {@link
 * io.poolrepos.spring.metrics.PoolReposMetrics} for the metrics cap); a value it rejects fails
 * start-up with a report that names the property as written ({@link PoolReposConfigurationFailureAnalyzer}).
 *
 * <p>Not thread-safe: bound once at start-up and then only read.
 */
@ConfigurationProperties("pool-repos")
public class PoolReposProperties {

    /** Whether to create the pool repository, the configured pools and their monitoring. */
    private boolean enabled = true;

    /**
     * How often the background thread closes expired idle connections, reports leaks and removes empty
     * names; zero runs no thread.
     */
    private Duration housekeepingPeriod = Duration.ofSeconds(30);

    /**
     * Longest time the application waits at start-up, before it reports ready, for the warm-up-names of
     * every pool to be warm; past it, it reports ready anyway and logs the names not warm.
     */
    private Duration warmUpTimeout = Duration.ofSeconds(30);

    /**
     * Longest time shutdown waits for connections on loan or shared to come back, after the web server
     * has stopped; those still out then are closed under their holders and logged.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /** Settings that every pool inherits unless it sets its own. */
    @NestedConfigurationProperty
    private final PoolProperties defaults = new PoolProperties();

    /** Pools to create, by pool name. */
    private final Map<String, PoolProperties> pools = new LinkedHashMap<>();

    private final Metrics metrics = new Metrics();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getHousekeepingPeriod() {
        return housekeepingPeriod;
    }

    public void setHousekeepingPeriod(Duration housekeepingPeriod) {
        this.housekeepingPeriod = housekeepingPeriod;
    }

    public Duration getWarmUpTimeout() {
        return warmUpTimeout;
    }

    public void setWarmUpTimeout(Duration warmUpTimeout) {
        this.warmUpTimeout = warmUpTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public PoolProperties getDefaults() {
        return defaults;
    }

    public Map<String, PoolProperties> getPools() {
        return pools;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /** Micrometer settings. */
    public static class Metrics {

        /**
         * Most names per pool that get meters of their own; meters of further names are summed into
         * one row tagged name="other".
         */
        private int maxNamesPerPool = 100;

        /**
         * Which names the meters get: pool-repos (pool.repos.*, every figure), otel (OpenTelemetry's
         * db.client.connection.*, the figures those conventions define) or both.
         */
        private SemanticConventions semanticConventions = SemanticConventions.POOL_REPOS;

        public SemanticConventions getSemanticConventions() {
            return semanticConventions;
        }

        public void setSemanticConventions(SemanticConventions semanticConventions) {
            this.semanticConventions = semanticConventions;
        }

        public int getMaxNamesPerPool() {
            return maxNamesPerPool;
        }

        public void setMaxNamesPerPool(int maxNamesPerPool) {
            this.maxNamesPerPool = maxNamesPerPool;
        }
    }
}
