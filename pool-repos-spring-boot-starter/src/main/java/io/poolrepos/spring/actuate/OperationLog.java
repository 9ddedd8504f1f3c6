package io.poolrepos.spring.actuate;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.poolrepos.NameMasking;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The operations done on each pool through the endpoint: each is logged (who, what, on which pool)
 * and the last {@link #KEPT} per pool are kept for the endpoint to show, newest first. Pool names,
 * names and principals with user info are masked before they are logged or kept. Thread-safe.
 */
final class OperationLog {

    /** Operations kept per pool. */
    static final int KEPT = 10;

    private static final Log LOG = LogFactory.getLog(PoolReposEndpoint.class);

    private final Clock clock;
    private final Map<String, Deque<Map<String, Object>>> byPool = new ConcurrentHashMap<>();

    OperationLog(Clock clock) {
        this.clock = clock;
    }

    /** Logs and keeps an operation done: {@code change} says what changed ("maxOpenPerName 16 → 4"). */
    void done(String pool, String operation, String by, String change) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", clock.instant().toString());
        entry.put("by", NameMasking.mask(by));
        entry.put("operation", operation);
        entry.put("change", change);
        LOG.info("Pool '" + NameMasking.mask(pool) + "': " + operation + " by " + entry.get("by") + ": " + change);
        Deque<Map<String, Object>> entries = byPool.computeIfAbsent(pool, p -> new ArrayDeque<>());
        synchronized (entries) {
            entries.addFirst(Collections.unmodifiableMap(entry));
            if (entries.size() > KEPT) {
                entries.removeLast();
            }
        }
    }

    /** Logs an operation refused for bad input; nothing changed, so it is not kept. */
    void refused(String pool, String operation, String by, String reason) {
        LOG.info("Pool '" + NameMasking.mask(pool) + "': " + operation + " by " + NameMasking.mask(by)
                + " refused: " + reason);
    }

    /** The last operations on {@code pool}, newest first. */
    List<Map<String, Object>> recent(String pool) {
        Deque<Map<String, Object>> entries = byPool.get(pool);
        if (entries == null) {
            return List.of();
        }
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }
}
