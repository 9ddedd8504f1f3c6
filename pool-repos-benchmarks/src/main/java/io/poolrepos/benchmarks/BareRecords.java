package io.poolrepos.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reference for what ours' data structure costs without ours' work: the same chain of objects per
 * call (the map's node, a slot per name, its array of places, a record per connection with a
 * versioned state word) and the same hints (the place that became idle last, the place lent last),
 * but a get is one compare-and-set from idle to lent and an add one back. No liveness check, no
 * statistics, no stamps, no limits, no taking of places, no check of what is given back beyond
 * finding its record. The gap between this and ours is the price of that work; the gap between this
 * and {@link CasSlots} the price of the structure (see BENCHMARKS.md, "What limits the goals not met"). Thread-safe.
 */
final class BareRecords implements ExclusivePool {

    private static final VarHandle PLACES = MethodHandles.arrayElementVarHandle(Record[].class);
    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(Record.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int IDLE = 0;
    private static final int LENT = -1;
    private static final long STATE_BITS = 0xFFFF_FFFFL;
    private static final long VERSION_ONE = 1L << 32;

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    BareRecords(String[] names, int perName) {
        for (String name : names) {
            Slot slot = new Slot(Math.max(CasSlots.SLOTS, perName));
            for (int i = 0; i < perName; i++) {
                slot.places[i] = new Record(new Conn(), i);
            }
            slots.put(name, slot);
        }
    }

    @Override
    public Object get(String name) {
        Slot slot = slots.get(name);
        Record[] places = slot.places;
        Record r = at(places, slot.lastPlaced);
        if (r != null && claim(r)) {
            slot.lastLent = r.index;
            return r.connection;
        }
        for (int i = 0; i < places.length; i++) {
            r = at(places, i);
            if (r != null && claim(r)) {
                slot.lastLent = r.index;
                return r.connection;
            }
        }
        return null;
    }

    @Override
    public void add(String name, Object handle) {
        Slot slot = slots.get(name);
        Record[] places = slot.places;
        Record r = at(places, slot.lastLent);
        if (r == null || r.connection != handle) {
            r = null;
            for (int i = 0; i < places.length && r == null; i++) {
                Record x = at(places, i);
                if (x != null && x.connection == handle) {
                    r = x;
                }
            }
        }
        if (r == null || !move(r, LENT, IDLE)) {
            throw new IllegalStateException("not lent from " + name + ": " + handle);
        }
        slot.lastPlaced = r.index;
    }

    private static Record at(Record[] places, int i) {
        return (Record) PLACES.getVolatile(places, i);
    }

    private static boolean claim(Record r) {
        return move(r, IDLE, LENT);
    }

    /** One compare-and-set of the state word from {@code from} to {@code to}, raising its version. */
    private static boolean move(Record r, int from, int to) {
        long w = r.word;
        return (int) w == from && WORD.compareAndSet(r, w, ((w & ~STATE_BITS) + VERSION_ONE) | (to & STATE_BITS));
    }

    @Override
    public void close() {
        slots.clear();
    }

    private static final class Slot {
        final Record[] places;
        /** Hints only: plain fields, as ours' are; a stale one costs a scan. */
        int lastPlaced;
        int lastLent;

        Slot(int length) {
            places = new Record[length];
        }
    }

    private static final class Record {
        final Conn connection;
        final int index;
        volatile long word;

        Record(Conn connection, int index) {
            this.connection = connection;
            this.index = index;
        }
    }
}
