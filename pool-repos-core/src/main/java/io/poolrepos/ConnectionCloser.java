package io.poolrepos;

import java.lang.System.Logger.Level;

/**
 * Closes connections through the pool's {@link ConnectionAdapter}, made safe: a close that throws is
 * logged, never passed on (the connection counts as closed anyway). Thread-safe.
 */
final class ConnectionCloser<C> {

    private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());

    private final ConnectionAdapter<C> adapter;
    private final String poolName;

    ConnectionCloser(ConnectionAdapter<C> adapter, String poolName) {
        this.adapter = adapter;
        this.poolName = poolName;
    }

    ConnectionAdapter<C> adapter() {
        return adapter;
    }

    Class<C> connectionType() {
        return adapter.connectionType();
    }

    void closeQuietly(C connection) {
        try {
            adapter.close(connection);
        } catch (Exception ex) {
            LOG.log(Level.DEBUG, () -> "Closing a connection of pool '" + NameMasking.mask(poolName) + "' failed", ex);
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
