package io.poolrepos.spring.metrics;

/**
 * Which names {@link PoolReposMetrics} gives the meters: its own ({@code pool.repos.*}, every figure
 * the pool keeps), those of OpenTelemetry's database client connection-pool conventions
 * ({@code db.client.connection.*}, the figures the conventions define), or both. Immutable.
 */
public enum SemanticConventions {

    /** Only {@code pool.repos.*}: the default, so that dashboards on these names keep working. */
    POOL_REPOS,

    /** Only {@code db.client.connection.*}, for backends and dashboards that follow OpenTelemetry. */
    OTEL,

    /** Both sets, for moving dashboards from one to the other; every figure is then kept twice. */
    BOTH;

    boolean poolRepos() {
        return this != OTEL;
    }

    boolean otel() {
        return this != POOL_REPOS;
    }
}
