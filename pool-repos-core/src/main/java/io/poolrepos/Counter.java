package io.poolrepos;

import java.util.concurrent.atomic.AtomicLongArray;

/** Indexes of the event counters kept per name and per pool, in one {@link AtomicLongArray}. */
final class Counter {

    static final int ADDED = 0;
    /** ADOPTED and CREATED stay adjacent: a name keeps these two in an array of their own (NameSlot). */
    static final int ADOPTED = 1;
    static final int CREATED = 2;
    static final int GET_HITS = 3;
    static final int GET_MISSES = 4;
    static final int SHARES = 5;
    static final int CLOSED_DEAD = 6;
    static final int EVICTED_IDLE = 7;
    static final int EVICTED_LIFETIME = 8;
    static final int OVERFLOWED = 9;
    static final int DISCARDED = 10;
    static final int REJECTED = 11;
    static final int LEAKS = 12;
    static final int ACQUIRE_TIMEOUTS = 13;
    static final int CONNECT_FAILURES = 14;
    static final int COUNT = 15;

    private Counter() {
    }

    static AtomicLongArray newArray() {
        return new AtomicLongArray(COUNT);
    }
}
