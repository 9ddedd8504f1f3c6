package io.poolrepos;

/**
 * Opens a connection of one name with the pool's {@link ConnectionFactory}, for room the caller
 * reserved ({@link NameCapacity#reserveOpen}): asks the name's connect backoff first, checks what the
 * factory returned, tracks it, and counts and reports the outcome. The caller decides what becomes of
 * the new connection (lent for exclusive use, or placed as shared). Thread-safe.
 */
final class Connector<C> {

    private final ConnectionPool<C> pool;
    private final PoolContext<C> context;
    private final Names<C> names;
    private final PoolEvents events;
    private final ConnectionFactory<? extends C> factory;
    private final long backoffNanos;
    private final long backoffMaxNanos;

    Connector(ConnectionPool<C> pool, PoolContext<C> context, Names<C> names, PoolEvents events,
            ConnectionFactory<? extends C> factory, PoolSettings settings) {
        this.pool = pool;
        this.context = context;
        this.names = names;
        this.events = events;
        this.factory = factory;
        this.backoffNanos = settings.connectBackoff().toNanos();
        this.backoffMaxNanos = settings.connectBackoffMax().toNanos();
    }

    /**
     * Opens a connection for room this thread reserved. On failure the room is given back (and
     * granted to a waiter) and nothing of the connection remains.
     *
     * @return its record, tracked and counted as created, in state TAKING without a place, owned by
     *     the caller
     * @throws ConnectBackoffException at once, while the name is in connect backoff
     * @throws ConnectFailedException when the factory failed or returned something unusable
     */
    PooledConnection<C> open(NameSlot<C> slot) {
        C c;
        long start = context.clock.preciseNow();
        ConnectBackoff backoff = slot.backoff();
        ConnectBackoff.Permit permit = backoff == null ? ConnectBackoff.Permit.CONNECT : backoff.permit(start);
        if (permit == ConnectBackoff.Permit.REFUSED) {
            slot.releaseOpen();
            names.count(slot, Counter.FAST_FAILURES);
            throw new ConnectBackoffException(context.poolName, slot.name,
                    java.time.Duration.ofNanos(backoff.remainingNanos(start)), backoff.failures(), backoff.lastError());
        }
        try {
            c = factory.connect(slot.name);
            if (c == null) {
                throw new IllegalStateException("ConnectionFactory returned null");
            }
            if (!context.closer.connectionType().isInstance(c)) {
                context.closer.closeUnknown(c);
                throw new IllegalStateException("ConnectionFactory returned a " + c.getClass().getName()
                        + ", but the pool holds " + context.closer.connectionType().getName());
            }
        } catch (Exception ex) {
            if (backoffNanos > 0) {
                slot.backoff(backoffNanos, backoffMaxNanos).failed(permit, ex, context.clock.preciseNow());
            }
            throw failed(slot, start, ex);
        }
        if (backoff != null) {
            backoff.succeeded(permit);
        }
        PooledConnection<C> e = new PooledConnection<>(c, slot, context.clock.now(), PooledConnection.TAKING);
        if (context.index.track(c, e) != null) {
            throw failed(slot, start,
                    new IllegalStateException("ConnectionFactory returned a connection the pool already holds"));
        }
        names.count(slot, Counter.CREATED);
        events.connectCompleted(pool, slot.name, context.clock.preciseNow() - start, true);
        return e;
    }

    private ConnectFailedException failed(NameSlot<C> slot, long start, Exception cause) {
        names.count(slot, Counter.CONNECT_FAILURES);
        slot.releaseOpen();
        events.connectCompleted(pool, slot.name, context.clock.preciseNow() - start, false);
        return new ConnectFailedException(context.poolName, slot.name, cause);
    }
}
