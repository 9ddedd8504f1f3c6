package io.poolrepos.benchmarks;

/**
 * What the share + release scenario needs: lease a connection of a name that stays in the pool for
 * others to lease too, then give the lease back. Implementations are thread-safe.
 */
interface SharingPool extends AutoCloseable {

    /** Leases a connection of {@code name}; null when there is none. */
    Object share(String name);

    /** Gives back a lease that {@link #share} returned. */
    void release(Object lease);

    /** The dummy connection behind a lease; by default the lease itself. */
    default Conn leasedConnection(Object lease) {
        return (Conn) lease;
    }

    @Override
    void close();
}
