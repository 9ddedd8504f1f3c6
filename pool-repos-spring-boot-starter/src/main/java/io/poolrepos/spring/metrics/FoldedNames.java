package io.poolrepos.spring.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.poolrepos.NameStatistics;
import io.poolrepos.Statistics;

/**
 * The names of one pool beyond the meters' cap, summed into its {@code other} row. Counters stay
 * monotonic: when a folded name goes, its final counts are kept in {@code retired}; gauges read only
 * the names present. Thread-safe.
 */
final class FoldedNames {

    private final List<MeterSpec> specs;
    private final Set<NameStatistics> live = ConcurrentHashMap.newKeySet();
    private final Map<MeterSpec, Double> retired = new ConcurrentHashMap<>();

    FoldedNames(List<MeterSpec> specs) {
        this.specs = specs;
    }

    void add(NameStatistics statistics) {
        live.add(statistics);
    }

    synchronized void retire(NameStatistics statistics) {
        if (!live.remove(statistics)) {
            return;
        }
        for (MeterSpec spec : specs) {
            if (!spec.gauge()) {
                retired.merge(spec, spec.value().applyAsDouble(statistics), Double::sum);
            }
        }
    }

    synchronized double value(MeterSpec spec) {
        double sum = spec.gauge() ? 0 : retired.getOrDefault(spec, 0.0);
        List<Statistics> present = new ArrayList<>(live);
        for (Statistics s : present) {
            sum += spec.value().applyAsDouble(s);
        }
        return sum;
    }
}
