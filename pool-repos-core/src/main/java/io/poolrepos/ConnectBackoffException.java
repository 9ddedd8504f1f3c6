package io.poolrepos;

import java.time.Duration;

/**
 * Thrown by {@code acquire} at once, without connecting, while the name is in connect backoff: its
 * last connects failed, and the next attempt is not due yet (or another caller is making it). The
 * cause is the last connect's failure. A {@link ConnectFailedException}, so that callers that handle
 * failed connects handle this one too. Immutable and thread-safe.
 */
public final class ConnectBackoffException extends ConnectFailedException {

    private static final long serialVersionUID = 1L;

    private final Duration retryIn;
    private final int failures;

    ConnectBackoffException(String poolName, String name, Duration retryIn, int failures, Throwable lastError) {
        super(poolName, name, (retryIn.isZero() ? "another caller is trying to connect again now"
                : "not connecting for another " + retryIn.toMillis() + " ms") + " (connect backoff after " + failures
                + " failed connect" + (failures == 1 ? "" : "s") + " in a row; the last: "
                + NameMasking.maskWithin(String.valueOf(lastError), name) + ")", lastError);
        this.retryIn = retryIn;
        this.failures = failures;
    }

    /** How long until the next connect is allowed, as of the failure; zero when another caller is making it. */
    public Duration getRetryIn() {
        return retryIn;
    }

    /** Failed connects in a row so far. */
    public int getFailures() {
        return failures;
    }
}
