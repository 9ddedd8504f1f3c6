package io.poolrepos.spring.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Tags;
import io.poolrepos.Counter;
import io.poolrepos.PoolSettings;
import io.poolrepos.Statistics;

/**
 * One meter kept per name: its name, description, kind, extra tags and the figure it reads: a state
 * figure for a gauge, one {@link Counter} for a function counter. {@link #ALL} is the single place that
 * says which {@code pool.repos.*} meters exist (the README copies it), and every {@link Counter} has
 * exactly one there; {@link #otel} says which {@code db.client.connection.*} meters exist. Our names
 * avoid the suffixes Prometheus reserves ({@code _total}, {@code _created}, {@code _count}, {@code _sum},
 * {@code _bucket}, {@code _info}), so that each exports under the name the README gives
 * ({@code PrometheusScrapeTests} checks the whole scrape); an OpenTelemetry name that a registry would
 * export with such a suffix gets {@code unit} appended there (see {@link RegistryBinding}). Immutable.
 *
 * @param otel whether the meter follows OpenTelemetry's conventions (and takes their tags)
 * @param unit the plural word of what a gauge counts, appended to its name only where it must be
 */
record MeterSpec(String name, String description, boolean gauge, Tags tags, ToDoubleFunction<Statistics> value,
        Counter counter, boolean otel, String unit) {

    static final String ACQUIRE_TIMER = "pool.repos.acquire";
    static final String CONNECT_TIMER = "pool.repos.connect";
    static final String NAMES_GAUGE = "pool.repos.names";

    /** OpenTelemetry's database client connection-pool meters and attributes. */
    static final String OTEL_COUNT = "db.client.connection.count";
    static final String OTEL_WAIT_TIME = "db.client.connection.wait_time";
    static final String OTEL_CREATE_TIME = "db.client.connection.create_time";
    static final String OTEL_USE_TIME = "db.client.connection.use_time";
    static final String OTEL_POOL = "db.client.connection.pool.name";
    static final String OTEL_STATE = "db.client.connection.state";
    /** Our attribute for the name within the pool: the conventions have none, and a bare "name" would be ambiguous. */
    static final String OTEL_NAME = "pool.repos.name";

    // Meters that share a name share one description: registries such as Prometheus keep one per name.
    private static final String GETS = "Calls of get (and idle look-ups of acquire), by result: hit or miss";
    private static final String EVICTED = "Connections closed by eviction, by reason: idle timeout or max lifetime";

    static final List<MeterSpec> ALL = List.of(
            gauge("pool.repos.connections.idle", "Connections idle in the pool, shared or not", Statistics::idle),
            gauge("pool.repos.connections.in.use", "Connections out on exclusive loan", Statistics::inUse),
            gauge("pool.repos.connections.shared", "Idle connections with at least one sharer",
                    Statistics::sharedConnections),
            gauge("pool.repos.shares.active", "Leases handed out by share and not yet closed",
                    Statistics::activeShares),
            gauge("pool.repos.connections.pending", "Callers waiting in acquire", Statistics::waiting),
            counter("pool.repos.gets", GETS, Tags.of("result", "hit"), Counter.GET_HITS),
            counter("pool.repos.gets", GETS, Tags.of("result", "miss"), Counter.GET_MISSES),
            counter("pool.repos.shares", "Leases handed out by share", Tags.empty(), Counter.SHARES),
            counter("pool.repos.connections.added", "Connections put into the pool by add and kept idle", Tags.empty(),
                    Counter.ADDED),
            counter("pool.repos.connections.adopted", "Connections the pool saw for the first time in add",
                    Tags.empty(), Counter.ADOPTED),
            // Not "created": Prometheus reserves the suffix _created (a counter's creation time) and strips it.
            counter("pool.repos.connections.opened", "Connections opened by the pool's connection factory",
                    Tags.empty(), Counter.CREATED),
            counter("pool.repos.connections.closed.dead", "Connections closed because they were found dead",
                    Tags.empty(), Counter.CLOSED_DEAD),
            counter("pool.repos.connections.evicted", EVICTED, Tags.of("reason", "idle"), Counter.EVICTED_IDLE),
            counter("pool.repos.connections.evicted", EVICTED, Tags.of("reason", "lifetime"), Counter.EVICTED_LIFETIME),
            counter("pool.repos.connections.overflowed", "Connections closed because keeping them exceeded a limit",
                    Tags.empty(), Counter.OVERFLOWED),
            counter("pool.repos.connections.discarded", "Connections closed on purpose: discard, drain or close",
                    Tags.empty(), Counter.DISCARDED),
            counter("pool.repos.connections.rejected", "Calls of add or discard that were rejected", Tags.empty(),
                    Counter.REJECTED),
            counter("pool.repos.leaks", "Connections reported as possible leaks", Tags.empty(), Counter.LEAKS),
            counter("pool.repos.acquire.timeouts", "Calls of acquire that timed out", Tags.empty(),
                    Counter.ACQUIRE_TIMEOUTS),
            counter("pool.repos.connect.failures", "Calls of the connection factory that failed", Tags.empty(),
                    Counter.CONNECT_FAILURES),
            counter("pool.repos.connect.fast.failures",
                    "Calls of acquire that failed at once because the name was in connect backoff", Tags.empty(),
                    Counter.FAST_FAILURES));

    private static final String OTEL_COUNT_DESCRIPTION =
            "Connections of the name by state: idle (in the pool, nobody sharing it) or used (on loan or shared)";

    /**
     * The OpenTelemetry meters of one name of a pool whose current settings {@code settings} reads: the
     * limits are per name, as the pool keeps them; {@code max} only when there is one. The conventions'
     * {@code idle.min} is left out (a minimum is kept only for names given to warm-up, not for every
     * name), as are our figures beyond theirs.
     */
    static List<MeterSpec> otel(Supplier<PoolSettings> settings) {
        List<MeterSpec> specs = new ArrayList<>(List.of(
                otelGauge(OTEL_COUNT, OTEL_COUNT_DESCRIPTION, Tags.of(OTEL_STATE, "idle"),
                        s -> Math.max(0, s.idle() - s.sharedConnections()), "connections"),
                otelGauge(OTEL_COUNT, OTEL_COUNT_DESCRIPTION, Tags.of(OTEL_STATE, "used"),
                        s -> s.inUse() + s.sharedConnections(), "connections"),
                otelGauge("db.client.connection.pending_requests", "Callers waiting in acquire for a connection",
                        Tags.empty(), Statistics::waiting, "requests"),
                otelGauge("db.client.connection.idle.max", "Most idle connections kept for the name (maxIdlePerName)",
                        Tags.empty(), s -> settings.get().maxIdlePerName(), "connections"),
                new MeterSpec("db.client.connection.timeouts", "Calls of acquire that timed out", false, Tags.empty(),
                        s -> s.count(Counter.ACQUIRE_TIMEOUTS), Counter.ACQUIRE_TIMEOUTS, true, "timeouts")));
        if (settings.get().maxOpenPerName() > 0) {
            // Read at every scrape, so that a resize shows; no value once a resize lifts the limit.
            specs.add(otelGauge("db.client.connection.max", "Most open connections of the name (maxOpenPerName)",
                    Tags.empty(), s -> {
                        int max = settings.get().maxOpenPerName();
                        return max > 0 ? max : Double.NaN;
                    }, "connections"));
        }
        return List.copyOf(specs);
    }

    private static MeterSpec gauge(String name, String description, ToDoubleFunction<Statistics> value) {
        return new MeterSpec(name, description, true, Tags.empty(), value, null, false, null);
    }

    private static MeterSpec counter(String name, String description, Tags tags, Counter counter) {
        return new MeterSpec(name, description, false, tags, s -> s.count(counter), counter, false, null);
    }

    private static MeterSpec otelGauge(String name, String description, Tags tags, ToDoubleFunction<Statistics> value,
            String unit) {
        return new MeterSpec(name, description, true, tags, value, null, true, unit);
    }
}
