package io.poolrepos.benchmarks;

/**
 * A dummy connection: no socket, nothing to close, always alive. Identity equality, as sockets have.
 * Immutable and thread-safe.
 */
final class Conn {

    private final boolean alive = true;

    boolean isAlive() {
        return alive;
    }
}
