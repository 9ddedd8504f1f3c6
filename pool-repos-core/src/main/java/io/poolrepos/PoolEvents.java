package io.poolrepos;

import java.lang.System.Logger.Level;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of a repository, and the events its pools report to them. A listener that throws is
 * logged and otherwise ignored. Thread-safe.
 */
final class PoolEvents {

    /** The repository's logger, named as the interface users know (a name, so that this class does not depend on it). */
    private static final System.Logger LOG = System.getLogger("io.poolrepos.PoolRepository");

    private final CopyOnWriteArrayList<PoolListener> listeners = new CopyOnWriteArrayList<>();

    void add(PoolListener listener) {
        listeners.add(listener);
    }

    void remove(PoolListener listener) {
        listeners.remove(listener);
    }

    void poolCreated(ConnectionPool<?> pool) {
        fire(l -> l.poolCreated(pool));
    }

    void nameAdded(ConnectionPool<?> pool, NameStatistics name) {
        fire(l -> l.nameAdded(pool, name));
    }

    void nameRemoved(ConnectionPool<?> pool, NameStatistics name) {
        fire(l -> l.nameRemoved(pool, name));
    }

    void acquireCompleted(ConnectionPool<?> pool, String name, long nanos, PoolListener.AcquireOutcome outcome) {
        if (!listeners.isEmpty()) {
            fire(l -> l.acquireCompleted(pool, name, nanos, outcome));
        }
    }

    void connectCompleted(ConnectionPool<?> pool, String name, long nanos, boolean succeeded) {
        if (!listeners.isEmpty()) {
            fire(l -> l.connectCompleted(pool, name, nanos, succeeded));
        }
    }

    /**
     * Whether any listener is registered: the give-back reads a loan's start only then, so that loans
     * cost nothing more when nobody listens.
     */
    boolean listening() {
        return !listeners.isEmpty();
    }

    void loanEnded(ConnectionPool<?> pool, String name, long nanos) {
        if (!listeners.isEmpty()) {
            fire(l -> l.loanEnded(pool, name, nanos));
        }
    }

    void leakDetected(ConnectionPool<?> pool, String name, long nanos, Throwable trace) {
        fire(l -> l.leakDetected(pool, name, nanos, trace));
    }

    private void fire(Consumer<PoolListener> event) {
        for (PoolListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, () -> "PoolListener " + listener + " threw; ignored", ex);
            }
        }
    }
}
