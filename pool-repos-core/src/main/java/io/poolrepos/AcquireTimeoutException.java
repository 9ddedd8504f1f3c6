package io.poolrepos;

import java.time.Duration;

/**
 * Thrown by {@code acquire} (and by {@code share} on a pool that connects) when no connection came
 * free and none could be opened within the pool's acquire timeout. Carries the counts of the name at the moment of failure, as an estimate
 * taken without stopping traffic. Immutable and thread-safe.
 */
public class AcquireTimeoutException extends PoolReposException {

    private static final long serialVersionUID = 1L;

    private final String poolName;
    private final String name;
    private final Duration timeout;
    private final int idle;
    private final int inUse;
    private final int waiting;

    AcquireTimeoutException(String poolName, String name, Duration timeout, int idle, int inUse, int waiting,
            int maxOpenPerName, SettingNames settings) {
        this(poolName, name, timeout, idle, inUse, waiting, "maxOpenPerName=" + maxOpenPerName
                + "). Give connections back sooner, raise " + settings.of("maxOpenPerName") + " or "
                + settings.of("acquireTimeout") + ".");
    }

    /** @param limitAndAdvice the limit that was reached, a closing parenthesis, and what to raise */
    AcquireTimeoutException(String poolName, String name, Duration timeout, int idle, int inUse, int waiting,
            String limitAndAdvice) {
        this("Pool '" + NameMasking.mask(poolName) + "', name '" + NameMasking.mask(name) + "': acquire timed out after "
                + timeout.toMillis() + "ms (idle=" + idle + ", inUse=" + inUse + ", waiting=" + waiting + ", "
                + limitAndAdvice, poolName, name, timeout, idle, inUse, waiting);
    }

    /** The timeout of a caller that waited for a suspended pool to be resumed ({@link PoolOperations#suspend}). */
    static AcquireTimeoutException suspended(String poolName, String name, Duration timeout) {
        return new AcquireTimeoutException("Pool '" + NameMasking.mask(poolName) + "', name '" + NameMasking.mask(name)
                + "': acquire timed out after " + timeout.toMillis() + "ms while the pool was suspended by an operator;"
                + " it hands out connections again once resumed (PoolOperations.resume).", poolName, name, timeout, 0, 0, 0);
    }

    private AcquireTimeoutException(String message, String poolName, String name, Duration timeout, int idle,
            int inUse, int waiting) {
        super(message);
        this.poolName = poolName;
        this.name = name;
        this.timeout = timeout;
        this.idle = idle;
        this.inUse = inUse;
        this.waiting = waiting;
    }

    public String getPoolName() {
        return poolName;
    }

    public String getName() {
        return name;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public int getIdle() {
        return idle;
    }

    public int getInUse() {
        return inUse;
    }

    public int getWaiting() {
        return waiting;
    }
}
