package io.poolrepos;

import java.time.Duration;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

/**
 * The settings of one pool: limits, timeouts and order. Immutable once built, and therefore
 * thread-safe; build one with {@link #builder()} or copy and change one with {@link #builder(PoolSettings)}.
 *
 * <p>Every setting is checked where it is set, and limits that contradict each other are checked by
 * {@link Builder#build()}; both throw {@link InvalidArgumentException} naming the setting, the rule
 * and the value. A limit of {@code 0} means "no limit" where its description says so.
 */
public final class PoolSettings {

    /**
     * Highest accepted {@code maxIdlePerName}: {@code get} and {@code share} look at each idle place of
     * a name, so the cost of a call grows with this limit (never with the number of names).
     */
    static final int MAX_IDLE_PER_NAME = 1024;

    /** Highest accepted {@code maxSharersPerConnection}: what a connection's state word can count. */
    static final int MAX_SHARERS_PER_CONNECTION = PooledConnection.MAX_SHARERS;

    private static final PoolSettings DEFAULTS = new Builder().build();

    private final boolean sharable;
    private final int maxIdlePerName;
    private final int maxOpenPerName;
    private final int maxIdleInPool;
    private final int maxOpenInPool;
    private final int maxNames;
    private final int maxSharersPerConnection;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Duration acquireTimeout;
    private final int maxWaitersPerName;
    private final Duration leakDetectionThreshold;
    private final IdleOrder idleOrder;
    private final Duration probeAfterIdle;
    private final Duration connectBackoff;
    private final Duration connectBackoffMax;
    private final SettingNames settingNames;
    private final int minIdlePerName;

    private PoolSettings(Builder b) {
        this.sharable = b.sharable;
        this.maxIdlePerName = b.maxIdlePerName;
        this.maxOpenPerName = b.maxOpenPerName;
        this.maxIdleInPool = b.maxIdleInPool;
        this.maxOpenInPool = b.maxOpenInPool;
        this.maxNames = b.maxNames;
        this.maxSharersPerConnection = b.maxSharersPerConnection;
        this.idleTimeout = b.idleTimeout;
        this.maxLifetime = b.maxLifetime;
        this.acquireTimeout = b.acquireTimeout;
        this.maxWaitersPerName = b.maxWaitersPerName;
        this.leakDetectionThreshold = b.leakDetectionThreshold;
        this.idleOrder = b.idleOrder;
        this.probeAfterIdle = b.probeAfterIdle;
        this.connectBackoff = b.connectBackoff;
        this.connectBackoffMax = b.connectBackoffMax;
        this.settingNames = b.settingNames;
        this.minIdlePerName = b.minIdlePerName;
    }

    /** The defaults, as documented on each getter. */
    public static PoolSettings defaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from {@code base}. */
    public static Builder builder(PoolSettings base) {
        return new Builder(Checks.notNull(base, "base"));
    }

    /** Whether {@code share} may hand out connections that stay in the pool. Defaults to {@code false}. */
    public boolean sharable() {
        return sharable;
    }

    /**
     * Most idle connections kept per name; more are closed on {@code add}. {@code 0} keeps none.
     * Defaults to 8, or to {@code maxOpenPerName} when that is set lower.
     */
    public int maxIdlePerName() {
        return maxIdlePerName;
    }

    /**
     * Most open connections (idle, shared or in use) per name; {@code acquire} waits when it is reached
     * and {@code add} closes new connections beyond it. {@code 0} means no limit, the default.
     */
    public int maxOpenPerName() {
        return maxOpenPerName;
    }

    /** Most idle connections in the whole pool, over all names. {@code 0} means no limit, the default. */
    public int maxIdleInPool() {
        return maxIdleInPool;
    }

    /**
     * Most open connections (idle, shared or in use, and connects in progress) in the whole pool, over
     * all names; {@code 0} means no limit, the default. When a name needs a new connection at this
     * limit while other names hold idle connections, the oldest of those is closed to make room
     * (counted as evicted idle); otherwise {@code acquire} and {@code share} wait as at
     * {@code maxOpenPerName}, and are woken when any connection of the pool closes. {@code add} closes
     * new connections beyond it, as overflow. First come, first served holds within a name; callers of
     * different names waiting at this limit are served in no particular order.
     */
    public int maxOpenInPool() {
        return maxOpenInPool;
    }

    /** Most distinct names the pool holds at once, a guard against unbounded names. Defaults to 10,000. */
    public int maxNames() {
        return maxNames;
    }

    /** Most concurrent sharers of one connection in a sharable pool. Defaults to 16. */
    public int maxSharersPerConnection() {
        return maxSharersPerConnection;
    }

    /**
     * How long a connection may stay idle: one idle this long or longer is closed. {@link Duration#ZERO} means
     * forever. Defaults to 10 minutes.
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * How long a connection may live from when the pool first saw it: one this old or older is closed.
     * Each connection's own lifetime is shorter by up to 2.5 %, an amount fixed per connection, so
     * that connections made together (at start-up, after an outage) do not all expire at once.
     * {@link Duration#ZERO} means forever. Defaults to 30 minutes.
     */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /**
     * How long {@code acquire} (and {@code share} in a sharable pool with a factory) waits for a connection
     * at the {@code maxOpenPerName} or {@code maxOpenInPool} limit. Defaults to 30 seconds.
     */
    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    /**
     * Most callers waiting in {@code acquire} per name, and as many again in {@code share}; more fail at
     * once with a {@link WaiterLimitExceededException}. Waiters are served first come, first served. Defaults to
     * 10,000: enough for an application on virtual threads, where thousands of requests may wait for
     * a few dozen connections at once and each waiter costs a queue node rather than a thread; the
     * acquire timeout, not this limit, is what bounds a wait. Lower it to shed load early.
     */
    public int maxWaitersPerName() {
        return maxWaitersPerName;
    }

    /**
     * How long a connection may be out on exclusive loan before it is reported as a possible leak: a
     * loan this long or longer is reported (once, by the repository's housekeeping, so not at all in a
     * repository without it). {@link Duration#ZERO} turns leak detection off, the default.
     */
    public Duration leakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    /** Which idle connection {@code get} hands out first. Defaults to {@link IdleOrder#LIFO}. */
    public IdleOrder idleOrder() {
        return idleOrder;
    }

    /**
     * How long a connection must have been idle before {@code get} and {@code acquire} run the
     * adapter's thorough {@link ConnectionAdapter#isUsable} check on it again, in pools that are not
     * sharable. {@code add} runs that check whenever a connection comes back, so a connection taken
     * again within this time of a clean give-back gets only {@link ConnectionAdapter#isAlive}; one idle
     * longer is checked again. For sockets from {@link TcpConnectionFactory} the thorough check probes
     * the peer with a non-blocking read (five system calls, most of the pool's cost per request on
     * a loopback socket: BENCHMARKS.md, "What limits the goals not met"). What is detected: a peer's
     * close, reset or unasked bytes that arrived before the give-back (by {@code add}), or more than
     * this time after it (by {@code get}). What is not: a close that arrives within this time after
     * the give-back; the caller notices it on its first read, as it would a close that arrives just
     * after any check. A server closes idle connections after far longer than the default, so a
     * connection it closed for idleness is always checked again. Zero checks on every {@code get}.
     * Measured on the precise clock from the give-back's check, so a connection idle this long is
     * always checked and one given back more recently is not, whatever the housekeeping thread's
     * delay. Defaults to 20 ms.
     */
    public Duration probeAfterIdle() {
        return probeAfterIdle;
    }

    /**
     * How long {@code acquire} waits before it connects to a name again after a failed connect; zero
     * turns connect backoff off. Each further failure in a row doubles the wait, up to
     * {@link #connectBackoffMax()}, and each wait is drawn at random from the upper half of its step.
     * While a name is in backoff, callers that would connect fail at once with a
     * {@link ConnectBackoffException} (idle connections are still handed out); once the wait is over
     * one caller tries again, and its success ends the backoff. So a backend that is down gets a few
     * connects a second from the pool, not one per caller. Defaults to 100 ms.
     */
    public Duration connectBackoff() {
        return connectBackoff;
    }

    /** The longest wait of connect backoff. Defaults to 10 seconds. */
    public Duration connectBackoffMax() {
        return connectBackoffMax;
    }

    /** How this pool's messages name its settings (see {@link Builder#settingNames}). */
    SettingNames settingNames() {
        return settingNames;
    }

    /**
     * How many idle connections {@link ConnectionPool#warm warm-up} keeps open for each name it was
     * given: opened in the background before callers need them, and topped up by housekeeping after
     * evictions and closes, within {@code maxOpenPerName}, {@code maxIdleInPool} and connect backoff.
     * Names not given to {@code warm} are not kept warm. Defaults to 0; at most {@code maxIdlePerName}.
     */
    public int minIdlePerName() {
        return minIdlePerName;
    }

    /** The settings' names, in the order of {@link #values()}: one list for comparing and printing. */
    private static final String[] NAMES = {"sharable", "maxIdlePerName", "maxOpenPerName", "maxIdleInPool",
        "maxOpenInPool", "maxNames", "maxSharersPerConnection", "idleTimeout", "maxLifetime", "acquireTimeout",
        "maxWaitersPerName", "leakDetectionThreshold", "idleOrder", "probeAfterIdle", "connectBackoff",
        "connectBackoffMax", "minIdlePerName"};

    /** Names the first setting in which {@code this} and {@code other} differ, or {@code null} if none. */
    String firstDifference(PoolSettings other) {
        Object[] mine = values();
        Object[] theirs = other.values();
        for (int i = 0; i < mine.length; i++) {
            if (!mine[i].equals(theirs[i])) {
                return NAMES[i] + " (" + mine[i] + " vs " + theirs[i] + ")";
            }
        }
        return null;
    }

    private Object[] values() {
        return new Object[] {sharable, maxIdlePerName, maxOpenPerName, maxIdleInPool, maxOpenInPool, maxNames,
            maxSharersPerConnection, idleTimeout, maxLifetime, acquireTimeout, maxWaitersPerName,
            leakDetectionThreshold, idleOrder, probeAfterIdle, connectBackoff, connectBackoffMax, minIdlePerName};
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof PoolSettings other && firstDifference(other) == null);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values());
    }

    @Override
    public String toString() {
        Object[] values = values();
        StringJoiner settings = new StringJoiner(", ", "PoolSettings{", "}");
        for (int i = 0; i < values.length; i++) {
            settings.add(NAMES[i] + "=" + values[i]);
        }
        return settings.toString();
    }

    /**
     * Collects settings for {@link PoolSettings}. Each setter checks its value at once. Not thread-safe:
     * use a builder from one thread, then share the built, immutable settings.
     */
    public static final class Builder {

        private boolean sharable;
        private int maxIdlePerName = 8;
        /** Whether maxIdlePerName was set: a default above a smaller maxOpenPerName is lowered, not an error. */
        private boolean maxIdlePerNameSet;
        private int maxOpenPerName;
        private int maxIdleInPool;
        private int maxOpenInPool;
        private int maxNames = 10_000;
        private int maxSharersPerConnection = 16;
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private int maxWaitersPerName = 10_000;
        private Duration leakDetectionThreshold = Duration.ZERO;
        private IdleOrder idleOrder = IdleOrder.LIFO;
        private Duration probeAfterIdle = Duration.ofMillis(20);
        private Duration connectBackoff = Duration.ofMillis(100);
        private Duration connectBackoffMax = Duration.ofSeconds(10);
        private SettingNames settingNames = SettingNames.CORE;
        private int minIdlePerName;

        private Builder() {
        }

        private Builder(PoolSettings base) {
            this.sharable = base.sharable;
            this.maxIdlePerName = base.maxIdlePerName;
            this.maxIdlePerNameSet = true;
            this.maxOpenPerName = base.maxOpenPerName;
            this.maxIdleInPool = base.maxIdleInPool;
            this.maxOpenInPool = base.maxOpenInPool;
            this.maxNames = base.maxNames;
            this.maxSharersPerConnection = base.maxSharersPerConnection;
            this.idleTimeout = base.idleTimeout;
            this.maxLifetime = base.maxLifetime;
            this.acquireTimeout = base.acquireTimeout;
            this.maxWaitersPerName = base.maxWaitersPerName;
            this.leakDetectionThreshold = base.leakDetectionThreshold;
            this.idleOrder = base.idleOrder;
            this.probeAfterIdle = base.probeAfterIdle;
            this.connectBackoff = base.connectBackoff;
            this.connectBackoffMax = base.connectBackoffMax;
            this.settingNames = base.settingNames;
            this.minIdlePerName = base.minIdlePerName;
        }

        /** See {@link PoolSettings#sharable()}. */
        public Builder sharable(boolean sharable) {
            this.sharable = sharable;
            return this;
        }

        /** See {@link PoolSettings#maxIdlePerName()}; must be between 0 and 1,024. */
        public Builder maxIdlePerName(int maxIdlePerName) {
            this.maxIdlePerName = Checks.atMost(Checks.atLeast(maxIdlePerName, 0, "maxIdlePerName"),
                    MAX_IDLE_PER_NAME, "maxIdlePerName");
            this.maxIdlePerNameSet = true;
            return this;
        }

        /** See {@link PoolSettings#maxOpenPerName()}; must be >= 0. */
        public Builder maxOpenPerName(int maxOpenPerName) {
            this.maxOpenPerName = Checks.atLeast(maxOpenPerName, 0, "maxOpenPerName");
            return this;
        }

        /** See {@link PoolSettings#maxIdleInPool()}; must be >= 0. */
        public Builder maxIdleInPool(int maxIdleInPool) {
            this.maxIdleInPool = Checks.atLeast(maxIdleInPool, 0, "maxIdleInPool");
            return this;
        }

        /** See {@link PoolSettings#maxOpenInPool()}; must be >= 0. */
        public Builder maxOpenInPool(int maxOpenInPool) {
            this.maxOpenInPool = Checks.atLeast(maxOpenInPool, 0, "maxOpenInPool");
            return this;
        }

        /** See {@link PoolSettings#maxNames()}; must be >= 1. */
        public Builder maxNames(int maxNames) {
            this.maxNames = Checks.atLeast(maxNames, 1, "maxNames");
            return this;
        }

        /** See {@link PoolSettings#maxSharersPerConnection()}; must be between 1 and 1,073,741,823 (2<sup>30</sup> - 1). */
        public Builder maxSharersPerConnection(int maxSharersPerConnection) {
            this.maxSharersPerConnection = Checks.atMost(
                    Checks.atLeast(maxSharersPerConnection, 1, "maxSharersPerConnection"),
                    MAX_SHARERS_PER_CONNECTION, "maxSharersPerConnection");
            return this;
        }

        /** See {@link PoolSettings#idleTimeout()}; must not be negative. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Checks.duration(idleTimeout, "idleTimeout");
            return this;
        }

        /** See {@link PoolSettings#maxLifetime()}; must not be negative. */
        public Builder maxLifetime(Duration maxLifetime) {
            this.maxLifetime = Checks.duration(maxLifetime, "maxLifetime");
            return this;
        }

        /** See {@link PoolSettings#acquireTimeout()}; must not be negative. */
        public Builder acquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = Checks.duration(acquireTimeout, "acquireTimeout");
            return this;
        }

        /** See {@link PoolSettings#maxWaitersPerName()}; must be >= 0 ({@code 0}: never wait). */
        public Builder maxWaitersPerName(int maxWaitersPerName) {
            this.maxWaitersPerName = Checks.atLeast(maxWaitersPerName, 0, "maxWaitersPerName");
            return this;
        }

        /** See {@link PoolSettings#leakDetectionThreshold()}; must not be negative. */
        public Builder leakDetectionThreshold(Duration leakDetectionThreshold) {
            this.leakDetectionThreshold = Checks.duration(leakDetectionThreshold, "leakDetectionThreshold");
            return this;
        }

        /** See {@link PoolSettings#probeAfterIdle()}; must not be negative. */
        public Builder probeAfterIdle(Duration probeAfterIdle) {
            this.probeAfterIdle = Checks.duration(probeAfterIdle, "probeAfterIdle");
            return this;
        }

        /** See {@link PoolSettings#connectBackoff()}; must not be negative ({@code 0}: no backoff). */
        public Builder connectBackoff(Duration connectBackoff) {
            this.connectBackoff = Checks.duration(connectBackoff, "connectBackoff");
            return this;
        }

        /** See {@link PoolSettings#connectBackoffMax()}; must not be negative, nor below a non-zero {@code connectBackoff}. */
        public Builder connectBackoffMax(Duration connectBackoffMax) {
            this.connectBackoffMax = Checks.duration(connectBackoffMax, "connectBackoffMax");
            return this;
        }

        /**
         * Where these settings were written, for messages: {@code written} maps a setting's name as the
         * core spells it ({@code "acquireTimeout"}) to the name its value was written under
         * ({@code "pool-repos.pools.orders.acquire-timeout"}), and a message that advises changing a
         * setting names both. Null (the default), a null or blank answer, or a mapping that throws
         * leaves the core's name alone. Called only while a message is made, from any thread: it MUST be
         * thread-safe and quick, and MUST answer names without secrets (mask a pool name with user info
         * with {@link NameMasking#mask}), as messages show the answer as it is. It is no setting: {@link PoolSettings#equals} and
         * {@link PoolSettings#toString} ignore it.
         */
        public Builder settingNames(UnaryOperator<String> written) {
            this.settingNames = SettingNames.of(written);
            return this;
        }

        /** See {@link PoolSettings#minIdlePerName()}; must be between 0 and 1,024. */
        public Builder minIdlePerName(int minIdlePerName) {
            this.minIdlePerName = Checks.atMost(Checks.atLeast(minIdlePerName, 0, "minIdlePerName"),
                    MAX_IDLE_PER_NAME, "minIdlePerName");
            return this;
        }

        /** See {@link PoolSettings#idleOrder()}. */
        public Builder idleOrder(IdleOrder idleOrder) {
            this.idleOrder = Checks.notNull(idleOrder, "idleOrder");
            return this;
        }

        /**
         * Builds the settings after checking that the limits agree with each other.
         *
         * When {@code maxIdlePerName} was left at its default and {@code maxOpenPerName} is smaller, it is
         * lowered to {@code maxOpenPerName}.
         *
         * @throws InvalidArgumentException when a {@code maxIdlePerName} that was set exceeds a non-zero
         *     {@code maxOpenPerName}, {@code connectBackoffMax} is below a non-zero {@code connectBackoff},
         *     or {@code minIdlePerName} exceeds {@code maxIdlePerName}
         */
        public PoolSettings build() {
            if (!maxIdlePerNameSet && maxOpenPerName > 0 && maxIdlePerName > maxOpenPerName) {
                maxIdlePerName = maxOpenPerName;
            }
            if (maxOpenPerName > 0 && maxIdlePerName > maxOpenPerName) {
                throw new InvalidArgumentException("maxIdlePerName", "maxIdlePerName (" + maxIdlePerName
                        + ") must not exceed maxOpenPerName (" + maxOpenPerName + ")");
            }
            if (!connectBackoff.isZero() && connectBackoffMax.compareTo(connectBackoff) < 0) {
                throw new InvalidArgumentException("connectBackoffMax", "connectBackoffMax (" + connectBackoffMax
                        + ") must not be below connectBackoff (" + connectBackoff + ")");
            }
            if (minIdlePerName > maxIdlePerName) {
                throw new InvalidArgumentException("minIdlePerName", "minIdlePerName (" + minIdlePerName
                        + ") must not exceed maxIdlePerName (" + maxIdlePerName + "): warm-up keeps idle connections");
            }
            return new PoolSettings(this);
        }
    }
}
