package io.poolrepos.spring.actuate;

import java.security.Principal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.poolrepos.ConnectionPool;
import io.poolrepos.NameMasking;
import io.poolrepos.NameStatistics;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * Actuator endpoint {@code poolrepos}: every pool with its settings, totals and operational state
 * (suspension, current limits, last operations), one pool with a row per name, one name; delete
 * operations that drain (close the idle connections of) a pool or a name; and a write operation that
 * resizes, suspends, resumes or soft-evicts a pool ({@code POST /actuator/poolrepos/<pool>/<operation>},
 * see {@link #operate}). Its default access is read-only: draining and the write operation must be
 * granted with {@code management.endpoint.poolrepos.access=unrestricted}. Every operation done is
 * logged with its principal (or {@code anonymous}) and what changed. Names with user info are masked.
 *
 * <p>Read operations return {@code null} for an unknown pool or name, which the web layer answers with
 * 404; {@link PoolReposEndpointWebExtension} does the same for the delete operations, and answers a
 * refused write operation with its status and message. Thread-safe.
 */
@Endpoint(id = "poolrepos", defaultAccess = Access.READ_ONLY)
public class PoolReposEndpoint {

    private final PoolRepository repository;
    private final Function<String, Map<String, Object>> connects;
    private final OperationLog log = new OperationLog(Clock.systemUTC());

    /** An endpoint over {@code repository} that does not say how its pools connect. */
    public PoolReposEndpoint(PoolRepository repository) {
        this(repository, pool -> null);
    }

    /**
     * An endpoint over {@code repository}; {@code connects} tells, for a pool's name, how it connects
     * (shown as {@code connect}: the kind and, for TLS, the SSL bundle's name), or null to leave it out.
     */
    public PoolReposEndpoint(PoolRepository repository, Function<String, Map<String, Object>> connects) {
        this.repository = repository;
        this.connects = connects;
    }

    /** Every pool, in creation order, without per-name rows. */
    @ReadOperation
    public Map<String, Object> pools() {
        List<Map<String, Object>> pools = repository.snapshot().stream()
                .map(snapshot -> describe(snapshot, false))
                .toList();
        return Map.of("pools", pools);
    }

    /** One pool with a row per name sorted by name, or {@code null} when there is no such pool. */
    @ReadOperation
    public Map<String, Object> pool(@Selector String pool) {
        return find(pool).map(p -> describe(p.snapshot(), true)).orElse(null);
    }

    private Map<String, Object> describe(PoolSnapshot snapshot, boolean withNames) {
        String pool = snapshot.poolName();
        Map<String, Object> state = repository.find(pool)
                .map(p -> Descriptors.state(p.operations(), log.recent(pool))).orElse(null);
        return Descriptors.pool(snapshot, connects.apply(pool), state, withNames);
    }

    /**
     * One name of one pool, or {@code null} when either is unknown. The name is the rest of the path,
     * so that names containing {@code /} have a path too ({@code /actuator/poolrepos/web/host:80/api}).
     */
    @ReadOperation
    public Map<String, Object> name(@Selector String pool, @Selector(match = Match.ALL_REMAINING) String... name) {
        return statistics(pool, join(name))
                .map(statistics -> Descriptors.name(pool, statistics.name(), statistics.snapshot()))
                .orElse(null);
    }

    /** Closes every idle connection of a pool, or returns {@code null} when there is no such pool. */
    @DeleteOperation
    public Map<String, Object> drainPool(@Selector String pool) {
        return find(pool).map(p -> Descriptors.drained(pool, null, p.drainAll())).orElse(null);
    }

    /** Closes every idle connection of one name (the rest of the path), or returns {@code null} when either is unknown. */
    @DeleteOperation
    public Map<String, Object> drainName(@Selector String pool, @Selector(match = Match.ALL_REMAINING) String... name) {
        return statistics(pool, join(name))
                .map(statistics -> Descriptors.drained(pool, statistics.name(), find(pool).orElseThrow().drain(statistics.name())))
                .orElse(null);
    }

    /**
     * Runs an operation on a pool: {@code resize} (any of {@code maxOpenPerName}, {@code maxIdlePerName},
     * {@code maxIdleInPool}, {@code maxOpenInPool}, {@code maxWaitersPerName}, {@code acquireTimeout}; only those given
     * change), {@code suspend} ({@code mode}: {@code wait}, the default, or {@code fail-fast}),
     * {@code resume}, {@code evict} (soft eviction of {@code name}, or of every name without it).
     * Logged and kept with the principal, or {@code anonymous}.
     *
     * @return the pool, the operation, who did it, what changed, and the pool's state after it
     * @throws OperationRefusedException for an unknown pool, name or operation and for bad input;
     *     nothing changed
     */
    @WriteOperation
    public Map<String, Object> operate(@Selector String pool, @Selector String operation, @Nullable String name,
            @Nullable String mode, @Nullable String maxOpenPerName, @Nullable String maxIdlePerName,
            @Nullable String maxIdleInPool, @Nullable String maxOpenInPool, @Nullable String maxWaitersPerName,
            @Nullable String acquireTimeout, SecurityContext securityContext) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String[] names = {"name", "mode", "maxOpenPerName", "maxIdlePerName", "maxIdleInPool", "maxOpenInPool",
            "maxWaitersPerName", "acquireTimeout"};
        String[] values = {name, mode, maxOpenPerName, maxIdlePerName, maxIdleInPool, maxOpenInPool, maxWaitersPerName,
            acquireTimeout};
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                parameters.put(names[i], values[i]);
            }
        }
        Principal principal = securityContext == null ? null : securityContext.getPrincipal();
        String by = principal == null || principal.getName() == null ? "anonymous" : principal.getName();
        OperationRequest request = new OperationRequest(pool, operation, parameters);
        ConnectionPool<?> target = find(pool).orElseThrow(() -> new OperationRefusedException(404, pool, operation,
                "pool", "No pool '" + NameMasking.mask(pool) + "'. Pools: " + repository.pools().stream()
                        .map(p -> NameMasking.mask(p.poolName())).toList() + "."));
        OperationRequest.Outcome outcome;
        try {
            outcome = request.runOn(target);
        } catch (OperationRefusedException ex) {
            log.refused(pool, operation, by, ex.getMessage());
            throw ex;
        }
        log.done(pool, operation, by, outcome.change());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pool", NameMasking.mask(pool));
        result.put("operation", operation);
        result.put("by", NameMasking.mask(by));
        result.put("change", outcome.change());
        if (outcome.closedNow() != null) {
            result.put("closed", outcome.closedNow());
        }
        result.putAll(Descriptors.state(target.operations(), log.recent(pool)));
        return result;
    }

    /** The path segments of a name joined again; null for none. */
    private static String join(String... segments) {
        return segments == null || segments.length == 0 ? null : String.join("/", segments);
    }

    private Optional<ConnectionPool<?>> find(String pool) {
        return pool == null || pool.isBlank() ? Optional.empty() : repository.find(pool);
    }

    private Optional<NameStatistics> statistics(String pool, String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        return find(pool).flatMap(p -> p.statistics(name));
    }
}
