package io.poolrepos;

/**
 * The pool-wide idle limit ({@link PoolSettings#maxIdleInPool()}): idle connections of all names
 * together. A connection reserves a place before it becomes idle and frees it when it is taken or
 * closed. A pool created without the limit counts nothing (no shared counter on every call), so
 * only a pool created with one can have it changed ({@link PoolOperations#resize}). Thread-safe.
 */
final class IdlePlaces extends CountedLimit {

    /** @param max the limit, 0 for none (then nothing is counted) */
    IdlePlaces(int max) {
        super(max);
    }

    /** Frees a place reserved by {@link #reserve}. */
    void release() {
        free();
    }
}
