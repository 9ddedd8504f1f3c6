package io.poolrepos.sample.history;

import io.poolrepos.Counter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns samples into the JSON of {@code /api/history}: one array per figure, aligned with the array
 * {@code t} of sample times. State figures as they were; counters and acquires as the number of events
 * in the interval that ends at each sample (null for a pool's or name's first sample, where there is no
 * interval); the acquire wait's mean over that interval and the timer's maximum, in milliseconds. A
 * figure is null where its pool or name was not sampled. Only samples after {@code since} are listed,
 * so that a page that has the rest asks for the new ones only. Stateless.
 */
final class HistoryView {

    private static final Counter[] COUNTERS = Figures.counters();

    private HistoryView() {
    }

    /** Every pool's totals and health, and which names have a history. */
    static Map<String, Object> pools(List<Sample> samples, long since) {
        int from = firstAfter(samples, since);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("t", times(samples, from));
        Map<String, Object> pools = new LinkedHashMap<>();
        for (String pool : poolsIn(samples, from)) {
            Map<String, Object> p = new LinkedHashMap<>();
            List<String> health = new ArrayList<>();
            TreeSet<String> names = new TreeSet<>();
            for (int i = from; i < samples.size(); i++) {
                Sample.PoolSample s = samples.get(i).pools().get(pool);
                health.add(s == null ? null : s.health());
                if (s != null) {
                    names.addAll(s.names().keySet());
                }
            }
            p.put("health", health);
            p.put("names", List.copyOf(names));
            p.put("series", series(samples, from, sample -> {
                Sample.PoolSample s = sample.pools().get(pool);
                return s == null ? null : s.totals();
            }));
            pools.put(pool, p);
        }
        view.put("pools", pools);
        return view;
    }

    /** One name's figures, or null when no sample has that name in that pool. */
    static Map<String, Object> name(List<Sample> samples, String pool, String name, long since) {
        Function<Sample, long[]> figures = sample -> {
            Sample.PoolSample s = sample.pools().get(pool);
            return s == null ? null : s.names().get(name);
        };
        if (samples.stream().map(figures).allMatch(f -> f == null)) {
            return null;
        }
        int from = firstAfter(samples, since);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("pool", pool);
        view.put("name", name);
        view.put("t", times(samples, from));
        view.put("series", series(samples, from, figures));
        return view;
    }

    /** The names with a history in some sample of {@code pool}, sorted. */
    static List<String> namesOf(List<Sample> samples, String pool) {
        TreeSet<String> names = new TreeSet<>();
        for (Sample sample : samples) {
            Sample.PoolSample s = sample.pools().get(pool);
            if (s != null) {
                names.addAll(s.names().keySet());
            }
        }
        return List.copyOf(names);
    }

    private static int firstAfter(List<Sample> samples, long since) {
        int from = 0;
        while (from < samples.size() && samples.get(from).atMillis() <= since) {
            from++;
        }
        return from;
    }

    private static List<Long> times(List<Sample> samples, int from) {
        List<Long> t = new ArrayList<>(samples.size() - from);
        for (int i = from; i < samples.size(); i++) {
            t.add(samples.get(i).atMillis());
        }
        return t;
    }

    private static List<String> poolsIn(List<Sample> samples, int from) {
        List<String> pools = new ArrayList<>();
        for (int i = from; i < samples.size(); i++) {
            for (String pool : samples.get(i).pools().keySet()) {
                if (!pools.contains(pool)) {
                    pools.add(pool);
                }
            }
        }
        return pools;
    }

    private static Map<String, List<Object>> series(List<Sample> samples, int from, Function<Sample, long[]> figures) {
        Map<String, List<Object>> series = new LinkedHashMap<>();
        for (String gauge : Figures.GAUGES) {
            series.put(gauge, new ArrayList<>());
        }
        for (Counter counter : COUNTERS) {
            series.put(counter.key(), new ArrayList<>());
        }
        List<Object> acquires = new ArrayList<>();
        List<Object> mean = new ArrayList<>();
        List<Object> max = new ArrayList<>();
        series.put("acquires", acquires);
        series.put("acquireMeanMillis", mean);
        series.put("acquireMaxMillis", max);
        long[] previous = from > 0 ? figures.apply(samples.get(from - 1)) : null;
        for (int i = from; i < samples.size(); i++) {
            long[] now = figures.apply(samples.get(i));
            for (int g = 0; g < Figures.GAUGES.size(); g++) {
                series.get(Figures.GAUGES.get(g)).add(now == null ? null : now[g]);
            }
            for (Counter counter : COUNTERS) {
                series.get(counter.key()).add(delta(previous, now, Figures.FIRST_COUNTER + counter.ordinal()));
            }
            Long count = delta(previous, now, Figures.ACQUIRES);
            Long nanos = delta(previous, now, Figures.ACQUIRE_NANOS);
            acquires.add(count);
            mean.add(count == null || count == 0 || nanos == null ? null : millis((double) nanos / count));
            max.add(now == null ? null : millis(now[Figures.ACQUIRE_MAX_NANOS]));
            previous = now;
        }
        return series;
    }

    /**
     * Events between two samples. A figure lower than before means the counting started again (the
     * name was removed and came back): the events are then those counted since.
     */
    private static Long delta(long[] before, long[] now, int index) {
        if (before == null || now == null) {
            return null;
        }
        long d = now[index] - before[index];
        return d >= 0 ? d : now[index];
    }

    private static double millis(double nanos) {
        return Math.round(nanos / 1_000) / 1_000.0;
    }
}
