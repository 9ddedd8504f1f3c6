package io.poolrepos;

/**
 * An immutable copy of a {@link Statistics}, taken by {@link Statistics#snapshot()}. Each component is
 * documented on the {@link Statistics} method of the same name. Thread-safe.
 */
public record Counts(int idle, int inUse, int sharedConnections, int activeShares, int waiting, long added,
        long adopted, long created, long getHits, long getMisses, long shares, long closedDead, long evictedIdle,
        long evictedLifetime, long overflowed, long discarded, long rejected, long leaks, long acquireTimeouts,
        long connectFailures) implements Statistics {

    /** Returns itself: a {@code Counts} already is a snapshot. */
    @Override
    public Counts snapshot() {
        return this;
    }
}
