package io.poolrepos.sample.history;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Each pool's status as the starter's {@code poolRepos} health indicator reports it, by masked pool
 * name: its details hold {@code pools.<pool>.status}. Asking the indicator is a health check like any
 * other (it reads the pools; its verdict "every connect failed since the last success" does not depend
 * on how often it is asked). Thread-safe as the indicator is.
 */
final class HealthStatuses implements Supplier<Map<String, String>> {

    private final HealthIndicator indicator;

    /** @param indicator the {@code poolRepos} indicator, or null when health is off: no statuses then */
    HealthStatuses(HealthIndicator indicator) {
        this.indicator = indicator;
    }

    @Override
    public Map<String, String> get() {
        Map<String, String> statuses = new LinkedHashMap<>();
        if (indicator == null) {
            return statuses;
        }
        Health health = indicator.health(true);
        if (health.getDetails().get("pools") instanceof Map<?, ?> pools) {
            pools.forEach((pool, detail) -> {
                if (detail instanceof Map<?, ?> d && d.get("status") != null) {
                    statuses.put(String.valueOf(pool), String.valueOf(d.get("status")));
                }
            });
        }
        return statuses;
    }
}
