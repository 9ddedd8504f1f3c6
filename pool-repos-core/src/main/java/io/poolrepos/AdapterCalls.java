package io.poolrepos;

import java.lang.System.Logger.Level;

/**
 * The pool's calls into its {@link ConnectionAdapter}, made safe: a check that throws counts as a
 * failed check, and a close that throws is logged, never passed on (the connection counts as closed
 * anyway). Thread-safe.
 */
final class AdapterCalls<C> {

    private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());

    private final ConnectionAdapter<C> adapter;
    private final String poolName;
    private final boolean sharable;

    AdapterCalls(ConnectionAdapter<C> adapter, String poolName, boolean sharable) {
        this.adapter = adapter;
        this.poolName = poolName;
        this.sharable = sharable;
    }

    ConnectionAdapter<C> adapter() {
        return adapter;
    }

    Class<C> connectionType() {
        return adapter.connectionType();
    }

    boolean isAlive(C connection) {
        try {
            return adapter.isAlive(connection);
        } catch (RuntimeException ex) {
            LOG.log(Level.DEBUG, () -> "isAlive threw for a connection of pool '" + poolName + "'", ex);
            return false;
        }
    }

    /**
     * The thorough check, where it is safe. Connections of a sharable pool commonly carry a reader
     * thread of the application (to multiplex replies) even while idle, and a probe that switches
     * blocking mode would wait for that reader forever; so sharable pools get the cheap check only.
     */
    boolean isUsable(C connection) {
        if (sharable) {
            return isAlive(connection);
        }
        try {
            return adapter.isUsable(connection);
        } catch (RuntimeException ex) {
            LOG.log(Level.DEBUG, () -> "isUsable threw for a connection of pool '" + poolName + "'", ex);
            return false;
        }
    }

    void closeQuietly(C connection) {
        try {
            adapter.close(connection);
        } catch (Exception ex) {
            LOG.log(Level.DEBUG, () -> "Closing a connection of pool '" + poolName + "' failed", ex);
        }
    }

    /** Closes an object of the wrong type that a factory returned, if it can be closed at all. */
    void closeUnknown(Object connection) {
        if (connection instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ex) {
                LOG.log(Level.DEBUG, "Closing a mistyped connection failed", ex);
            }
        }
    }
}
