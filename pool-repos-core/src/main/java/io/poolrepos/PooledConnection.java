package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The pool's record of one connection, from the moment the pool first sees it until it is closed.
 *
 * <p>Exclusivity rests on {@link #state}, changed only by compare-and-set: whoever moves it out of a
 * state owns the transition, so two threads can never both take one connection. The states:
 * <ul>
 *   <li>{@code 0..MAX_SHARERS}: idle in its place in the slot, with that many sharers;</li>
 *   <li>{@code RETIRING | n}: still in its place, n sharers left, closed when n reaches 0;
 *       no new sharer and no {@code get} can take it;</li>
 *   <li>{@link #LOANED}: out on exclusive loan, keeping its place in the slot;</li>
 *   <li>{@link #LOANED_UNPLACED}: out on exclusive loan without a place (it never had one, or a
 *       returning entry took it); the borrower's give-back looks for a place;</li>
 *   <li>{@link #RETURNING}: being added by one thread (first add, or give-back);</li>
 *   <li>{@link #TAKING}: claimed by {@code get} or {@code acquire} and checked before it becomes
 *       LOANED, so that an {@code add} meanwhile is rejected, not taken as a return;</li>
 *   <li>{@link #TAKING_UNPLACED}: the same, but its place went to another entry;</li>
 *   <li>{@link #CLOSED}: closed and counted, or about to be by the thread that set it.</li>
 * </ul>
 * {@code get} moves 0 to TAKING to LOANED, {@code share} n to n + 1 (0 to 1 after checking it), a release n + 1 to n, {@code add} LOANED
 * to 0 (after checking it) or to RETURNING and then to 0; a returning entry that takes the place of
 * one being taken or on loan moves that one from TAKING to TAKING_UNPLACED or from LOANED to
 * LOANED_UNPLACED. Fields other than {@code state} are written only
 * by the thread that owns the entry at that moment and published by its next write of {@code state}.
 */
final class PooledConnection<C> {

    static final int LOANED = -1;
    static final int RETURNING = -2;
    static final int CLOSED = -3;
    /** Claimed from 0 by {@code get}/{@code acquire}, being checked and taken out; LOANED once handed out. */
    static final int TAKING = -5;
    /** On loan like {@link #LOANED}, but its place went to another entry. */
    static final int LOANED_UNPLACED = -6;
    /** Being taken like {@link #TAKING}, but its place went to another entry; LOANED_UNPLACED once handed out. */
    static final int TAKING_UNPLACED = -7;
    static final int RETIRING = 1 << 30;
    static final int MAX_SHARERS = RETIRING - 1;

    private static final VarHandle STATE;
    private static final VarHandle RETIRE_CAUSE;
    private static final VarHandle STAMP;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(PooledConnection.class, "state", int.class);
            RETIRE_CAUSE = lookup.findVarHandle(PooledConnection.class, "retireCause", int.class);
            STAMP = lookup.findVarHandle(PooledConnection.class, "stamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final C connection;
    final NameSlot<C> slot;
    final long createdAt;

    private volatile int state;
    /**
     * While idle: when it became idle. While on loan: when it was taken. Written by the owner with a
     * release store (no fence on the hot path); readers see it through the state they read first.
     */
    volatile long stamp;
    /** Its place in the slot, or -1; meaningful to the owner, a hint to others (see {@link #LOANED_UNPLACED}). */
    int index = -1;
    /** Where the current loan was taken; only kept when leak detection is on. Null while not on loan. */
    volatile Throwable loanTrace;
    volatile boolean leakReported;
    /** The counter to charge when a retiring entry is finally closed; the first retirer sets it. */
    private volatile int retireCause = -1;

    PooledConnection(C connection, NameSlot<C> slot, long createdAt, int state) {
        this.connection = connection;
        this.slot = slot;
        this.createdAt = createdAt;
        this.stamp = createdAt;
        this.state = state;
    }

    void setStamp(long now) {
        STAMP.setRelease(this, now);
    }

    /** Marks the entry as not on loan: no trace to report. Skips the stores when nothing changes. */
    void clearLoan() {
        if (loanTrace != null) {
            loanTrace = null;
        }
        if (leakReported) {
            leakReported = false;
        }
    }

    int state() {
        return state;
    }

    void setState(int newState) {
        state = newState;
    }

    static boolean onLoan(int state) {
        return state == LOANED || state == LOANED_UNPLACED;
    }

    boolean casState(int expected, int newState) {
        return STATE.compareAndSet(this, expected, newState);
    }

    void setRetireCauseOnce(int cause) {
        RETIRE_CAUSE.compareAndSet(this, -1, cause);
    }

    int retireCause() {
        return retireCause;
    }

    static int sharers(int state) {
        return state & ~RETIRING;
    }
}
