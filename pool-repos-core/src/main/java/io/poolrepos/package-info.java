/**
 * pool-repos: a repository of named client-connection pools.
 *
 * <p>A {@link io.poolrepos.PoolRepository} maps pool names to {@link io.poolrepos.ConnectionPool}s; a
 * pool maps each <em>name</em> (usually {@code host:port}) to the connections kept for it and lends
 * them out exclusively ({@code get}, {@code acquire}), takes them back ({@code add}), or leases
 * them to several threads at once ({@code share}, sharable pools only). Statistics are readable at
 * any time ({@link io.poolrepos.Statistics}); events reach a {@link io.poolrepos.PoolListener}.
 *
 * <p>Nothing in this package returns {@code null}: look-ups return {@link java.util.Optional}, and
 * no argument may be {@code null}. Every exception thrown on purpose extends
 * {@link io.poolrepos.PoolReposException}.
 */
package io.poolrepos;
