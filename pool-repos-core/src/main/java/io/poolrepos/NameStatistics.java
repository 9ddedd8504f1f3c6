package io.poolrepos;

/**
 * Live {@link Statistics} of one name of one pool. The object stays the same for as long as the name
 * exists in the pool, so it can back gauges; once {@link PoolListener#nameRemoved} reported it, its
 * figures stop changing (but for a miss, rejection or overflow already under way at that moment,
 * which the pool's totals count too) and a name that comes back gets a new object. Thread-safe.
 */
public interface NameStatistics extends Statistics {

    /** The pool this name belongs to. */
    String poolName();

    /** The name, for instance {@code "db1.example:5432"}. */
    String name();

    /**
     * How long until the next connect to this name is allowed, while it is in
     * {@linkplain PoolSettings#connectBackoff() connect backoff}: a connect failed and none succeeded
     * since. Zero when the next caller may try; empty when the name is not in backoff.
     */
    java.util.Optional<java.time.Duration> connectRetryIn();
}
