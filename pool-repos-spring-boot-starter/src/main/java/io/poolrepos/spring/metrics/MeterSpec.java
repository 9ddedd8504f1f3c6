package io.poolrepos.spring.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Tags;
import io.poolrepos.Counter;
import io.poolrepos.Statistics;

/**
 * One meter kept per name: its name, description, kind, extra tags and the figure it reads: a state
 * figure for a gauge, one {@link Counter} for a function counter. The list is the single place that
 * says which meters exist (the README copies it); every {@link Counter} has exactly one. Names avoid
 * the suffixes Prometheus reserves ({@code _total}, {@code _created}, {@code _count}, {@code _sum},
 * {@code _bucket}, {@code _info}), so that each exports under the name the README gives
 * ({@code PrometheusScrapeTests} checks the whole scrape). Immutable.
 */
record MeterSpec(String name, String description, boolean gauge, Tags tags, ToDoubleFunction<Statistics> value,
        Counter counter) {

    static final String ACQUIRE_TIMER = "pool.repos.acquire";
    static final String CONNECT_TIMER = "pool.repos.connect";
    static final String NAMES_GAUGE = "pool.repos.names";

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

    private static MeterSpec gauge(String name, String description, ToDoubleFunction<Statistics> value) {
        return new MeterSpec(name, description, true, Tags.empty(), value, null);
    }

    private static MeterSpec counter(String name, String description, Tags tags, Counter counter) {
        return new MeterSpec(name, description, false, tags, s -> s.count(counter), counter);
    }
}
