package io.poolrepos;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool-wide open limit ({@link PoolSettings#maxOpenInPool()}): open connections of all names
 * together, connects in progress included, and the names whose callers wait for room under it. A
 * connection reserves room here before its name's room and gives it back when it closes. A pool
 * created without the limit counts nothing and nothing waits here, so only a pool created with one can
 * have it changed ({@link PoolOperations#resize}). Thread-safe.
 *
 * <p><b>No wake-up is lost.</b> A name whose callers are about to wait registers here
 * ({@link #waiting}) after its waiter announced itself and before that waiter checks, under its
 * room's lock, whether room is free; whoever gives room back does so before it reads the registered
 * names, and tells each one ({@link Waiting#roomFreed}), which grants the room to its longest waiter
 * or wakes it. A connection that becomes idle at the limit is announced the same way
 * ({@link #idleAppeared}), after it is idle; a waiter reads {@link #idleVersion()} before it last
 * looked for one. A name leaves the register only when it has no waiter, read again after it left: a
 * waiter that arrived meanwhile puts it back.
 */
final class OpenRoom extends CountedLimit {

    /** A name with callers that may wait for room under the pool's limit. */
    interface Waiting {

        /** Room came free in the pool: hand it to the longest waiter, or wake it to look. */
        void roomFreed();

        /** Whether callers wait for this name now. */
        boolean hasAnyWaiter();

        /** An idle connection appeared elsewhere in the pool: the longest waiters look (they may close it to make room). */
        void wakeFirst();
    }

    /**
     * Raised each time a connection becomes idle while the pool is at its limit: a caller that waits
     * for room and read it before its last look for an idle connection to close knows, when it has
     * changed, that there may now be one.
     */
    private final AtomicInteger idleVersion = new AtomicInteger();
    private final Set<Waiting> waiting = ConcurrentHashMap.newKeySet();

    /** @param max the limit, 0 for none (then nothing is counted) */
    OpenRoom(int max) {
        super(max);
    }

    /** Gives back room reserved by {@link #reserve}, and tells the names whose callers wait for it. */
    void release() {
        if (!free() || waiting.isEmpty()) {
            return;
        }
        for (Waiting name : waiting) {
            if (!name.hasAnyWaiter()) {
                waiting.remove(name);
                if (!name.hasAnyWaiter()) {
                    continue;
                }
                waiting.add(name);
            }
            name.roomFreed();
        }
    }

    /** What {@link #idleAppeared} has raised so far; read before a look for an idle connection to close. */
    int idleVersion() {
        return idleVersion.get();
    }

    /**
     * A connection became idle in {@code where}: at the limit, the names whose callers wait look again,
     * since the new idle connection may be closed to make room for them.
     */
    void idleAppeared(Waiting where) {
        if (hasRoom()) {
            return;
        }
        idleVersion.incrementAndGet();
        for (Waiting name : waiting) {
            if (name != where && name.hasAnyWaiter()) {
                name.wakeFirst();
            }
        }
    }

    /** Registers {@code name} as one whose callers wait; before they check for room. */
    void waiting(Waiting name) {
        if (counts()) {
            waiting.add(name);
        }
    }

    /** Whether {@link #reserve} would find room now; an estimate, since others may reserve meanwhile. */
    boolean hasRoom() {
        return !isFull();
    }

    /** The end of an {@link AcquireTimeoutException}'s message for a caller that waited at this limit. */
    String limitText(SettingNames settings) {
        return "maxOpenInPool=" + max() + ", openInPool=" + count() + "). Give connections back sooner, raise "
                + settings.of("maxOpenInPool") + " or " + settings.of("acquireTimeout") + ".";
    }
}
