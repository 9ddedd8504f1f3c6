package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * Reads and compare-and-sets on the array of places of a {@link NameSlot}, the look-ups over it that
 * change nothing, and the one wait on a place. Every access is volatile: a place is read and written by any thread.
 * Stateless; the arrays it works on are thread-safe through it.
 */
final class Places {

    /** Up to this many places, {@code add} looks for its connection among them before the repository's index. */
    private static final int FAST_RETURN_SCAN = 16;

    private static final VarHandle PLACES = MethodHandles.arrayElementVarHandle(PooledConnection[].class);

    private Places() {
    }

    @SuppressWarnings("unchecked")
    static <C> PooledConnection<C> at(PooledConnection<C>[] places, int i) {
        return (PooledConnection<C>) PLACES.getVolatile(places, i);
    }

    static <C> boolean compareAndSet(PooledConnection<C>[] places, int i, PooledConnection<C> expected,
            PooledConnection<C> value) {
        return PLACES.compareAndSet(places, i, expected, value);
    }

    /**
     * The entry of {@code connection} (the same object) if it holds a place, whatever its state; null
     * if not found at {@code hint} or among the first places. A hint only: the caller decides by the
     * entry's state.
     */
    static <C> PooledConnection<C> find(PooledConnection<C>[] places, Object connection, int hint) {
        int length = places.length;
        if (length == 0) {
            return null;
        }
        PooledConnection<C> e = hint >= 0 && hint < length ? at(places, hint) : null;
        if (e != null && e.connection == connection) {
            return e;
        }
        for (int i = 0, n = Math.min(length, FAST_RETURN_SCAN); i < n; i++) {
            e = at(places, i);
            if (e != null && e.connection == connection) {
                return e;
            }
        }
        return null;
    }

    /** Whether some place holds an idle entry that nobody shares. */
    static <C> boolean hasUnsharedIdle(PooledConnection<C>[] places) {
        for (int i = 0; i < places.length; i++) {
            PooledConnection<C> e = at(places, i);
            if (e != null && e.state() == 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether an entry in its own place is idle with fewer than {@code maxSharers} sharers and not retiring. */
    static <C> boolean hasShareable(PooledConnection<C>[] places, int maxSharers) {
        for (int i = 0; i < places.length; i++) {
            PooledConnection<C> e = at(places, i);
            int s;
            if (e != null && (s = e.state()) >= 0 && s < maxSharers && e.index == i) {
                return true;
            }
        }
        return false;
    }

    /** Visits every entry that holds a place: idle, shared, retiring, on loan or being taken or added. */
    static <C> void forEach(PooledConnection<C>[] places, Consumer<? super PooledConnection<C>> action) {
        for (int i = 0; i < places.length; i++) {
            PooledConnection<C> e = at(places, i);
            if (e != null) {
                action.accept(e);
            }
        }
    }

    /**
     * Waits while place {@code i} still holds {@code e}, an entry this thread is giving back without
     * a place. It can only be there because another returning entry is taking that place from it:
     * that one has marked it unplaced (so its borrower came here) and its compare-and-set on the
     * place follows; nothing else changes a place that holds an entry being given back. Going on
     * without waiting could close {@code e} as overflow while the place is neither its nor yet the
     * other's, and a get after that overflow would find nothing idle. The wait is the other thread's
     * next few instructions; a thread descheduled there makes it longer, never endless.
     */
    static <C> void awaitSwap(PooledConnection<C>[] places, int i, PooledConnection<C> e) {
        for (int spins = 0; at(places, i) == e; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
