package io.poolrepos.spring.actuate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.poolrepos.ConnectionPool;
import io.poolrepos.NameStatistics;
import io.poolrepos.PoolRepository;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;

/**
 * Actuator endpoint {@code poolrepos}: every pool with its settings and totals, one pool with a row
 * per name, one name; and delete operations that drain (close the idle connections of) a pool or a
 * name. Its default access is read-only: draining must be granted with
 * {@code management.endpoint.poolrepos.access=unrestricted}. Names with user info are masked.
 *
 * <p>Read operations return {@code null} for an unknown pool or name, which the web layer answers with
 * 404; {@link PoolReposEndpointWebExtension} does the same for the delete operations. Thread-safe.
 */
@Endpoint(id = "poolrepos", defaultAccess = Access.READ_ONLY)
public class PoolReposEndpoint {

    private final PoolRepository repository;
    private final Function<String, Map<String, Object>> connects;

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
                .map(snapshot -> Descriptors.pool(snapshot, connects.apply(snapshot.poolName()), false))
                .toList();
        return Map.of("pools", pools);
    }

    /** One pool with a row per name sorted by name, or {@code null} when there is no such pool. */
    @ReadOperation
    public Map<String, Object> pool(@Selector String pool) {
        return find(pool).map(p -> Descriptors.pool(p.snapshot(), connects.apply(pool), true)).orElse(null);
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
