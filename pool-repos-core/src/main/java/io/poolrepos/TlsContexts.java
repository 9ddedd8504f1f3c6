package io.poolrepos;

import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * The TLS context a {@link TlsConnectionFactory} makes connections with, and its generation: a number
 * that grows by one each time the context is replaced, so that a {@link TlsSocket} can tell whether it
 * was made with the current one. Thread-safe: context and number change together, in one swap.
 */
final class TlsContexts {

    /** A context and the generation it started. */
    record Generation(SSLContext context, long number) {
    }

    private final AtomicReference<Generation> current;

    TlsContexts(SSLContext first) {
        this.current = new AtomicReference<>(new Generation(first, 0));
    }

    Generation current() {
        return current.get();
    }

    long generation() {
        return current.get().number;
    }

    /** Starts a new generation with {@code context}. */
    void replace(SSLContext context) {
        current.updateAndGet(g -> new Generation(context, g.number + 1));
    }

    /** The current generation, after starting a new one if {@code supplied} is not its context. */
    Generation follow(SSLContext supplied) {
        return current.updateAndGet(g -> g.context == supplied ? g : new Generation(supplied, g.number + 1));
    }
}
