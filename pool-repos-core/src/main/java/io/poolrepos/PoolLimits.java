package io.poolrepos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits of a pool that {@link PoolOperations#resize} can change while the pool runs: the part of
 * its {@link PoolSettings} that is about how much, not how. Immutable and therefore thread-safe.
 *
 * <p>A {@link Builder} works on a copy of the pool's whole settings and builds them with
 * {@link PoolSettings.Builder}, so a new limit is checked exactly as at configuration time (ranges,
 * and limits that contradict each other, such as {@code maxIdlePerName} above {@code maxOpenPerName}).
 */
public final class PoolLimits {

    private final int maxOpenPerName;
    private final int maxIdlePerName;
    private final int maxIdleInPool;
    private final int maxOpenInPool;
    private final int maxWaitersPerName;
    private final Duration acquireTimeout;

    private PoolLimits(PoolSettings s) {
        this.maxOpenPerName = s.maxOpenPerName();
        this.maxIdlePerName = s.maxIdlePerName();
        this.maxIdleInPool = s.maxIdleInPool();
        this.maxOpenInPool = s.maxOpenInPool();
        this.maxWaitersPerName = s.maxWaitersPerName();
        this.acquireTimeout = s.acquireTimeout();
    }

    /** The limits of {@code settings}. */
    public static PoolLimits of(PoolSettings settings) {
        return new PoolLimits(Checks.notNull(settings, "settings"));
    }

    /** See {@link PoolSettings#maxOpenPerName()}. */
    public int maxOpenPerName() {
        return maxOpenPerName;
    }

    /** See {@link PoolSettings#maxIdlePerName()}. */
    public int maxIdlePerName() {
        return maxIdlePerName;
    }

    /** See {@link PoolSettings#maxIdleInPool()}. */
    public int maxIdleInPool() {
        return maxIdleInPool;
    }

    /** See {@link PoolSettings#maxOpenInPool()}. */
    public int maxOpenInPool() {
        return maxOpenInPool;
    }

    /** See {@link PoolSettings#maxWaitersPerName()}. */
    public int maxWaitersPerName() {
        return maxWaitersPerName;
    }

    /** See {@link PoolSettings#acquireTimeout()}. */
    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    /**
     * What changed from {@code before} to these limits, one {@code "name old → new"} per limit, in
     * declaration order; empty when nothing did.
     */
    public List<String> changesFrom(PoolLimits before) {
        String[] names = {"maxOpenPerName", "maxIdlePerName", "maxIdleInPool", "maxOpenInPool", "maxWaitersPerName",
            "acquireTimeout"};
        Object[] old = before.values();
        Object[] now = values();
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (!old[i].equals(now[i])) {
                changes.add(names[i] + " " + old[i] + " \u2192 " + now[i]);
            }
        }
        return changes;
    }

    private Object[] values() {
        return new Object[] {maxOpenPerName, maxIdlePerName, maxIdleInPool, maxOpenInPool, maxWaitersPerName,
            acquireTimeout};
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof PoolLimits other && changesFrom(other).isEmpty());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(values());
    }

    @Override
    public String toString() {
        return "PoolLimits{maxOpenPerName=" + maxOpenPerName + ", maxIdlePerName=" + maxIdlePerName
                + ", maxIdleInPool=" + maxIdleInPool + ", maxOpenInPool=" + maxOpenInPool + ", maxWaitersPerName="
                + maxWaitersPerName + ", acquireTimeout=" + acquireTimeout + "}";
    }

    /**
     * Changes some limits of a pool's current settings; what is not set stays as it is. Each setter
     * checks its value at once, as {@link PoolSettings.Builder}'s does. Not thread-safe: used by one
     * {@link PoolOperations#resize} call.
     */
    public static final class Builder {

        private final PoolSettings.Builder settings;

        Builder(PoolSettings current) {
            this.settings = PoolSettings.builder(current);
        }

        /** See {@link PoolSettings#maxOpenPerName()}; must be >= 0. */
        public Builder maxOpenPerName(int maxOpenPerName) {
            settings.maxOpenPerName(maxOpenPerName);
            return this;
        }

        /** See {@link PoolSettings#maxIdlePerName()}; must be between 0 and 1,024. */
        public Builder maxIdlePerName(int maxIdlePerName) {
            settings.maxIdlePerName(maxIdlePerName);
            return this;
        }

        /** See {@link PoolSettings#maxIdleInPool()}; must be >= 0. */
        public Builder maxIdleInPool(int maxIdleInPool) {
            settings.maxIdleInPool(maxIdleInPool);
            return this;
        }

        /** See {@link PoolSettings#maxOpenInPool()}; must be >= 0. */
        public Builder maxOpenInPool(int maxOpenInPool) {
            settings.maxOpenInPool(maxOpenInPool);
            return this;
        }

        /** See {@link PoolSettings#maxWaitersPerName()}; must be >= 0. */
        public Builder maxWaitersPerName(int maxWaitersPerName) {
            settings.maxWaitersPerName(maxWaitersPerName);
            return this;
        }

        /** See {@link PoolSettings#acquireTimeout()}; must not be negative. */
        public Builder acquireTimeout(Duration acquireTimeout) {
            settings.acquireTimeout(acquireTimeout);
            return this;
        }

        /** The pool's new settings, checked as a whole. */
        PoolSettings build() {
            return settings.build();
        }
    }
}
