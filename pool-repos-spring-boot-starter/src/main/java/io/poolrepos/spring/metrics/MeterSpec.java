package io.poolrepos.spring.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Tags;
import io.poolrepos.Statistics;

/**
 * One meter kept per name: its name, description, kind, extra tags and the figure it reads. The list
 * is the single place that says which meters exist (the README copies it). Immutable.
 */
record MeterSpec(String name, String description, boolean gauge, Tags tags, ToDoubleFunction<Statistics> value) {

    static final String ACQUIRE_TIMER = "pool.repos.acquire";
    static final String CONNECT_TIMER = "pool.repos.connect";

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
            counter("pool.repos.gets", GETS,
                    Tags.of("result", "hit"), Statistics::getHits),
            counter("pool.repos.gets", GETS,
                    Tags.of("result", "miss"), Statistics::getMisses),
            counter("pool.repos.shares", "Leases handed out by share", Tags.empty(), Statistics::shares),
            counter("pool.repos.connections.added", "Connections put into the pool by add and kept idle", Tags.empty(),
                    Statistics::added),
            counter("pool.repos.connections.adopted", "Connections the pool saw for the first time in add",
                    Tags.empty(), Statistics::adopted),
            counter("pool.repos.connections.created", "Connections opened by the pool's connection factory",
                    Tags.empty(), Statistics::created),
            counter("pool.repos.connections.closed.dead", "Connections closed because they were found dead",
                    Tags.empty(), Statistics::closedDead),
            counter("pool.repos.connections.evicted", EVICTED,
                    Tags.of("reason", "idle"), Statistics::evictedIdle),
            counter("pool.repos.connections.evicted", EVICTED,
                    Tags.of("reason", "lifetime"), Statistics::evictedLifetime),
            counter("pool.repos.connections.overflowed", "Connections closed because keeping them exceeded a limit",
                    Tags.empty(), Statistics::overflowed),
            counter("pool.repos.connections.discarded", "Connections closed on purpose: discard, drain or close",
                    Tags.empty(), Statistics::discarded),
            counter("pool.repos.connections.rejected", "Calls of add or discard that were rejected", Tags.empty(),
                    Statistics::rejected),
            counter("pool.repos.leaks", "Connections reported as possible leaks", Tags.empty(), Statistics::leaks),
            counter("pool.repos.acquire.timeouts", "Calls of acquire that timed out", Tags.empty(),
                    Statistics::acquireTimeouts),
            counter("pool.repos.connect.failures", "Calls of the connection factory that failed", Tags.empty(),
                    Statistics::connectFailures));

    private static MeterSpec gauge(String name, String description, ToDoubleFunction<Statistics> value) {
        return new MeterSpec(name, description, true, Tags.empty(), value);
    }

    private static MeterSpec counter(String name, String description, Tags tags, ToDoubleFunction<Statistics> value) {
        return new MeterSpec(name, description, false, tags, value);
    }
}
