package io.poolrepos.spring.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.poolrepos.ConnectionPool;
import io.poolrepos.NameStatistics;
import io.poolrepos.PoolListener;
import io.poolrepos.NameMasking;

/**
 * The meters of one repository in one registry, kept up to date by the repository's events. Name
 * events of one pool are handled under that pool's lock (they are rare: a name appears or goes);
 * {@code acquireCompleted}, {@code connectCompleted} and {@code loanEnded}, which are frequent, take
 * no lock. Which meters exist follows the {@link SemanticConventions}; an OpenTelemetry meter and ours
 * read the same figures, so the two sets agree at every scrape.
 */
final class RegistryBinding implements PoolListener {

    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final int maxNamesPerPool;
    private final SemanticConventions conventions;
    private final Map<ConnectionPool<?>, PoolMeters> pools = new ConcurrentHashMap<>();

    RegistryBinding(MeterRegistry registry, int maxNamesPerPool, SemanticConventions conventions) {
        this.registry = registry;
        this.maxNamesPerPool = maxNamesPerPool;
        this.conventions = conventions;
    }

    @Override
    public void poolCreated(ConnectionPool<?> pool) {
        meters(pool);
    }

    @Override
    public void nameAdded(ConnectionPool<?> pool, NameStatistics statistics) {
        meters(pool).nameAdded(statistics);
    }

    @Override
    public void nameRemoved(ConnectionPool<?> pool, NameStatistics statistics) {
        meters(pool).nameRemoved(statistics);
    }

    @Override
    public void acquireCompleted(ConnectionPool<?> pool, String name, long waitNanos, AcquireOutcome outcome) {
        meters(pool).acquireCompleted(name, waitNanos, outcome);
    }

    @Override
    public void connectCompleted(ConnectionPool<?> pool, String name, long connectNanos, boolean succeeded) {
        meters(pool).connectCompleted(name, connectNanos, succeeded);
    }

    @Override
    public void loanEnded(ConnectionPool<?> pool, String name, long loanNanos) {
        if (conventions.otel()) {
            meters(pool).of(name).useTimer().record(loanNanos, TimeUnit.NANOSECONDS);
        }
    }

    private PoolMeters meters(ConnectionPool<?> pool) {
        return pools.computeIfAbsent(pool, PoolMeters::new);
    }

    /** The meters of one pool: a set per name up to the cap, then one folded set. */
    private final class PoolMeters {

        private final ConnectionPool<?> pool;
        private final String poolTag;
        /** The gauges and function counters each name of this pool gets. */
        private final List<MeterSpec> specs;
        private final Map<String, NameMeters> named = new ConcurrentHashMap<>();
        private final Set<String> tagsInUse = new HashSet<>();
        private volatile NameMeters other;

        PoolMeters(ConnectionPool<?> pool) {
            this.pool = pool;
            this.poolTag = NameMasking.mask(pool.poolName());
            List<MeterSpec> all = new ArrayList<>();
            if (conventions.poolRepos()) {
                all.addAll(MeterSpec.ALL);
                Gauge.builder(MeterSpec.NAMES_GAUGE, pool, p -> p.names().size())
                        .description("Names the pool holds connections for")
                        .tags("pool", poolTag)
                        .strongReference(true)
                        .register(registry);
            }
            if (conventions.otel()) {
                all.addAll(MeterSpec.otel(pool::settings));
            }
            this.specs = List.copyOf(all);
        }

        synchronized void nameAdded(NameStatistics statistics) {
            NameMeters existing = named.get(statistics.name());
            if (existing != null) {
                if (existing.statistics == statistics) {
                    return;
                }
                // The name came back before its removal was reported: the new object takes over.
                remove(existing);
            }
            String tag = NameMasking.mask(statistics.name());
            if (named.size() < maxNamesPerPool && !tagsInUse.contains(tag)) {
                tagsInUse.add(tag);
                named.put(statistics.name(), new NameMeters(this, tag, statistics, null));
            } else {
                other().folded.add(statistics);
            }
        }

        synchronized void nameRemoved(NameStatistics statistics) {
            NameMeters meters = named.get(statistics.name());
            if (meters != null && meters.statistics == statistics) {
                remove(meters);
            } else if (other != null) {
                other.folded.retire(statistics);
            }
        }

        void acquireCompleted(String name, long waitNanos, AcquireOutcome outcome) {
            NameMeters meters = of(name);
            if (conventions.poolRepos()) {
                meters.acquireTimer(outcome).record(waitNanos, TimeUnit.NANOSECONDS);
            }
            // The conventions time obtaining a connection; timeouts and failures obtained none.
            if (conventions.otel() && (outcome == AcquireOutcome.IDLE || outcome == AcquireOutcome.CREATED)) {
                meters.waitTimer().record(waitNanos, TimeUnit.NANOSECONDS);
            }
        }

        void connectCompleted(String name, long connectNanos, boolean succeeded) {
            NameMeters meters = of(name);
            if (conventions.poolRepos()) {
                meters.connectTimer(succeeded).record(connectNanos, TimeUnit.NANOSECONDS);
            }
            if (conventions.otel() && succeeded) {
                meters.createTimer().record(connectNanos, TimeUnit.NANOSECONDS);
            }
        }

        NameMeters of(String name) {
            NameMeters meters = named.get(name);
            return meters != null ? meters : other();
        }

        private void remove(NameMeters meters) {
            named.remove(meters.statistics.name(), meters);
            tagsInUse.remove(meters.tag);
            meters.remove();
        }

        private NameMeters other() {
            NameMeters folded = other;
            if (folded == null) {
                synchronized (this) {
                    folded = other;
                    if (folded == null) {
                        folded = new NameMeters(this, OTHER, null, new FoldedNames(specs));
                        other = folded;
                    }
                }
            }
            return folded;
        }
    }

    /** The meters of one name, or of the folded names when {@code folded} is set. */
    private final class NameMeters {

        private final String tag;
        private final NameStatistics statistics;
        private final FoldedNames folded;
        private final Tags tags;
        private final Tags otelTags;
        private final List<Meter> meters = new CopyOnWriteArrayList<>();
        private final Timer[] acquireTimers = new Timer[AcquireOutcome.values().length];
        /** Failed, then succeeded. */
        private final Timer[] connectTimers = new Timer[2];
        /** Wait, create, use. */
        private final Timer[] otelTimers = new Timer[3];
        private volatile boolean removed;

        NameMeters(PoolMeters pool, String tag, NameStatistics statistics, FoldedNames folded) {
            this.tag = tag;
            this.statistics = statistics;
            this.folded = folded;
            this.tags = Tags.of("pool", pool.poolTag, "name", tag);
            this.otelTags = Tags.of(MeterSpec.OTEL_POOL, pool.poolTag, MeterSpec.OTEL_NAME, tag);
            for (MeterSpec spec : pool.specs) {
                meters.add(statistics != null ? register(spec, statistics, spec.value())
                        : register(spec, folded, f -> f.value(spec)));
            }
        }

        private <T> Meter register(MeterSpec spec, T state, ToDoubleFunction<T> value) {
            Tags all = (spec.otel() ? otelTags : tags).and(spec.tags());
            if (spec.gauge()) {
                return Gauge.builder(spec.name(), state, value).description(spec.description()).tags(all)
                        .baseUnit(ExportedNames.unitIfNeeded(registry, spec)).strongReference(true).register(registry);
            }
            return FunctionCounter.builder(spec.name(), state, value).description(spec.description()).tags(all)
                    .register(registry);
        }

        Timer acquireTimer(AcquireOutcome outcome) {
            Timer timer = acquireTimers[outcome.ordinal()];
            if (timer == null) {
                timer = register(Timer.builder(MeterSpec.ACQUIRE_TIMER)
                        .description("Time acquire took, including any wait and connect")
                        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)));
                acquireTimers[outcome.ordinal()] = timer;
            }
            return timer;
        }

        Timer connectTimer(boolean succeeded) {
            int i = succeeded ? 1 : 0;
            Timer timer = connectTimers[i];
            if (timer == null) {
                timer = register(Timer.builder(MeterSpec.CONNECT_TIMER)
                        .description("Time a connect for acquire took")
                        .tag("outcome", succeeded ? "success" : "failure"));
                connectTimers[i] = timer;
            }
            return timer;
        }

        Timer waitTimer() {
            return otelTimer(0, MeterSpec.OTEL_WAIT_TIME, "Time acquire took to hand out a connection, including any wait and connect");
        }

        Timer createTimer() {
            return otelTimer(1, MeterSpec.OTEL_CREATE_TIME, "Time a successful connect for acquire took");
        }

        Timer useTimer() {
            return otelTimer(2, MeterSpec.OTEL_USE_TIME,
                    "Time a connection of get or acquire was out on loan, to its give-back or discard (10 ms steps)");
        }

        private Timer otelTimer(int i, String name, String description) {
            Timer timer = otelTimers[i];
            if (timer == null) {
                timer = register(Timer.builder(name).description(description), otelTags);
                otelTimers[i] = timer;
            }
            return timer;
        }

        /**
         * Timers are registered on first use: most names never see most outcomes. A race registers
         * the same meter twice, which the registry answers with the one it has.
         */
        private Timer register(Timer.Builder builder) {
            return register(builder, tags);
        }

        private Timer register(Timer.Builder builder, Tags base) {
            Timer timer = builder.tags(base).register(registry);
            meters.add(timer);
            if (removed) {
                registry.remove(timer);
            }
            return timer;
        }

        void remove() {
            removed = true;
            for (Meter meter : meters) {
                registry.remove(meter);
            }
        }
    }
}
