package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One name's connect backoff: after a failed connect, further connects wait for a delay that doubles
 * with each failure in a row, from the pool's initial backoff up to its maximum, each drawn at random
 * from the upper half of that step (so that names and processes that failed together do not retry
 * together). Once the delay has passed, one caller may try again (the probe) while the others still
 * fail at once; the first success ends the backoff. Created for a name's first failed connect.
 * Thread-safe: lock-free.
 */
final class ConnectBackoff {

    /** What a caller about to connect may do. */
    enum Permit {
        /** No backoff: connect. */
        CONNECT,
        /** The delay has passed and this caller is the one to try again. */
        PROBE,
        /** In backoff, or another caller is probing: fail at once. */
        REFUSED
    }

    private static final VarHandle PROBING;

    static {
        try {
            PROBING = MethodHandles.lookup().findVarHandle(ConnectBackoff.class, "probing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long initialNanos;
    private final long maxNanos;
    /** Failed connects in a row; 0 means no backoff. Written last by a failure, so that its other fields are seen with it. */
    private volatile int failures;
    /** When (precise clock) the next attempt is allowed. */
    private volatile long retryAt;
    private volatile Throwable lastError;
    private volatile boolean probing;

    ConnectBackoff(long initialNanos, long maxNanos) {
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
    }

    Permit permit(long now) {
        if (failures == 0) {
            return Permit.CONNECT;
        }
        if (now - retryAt < 0) {
            return Permit.REFUSED;
        }
        return PROBING.compareAndSet(this, false, true) ? Permit.PROBE : Permit.REFUSED;
    }

    /** A connect succeeded: the backoff ends. */
    void succeeded(Permit permit) {
        if (failures != 0) {
            failures = 0;
            lastError = null;
        }
        if (permit == Permit.PROBE) {
            probing = false;
        }
    }

    /** A connect failed with {@code error} at {@code now}: the next attempt waits one step longer. */
    void failed(Permit permit, Throwable error, long now) {
        int n = failures + 1;
        // Doubles per failure up to the maximum; the shift stops growing long before it could overflow.
        long step = Math.min(maxNanos, initialNanos << Math.min(n - 1, 30));
        long delay = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        lastError = error;
        retryAt = now + delay;
        failures = n;
        if (permit == Permit.PROBE) {
            probing = false;
        }
    }

    int failures() {
        return failures;
    }

    Throwable lastError() {
        return lastError;
    }

    /** How long until the next attempt is allowed, zero when it is allowed now or there is no backoff. */
    long remainingNanos(long now) {
        return failures == 0 ? 0 : Math.max(0, retryAt - now);
    }
}
