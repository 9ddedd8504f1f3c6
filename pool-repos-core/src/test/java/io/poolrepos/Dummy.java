package io.poolrepos;

/**
 * A connection that is only an object, for tests of the pool's own bookkeeping where a socket would
 * add nothing but file descriptors. The test says whether it is alive; the pool closes it through
 * {@link #ADAPTER}.
 */
final class Dummy {

    static final ConnectionAdapter<Dummy> ADAPTER = ConnectionAdapter.of(Dummy.class, d -> d.alive && !d.closed,
            d -> d.closed = true);

    volatile boolean alive = true;
    volatile boolean closed;
}
