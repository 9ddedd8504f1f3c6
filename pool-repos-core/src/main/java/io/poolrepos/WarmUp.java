package io.poolrepos;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The warm-up of some names of one pool, as started by {@link ConnectionPool#warm}: what is warm so
 * far, and a future to wait on.
 *
 * <p>A name is <em>warm</em> once it has had {@link PoolSettings#minIdlePerName()} idle connections
 * since the warm-up began; it stays warm in this sense when traffic later borrows them (the pool keeps
 * topping it up, but readiness does not flicker with load). A name whose connects fail is not warm and
 * is retried no sooner than {@linkplain PoolSettings#connectBackoff() connect backoff} allows.
 *
 * <p>Thread-safe: a live view, read from any thread.
 */
public interface WarmUp {

    /** The pool being warmed. */
    String poolName();

    /** The names of this warm-up, in the order given. */
    List<String> names();

    /** The names that have not been warm yet, in the order given; empty once the warm-up is complete. */
    List<String> notWarm();

    /** Whether every name has been warm. */
    default boolean isWarm() {
        return notWarm().isEmpty();
    }

    /**
     * Why {@code name} is not warm yet: the last failure of its warm-up (a connect failure, a name limit),
     * cleared when the name becomes warm. Empty for a name that is warm, still connecting, or not of this
     * warm-up.
     */
    Optional<Throwable> lastFailure(String name);

    /**
     * Completes normally once every name has been warm; completes exceptionally with a
     * {@link PoolClosedException} when the pool closes first. A failing backend does not complete it:
     * wait with a timeout. Completed on the repository's warm-up thread, so dependent stages should not
     * block.
     */
    CompletableFuture<Void> whenWarm();
}
