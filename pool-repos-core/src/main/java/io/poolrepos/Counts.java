package io.poolrepos;

import java.util.Arrays;

/**
 * An immutable copy of a {@link Statistics}, taken by {@link Statistics#snapshot()}: every figure
 * read at once. Each figure is documented on the {@link Statistics} method of the same name and on
 * {@link Counter}. Immutable and thread-safe; two copies with the same figures are equal.
 */
public final class Counts implements Statistics {

    private final int idle;
    private final int inUse;
    private final int sharedConnections;
    private final int activeShares;
    private final int waiting;
    /** Indexed by {@link Counter#ordinal()}. */
    private final long[] counts;

    /** Takes {@code counts} (one per {@link Counter}, in declaration order) without copying it. */
    Counts(int idle, int inUse, int sharedConnections, int activeShares, int waiting, long[] counts) {
        this.idle = idle;
        this.inUse = inUse;
        this.sharedConnections = sharedConnections;
        this.activeShares = activeShares;
        this.waiting = waiting;
        this.counts = counts;
    }

    @Override
    public int idle() {
        return idle;
    }

    @Override
    public int inUse() {
        return inUse;
    }

    @Override
    public int sharedConnections() {
        return sharedConnections;
    }

    @Override
    public int activeShares() {
        return activeShares;
    }

    @Override
    public int waiting() {
        return waiting;
    }

    @Override
    public long count(Counter counter) {
        return counts[counter.ordinal()];
    }

    /** Returns itself: a {@code Counts} already is a snapshot. */
    @Override
    public Counts snapshot() {
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counts c && idle == c.idle && inUse == c.inUse && sharedConnections == c.sharedConnections
                && activeShares == c.activeShares && waiting == c.waiting && Arrays.equals(counts, c.counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * (31 * idle + inUse) + sharedConnections) + activeShares) + waiting)
                + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Counts[idle=").append(idle).append(", inUse=").append(inUse)
                .append(", sharedConnections=").append(sharedConnections).append(", activeShares=").append(activeShares)
                .append(", waiting=").append(waiting);
        for (Counter counter : Counter.all()) {
            s.append(", ").append(counter.key()).append('=').append(counts[counter.ordinal()]);
        }
        return s.append(']').toString();
    }
}
