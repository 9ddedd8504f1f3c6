package io.poolrepos.benchmarks;

/**
 * What the get + add scenarios need from a pool: take an idle connection of a name for exclusive use
 * and give it back. One small adapter per implementation; a handle is whatever that implementation
 * hands out (a connection, a bag entry, a reactor {@code PooledRef}). Implementations are thread-safe.
 */
interface ExclusivePool extends AutoCloseable {

    /** Takes an idle connection of {@code name}; null when none is idle (never for a prefilled name). */
    Object get(String name);

    /** Gives back a handle that {@link #get} returned for {@code name}. */
    void add(String name, Object handle);

    /** The dummy connection behind a handle, so tests can tell connections apart; by default the handle itself. */
    default Conn connection(Object handle) {
        return (Conn) handle;
    }

    @Override
    void close();
}
