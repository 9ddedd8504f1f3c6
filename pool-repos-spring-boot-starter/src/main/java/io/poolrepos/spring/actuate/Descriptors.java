package io.poolrepos.spring.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.poolrepos.Counter;
import io.poolrepos.NameMasking;
import io.poolrepos.Statistics;
import io.poolrepos.NameSnapshot;
import io.poolrepos.PoolLimits;
import io.poolrepos.PoolOperations;
import io.poolrepos.PoolSettings;
import io.poolrepos.PoolSnapshot;

/**
 * Turns the core's snapshots into the endpoint's JSON shapes. Plain ordered maps rather than
 * descriptor classes: the counts are written flat beside the pool or name, and durations as
 * ISO-8601 text, whatever JSON mapper the application configured. Pool names and names with user
 * info are masked.
 */
final class Descriptors {

    private Descriptors() {
    }

    /**
     * A pool; {@code connect} (how it connects) is shown when not null, and so are the entries of
     * {@code state} (see {@link #state}).
     */
    static Map<String, Object> pool(PoolSnapshot snapshot, Map<String, Object> connect, Map<String, Object> state,
            boolean withNames) {
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("pool", NameMasking.mask(snapshot.poolName()));
        pool.put("connectionType", snapshot.connectionType().getName());
        pool.put("sharable", snapshot.settings().sharable());
        pool.put("closed", snapshot.closed());
        if (connect != null) {
            pool.put("connect", connect);
        }
        pool.put("nameCount", snapshot.names().size());
        pool.put("settings", settings(snapshot.settings()));
        if (state != null) {
            pool.putAll(state);
        }
        pool.put("totals", counts(snapshot.totals()));
        if (withNames) {
            List<Map<String, Object>> names = new ArrayList<>(snapshot.names().size());
            for (NameSnapshot name : snapshot.names()) {
                names.add(name(null, name.name(), name.counts()));
            }
            pool.put("names", names);
        }
        return pool;
    }

    /** One name's row; {@code poolName} is left out when null (rows inside a pool). */
    static Map<String, Object> name(String poolName, String name, Statistics counts) {
        Map<String, Object> row = new LinkedHashMap<>();
        if (poolName != null) {
            row.put("pool", NameMasking.mask(poolName));
        }
        row.put("name", NameMasking.mask(name));
        row.putAll(counts(counts));
        return row;
    }

    /** The state figures, every {@link Counter} under its key, and {@code gets} (hits + misses). */
    static Map<String, Object> counts(Statistics c) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("idle", c.idle());
        counts.put("inUse", c.inUse());
        counts.put("sharedConnections", c.sharedConnections());
        counts.put("activeShares", c.activeShares());
        counts.put("waiting", c.waiting());
        counts.put("gets", c.getHits() + c.getMisses());
        for (Counter counter : Counter.values()) {
            counts.put(counter.key(), c.count(counter));
        }
        return counts;
    }

    static Map<String, Object> settings(PoolSettings s) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("sharable", s.sharable());
        settings.put("maxIdlePerName", s.maxIdlePerName());
        settings.put("minIdlePerName", s.minIdlePerName());
        settings.put("maxOpenPerName", s.maxOpenPerName());
        settings.put("maxIdleInPool", s.maxIdleInPool());
        settings.put("maxOpenInPool", s.maxOpenInPool());
        settings.put("maxNames", s.maxNames());
        settings.put("maxSharersPerConnection", s.maxSharersPerConnection());
        settings.put("idleTimeout", s.idleTimeout().toString());
        settings.put("maxLifetime", s.maxLifetime().toString());
        settings.put("acquireTimeout", s.acquireTimeout().toString());
        settings.put("maxWaitersPerName", s.maxWaitersPerName());
        settings.put("leakDetectionThreshold", s.leakDetectionThreshold().toString());
        settings.put("idleOrder", s.idleOrder().name());
        settings.put("probeAfterIdle", s.probeAfterIdle().toString());
        settings.put("connectBackoff", s.connectBackoff().toString());
        settings.put("connectBackoffMax", s.connectBackoffMax().toString());
        return settings;
    }

    /**
     * What operators changed and can change: {@code suspended}, {@code suspendMode} ({@code wait},
     * {@code fail-fast}, or null while not suspended), the current {@code limits}, and the last
     * {@code operations} done through the endpoint (newest first).
     */
    static Map<String, Object> state(PoolOperations operations, List<Map<String, Object>> recent) {
        Map<String, Object> state = new LinkedHashMap<>();
        Optional<PoolOperations.SuspendMode> mode = operations.suspension();
        state.put("suspended", mode.isPresent());
        state.put("suspendMode", mode.map(OperationRequest::text).orElse(null));
        state.put("limits", limits(operations.limits()));
        state.put("operations", recent);
        return state;
    }

    static Map<String, Object> limits(PoolLimits l) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxOpenPerName", l.maxOpenPerName());
        limits.put("maxIdlePerName", l.maxIdlePerName());
        limits.put("maxIdleInPool", l.maxIdleInPool());
        limits.put("maxOpenInPool", l.maxOpenInPool());
        limits.put("maxWaitersPerName", l.maxWaitersPerName());
        limits.put("acquireTimeout", l.acquireTimeout().toString());
        return limits;
    }

    static Map<String, Object> drained(String poolName, String name, int closed) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pool", NameMasking.mask(poolName));
        result.put("name", NameMasking.mask(name));
        result.put("closed", closed);
        return result;
    }
}
