package io.poolrepos;

import java.util.Locale;

/**
 * The events a pool counts, per name and in its totals; read one with {@link Statistics#count}.
 * Counts start at zero when the pool is created and never decrease. Immutable and thread-safe.
 *
 * <p>The books balance: {@code ADOPTED + CREATED == idle + inUse + CLOSED_DEAD + EVICTED_IDLE
 * + EVICTED_LIFETIME + OVERFLOWED + DISCARDED} once no call is in progress.
 */
public enum Counter {

    /**
     * Calls of {@code add} that kept the connection: left it idle in the pool, or handed it straight
     * to a caller waiting in {@code acquire}; a connection's first {@code add} included.
     */
    ADDED,
    /** Connections the pool saw for the first time in {@code add} (whatever became of them). */
    ADOPTED,
    /** Connections opened by the pool's {@link ConnectionFactory}. */
    CREATED,
    /** Calls of {@code get} or {@code acquire} that handed out an idle connection (for {@code acquire}, perhaps after waiting). */
    GET_HITS,
    /**
     * Calls of {@code get} that found no idle connection, and of {@code acquire} that opened one or
     * failed; {@code GET_HITS + GET_MISSES} counts every {@code get} and {@code acquire} on an open pool.
     */
    GET_MISSES,
    /** Leases handed out by {@code share}. */
    SHARES,
    /** Connections closed because they were found closed or dead. */
    CLOSED_DEAD,
    /** Connections closed because they were idle longer than the idle timeout. */
    EVICTED_IDLE,
    /** Connections closed because they outlived the max lifetime. */
    EVICTED_LIFETIME,
    /** Connections closed because keeping them would have exceeded a limit. */
    OVERFLOWED,
    /** Connections closed on purpose: {@code discard}, {@code drain}, or the pool closing. */
    DISCARDED,
    /** Calls of {@code add} or {@code discard} rejected with a {@link ConnectionRejectedException}. */
    REJECTED,
    /** Connections reported as possible leaks (out on loan past the leak-detection threshold). */
    LEAKS,
    /** Calls of {@code acquire} that failed with an {@link AcquireTimeoutException}. */
    ACQUIRE_TIMEOUTS,
    /** Calls of the {@link ConnectionFactory} that failed. */
    CONNECT_FAILURES,
    /**
     * Calls of {@code acquire} that failed at once with a {@link ConnectBackoffException}: the name
     * was in connect backoff, so the pool did not try to connect.
     */
    FAST_FAILURES;

    private static final Counter[] ALL = values();

    private final String key = camelCase(name());

    /** The counter's name in lower camel case, as reports write it: {@code "getHits"} for {@link #GET_HITS}. */
    public String key() {
        return key;
    }

    /** Every counter in declaration order, without the copy {@link #values()} makes (package use). */
    static Counter[] all() {
        return ALL;
    }

    private static String camelCase(String constant) {
        StringBuilder key = new StringBuilder(constant.length());
        boolean upper = false;
        for (char c : constant.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                key.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return key.toString();
    }
}
