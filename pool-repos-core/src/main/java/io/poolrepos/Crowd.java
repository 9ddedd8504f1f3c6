package io.poolrepos;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one name needs once several threads compete for its connections: where each thread took a
 * connection last, and the counters of {@code get} and {@code add} striped. A {@link NameSlot}
 * creates it once compare-and-sets to take its idle connections often fail because another thread
 * changed the connection first (see {@code NameSlot.lostRace}); names that one thread at a time
 * works on, or that threads meet on only now and then, never do, and pay neither its memory nor a
 * load on their path.
 *
 * <p>Why: without it, two threads doing get + add on one name both went for the connection the last
 * give-back left (the slot's LIFO hint), took it from each other by turns, and wrote the slot's
 * counters and hints from two cores: together they made 5-9 operations per microsecond where one
 * thread alone made 24-33 (BENCHMARKS.md). A thread that first tries the place it took from last
 * keeps to a connection of its own while there are enough of them, as HikariCP's bag does with
 * thread-local lists, and writes nothing the other thread writes.
 *
 * <p>Thread-safe. The preferred places are racy hints, read and written without synchronisation: a
 * stale or lost one only sends a thread to a connection that is not idle, and it then scans the
 * places as without a crowd. Threads whose ids agree in their low bits share a preference.
 */
final class Crowd {

    /** Threads told apart by their preferred places: threads whose ids differ in the low bits. */
    static final int PREFERENCES = 8;

    private final int[] preferredPlaces = new int[PREFERENCES];
    private final LongAdder added = new LongAdder();
    private final LongAdder getHits = new LongAdder();

    Crowd() {
        Arrays.fill(preferredPlaces, -1);
    }

    /** The index of the calling thread among {@link #PREFERENCES} preferences. */
    static int threadIndex() {
        return (int) Thread.currentThread().getId() & (PREFERENCES - 1);
    }

    /** The place the calling thread took a connection from last, or -1. */
    int preferredPlace() {
        return preferredPlaces[threadIndex()];
    }

    /** Remembers that the calling thread took a connection from place {@code i}; writes only a change. */
    void tookFrom(int i) {
        int thread = threadIndex();
        if (preferredPlaces[thread] != i) {
            preferredPlaces[thread] = i;
        }
    }

    void countAdded() {
        added.increment();
    }

    void countGetHit() {
        getHits.increment();
    }

    long added() {
        return added.sum();
    }

    long getHits() {
        return getHits.sum();
    }
}
