package io.poolrepos;

import java.lang.System.Logger.Level;

/**
 * The pool's rules for whether a connection may be kept idle, handed out or shared: dead (by the
 * adapter's checks, where a check that throws counts as failed), idle too long, or past its lifetime.
 * Each rule is written here once; callers decide what to do with the verdict. Thread-safe.
 */
final class Fitness<C> {

    private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());

    private final ConnectionAdapter<C> adapter;
    private final String poolName;
    private final boolean sharable;
    private final long idleTimeoutNanos;
    private final long maxLifetimeNanos;
    /** The most a connection's lifetime is shortened by, so that connections made together do not expire together. */
    private final long lifetimeJitterNanos;
    /**
     * How long after a clean give-back a hand-out may skip the thorough check; zero where skipping
     * would save nothing (no thorough check of its own, or a sharable pool, which never runs it), so
     * that such pools never read the precise clock for it.
     */
    private final long probeAfterIdleNanos;
    private final Clock clock;

    Fitness(ConnectionAdapter<C> adapter, String poolName, PoolSettings settings, Clock clock) {
        this.adapter = adapter;
        this.poolName = poolName;
        this.sharable = settings.sharable();
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
        this.maxLifetimeNanos = settings.maxLifetime().toNanos();
        this.lifetimeJitterNanos = maxLifetimeNanos / 40;
        this.probeAfterIdleNanos = sharable || !hasThoroughCheck(adapter) ? 0 : settings.probeAfterIdle().toNanos();
        this.clock = clock;
    }

    /** Whether the adapter's {@code isUsable} is its own, not the interface's default that calls {@code isAlive}. */
    private static boolean hasThoroughCheck(ConnectionAdapter<?> adapter) {
        try {
            return adapter.getClass().getMethod("isUsable", Object.class).getDeclaringClass() != ConnectionAdapter.class;
        } catch (NoSuchMethodException ex) {
            return true;
        }
    }

    /**
     * Why a connection given back must not be kept idle, or null if it may: dead (the thorough check,
     * where it is safe), then past its lifetime. The caller holds it alone.
     */
    CloseCause toKeep(PooledConnection<C> e, long now) {
        if (!isUsable(e.connection)) {
            return CloseCause.DEAD;
        }
        if (pastLifetime(e, now)) {
            return CloseCause.LIFETIME;
        }
        return null;
    }

    /**
     * The time a give-back stamps a connection with, and checks it at: precise where a hand-out decides
     * on the probe window by that stamp, coarse elsewhere. A coarse stamp is early by up to a tick of
     * the housekeeping thread, more when that thread is late on a busy machine; hand-outs would then
     * probe connections given back moments ago, and the window would save nothing when it matters.
     */
    long giveBackTime() {
        return probeAfterIdleNanos > 0 ? clock.preciseNow() : clock.now();
    }

    /**
     * Why an idle connection this thread has claimed must not be handed out for exclusive use, or
     * null if it may. The thorough check runs unless the connection became idle less than
     * {@link PoolSettings#probeAfterIdle()} ago: the give-back that made it idle ran it then. That
     * give-back stamped it with the precise time taken before its check ({@link #giveBackTime}); the
     * precise clock decides, since the coarse one lags when the housekeeping thread is late, and a
     * lagging clock would stretch the window. Stamps other than a give-back's (a new connection's,
     * a loan's start) are never later than the precise time either, so the window never grows.
     */
    CloseCause toHandOut(PooledConnection<C> e, long now) {
        long stamp = e.stamp;
        boolean thorough = now - stamp >= probeAfterIdleNanos || clock.preciseNow() - stamp >= probeAfterIdleNanos;
        return toLend(e, now, true, thorough);
    }

    /**
     * Why an idle connection, shared or not, must not stay in service (get a sharer, or be kept by
     * housekeeping), or null if it may: lifetime and liveness always (the cheap check: others may be
     * using it), the idle timeout only when nobody shares it (it stops counting while it is shared).
     */
    CloseCause toStay(PooledConnection<C> e, long now, boolean unshared) {
        return toLend(e, now, unshared, false);
    }

    private CloseCause toLend(PooledConnection<C> e, long now, boolean idleMatters, boolean thorough) {
        if (pastLifetime(e, now)) {
            return CloseCause.LIFETIME;
        }
        if (idleMatters && idleTimeoutNanos > 0 && now - e.stamp >= idleTimeoutNanos) {
            return CloseCause.IDLE_TIMEOUT;
        }
        if (!(thorough ? isUsable(e.connection) : isAlive(e.connection))) {
            return CloseCause.DEAD;
        }
        return null;
    }

    /**
     * Whether the connection outlived its own lifetime: the max lifetime shortened by up to 2.5 % (as
     * the well-known JDBC pools do), by an amount fixed per connection and drawn from its record's
     * identity hash, so that no field is needed and connections made together expire over a spread.
     * Young connections are told apart by one comparison; only those near the end hash.
     */
    private boolean pastLifetime(PooledConnection<C> e, long now) {
        if (maxLifetimeNanos <= 0) {
            return false;
        }
        long age = now - e.createdAt;
        return age >= maxLifetimeNanos - lifetimeJitterNanos && age >= maxLifetimeNanos - jitter(e);
    }

    private long jitter(PooledConnection<C> e) {
        return (long) ((System.identityHashCode(e) & Integer.MAX_VALUE) / (double) Integer.MAX_VALUE * lifetimeJitterNanos);
    }

    /** The adapter's cheap check; one that throws counts as "dead". */
    private boolean isAlive(C connection) {
        try {
            return adapter.isAlive(connection);
        } catch (RuntimeException ex) {
            LOG.log(Level.DEBUG, () -> "isAlive threw for a connection of pool '" + NameMasking.mask(poolName) + "'", ex);
            return false;
        }
    }

    /**
     * The adapter's thorough check, where it is safe. Connections of a sharable pool commonly carry a
     * reader thread of the application (to multiplex replies) even while idle, and a probe that
     * switches blocking mode would wait for that reader forever; so sharable pools get the cheap
     * check only.
     */
    private boolean isUsable(C connection) {
        if (sharable) {
            return isAlive(connection);
        }
        try {
            return adapter.isUsable(connection);
        } catch (RuntimeException ex) {
            LOG.log(Level.DEBUG, () -> "isUsable threw for a connection of pool '" + NameMasking.mask(poolName) + "'", ex);
            return false;
        }
    }
}
