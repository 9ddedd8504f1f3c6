package io.poolrepos.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of pool-repos, under the prefix {@code pool-repos}. Each entry of {@link #getPools()
 * pools} becomes one pool of the repository; {@link #getDefaults() defaults} holds the settings every
 * pool inherits unless it sets its own.
 *
 * <p>The constraints run when the application has a bean validator (spring-boot-starter-validation);
 * without one, the core's own checks still reject bad values when the pools are built, and
 * {@link PoolReposConfigurationFailureAnalyzer} reports them the same way.
 *
 * <p>Not thread-safe: bound once at start-up and then only read.
 */
@ConfigurationProperties("pool-repos")
@Validated
public class PoolReposProperties {

    /** Whether to create the pool repository, the configured pools and their monitoring. */
    private boolean enabled = true;

    /**
     * How often the background thread closes expired idle connections, reports leaks and removes empty
     * names; zero runs no thread.
     */
    private Duration housekeepingPeriod = Duration.ofSeconds(30);

    /** Settings that every pool inherits unless it sets its own. */
    @Valid
    @NestedConfigurationProperty
    private final PoolProperties defaults = new PoolProperties();

    /** Pools to create, by pool name. */
    @Valid
    private final Map<String, @Valid PoolProperties> pools = new LinkedHashMap<>();

    @Valid
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
        @PositiveOrZero
        private int maxNamesPerPool = 100;

        public int getMaxNamesPerPool() {
            return maxNamesPerPool;
        }

        public void setMaxNamesPerPool(int maxNamesPerPool) {
            this.maxNamesPerPool = maxNamesPerPool;
        }
    }
}
