package io.poolrepos;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The repository's index from each connection its pools hold (idle, shared or on loan) to its
 * record, so that {@code add} finds a returning connection in one look-up and can tell when it came
 * from another pool or name. Connections are keyed by their own equals/hashCode, which is identity
 * for sockets and channels. Thread-safe.
 */
final class ConnectionIndex {

    private final ConcurrentHashMap<Object, PooledConnection<?>> records = new ConcurrentHashMap<>();

    /** The record of {@code connection}, or null if no pool holds it. */
    PooledConnection<?> find(Object connection) {
        return records.get(connection);
    }

    /** Indexes a new record; returns the record already indexed for that connection (and indexes nothing), or null. */
    PooledConnection<?> track(Object connection, PooledConnection<?> record) {
        return records.putIfAbsent(connection, record);
    }

    /** Removes a closed record, if it is still the one indexed for its connection. */
    void untrack(PooledConnection<?> record) {
        records.remove(record.connection, record);
    }

    /** Connections in the index: every one idle, shared or on loan in any pool. */
    int size() {
        return records.size();
    }

    void forEach(Consumer<PooledConnection<?>> action) {
        records.values().forEach(action);
    }
}
