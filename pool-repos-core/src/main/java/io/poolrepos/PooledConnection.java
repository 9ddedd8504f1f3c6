package io.poolrepos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The pool's record of one connection, from the moment the pool first sees it until it is closed.
 *
 * <p>Exclusivity rests on the state (in {@link #word}), changed only by compare-and-set: whoever moves it out of a
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
 *
 * <p>The state shares one word with a version that every change raises, so a compare-and-set on a
 * word read earlier fails when the entry changed in between, even if it came back to the same state.
 * A returning entry that takes another's place relies on it: it reads that entry in the place, checks
 * that the place is the entry's own, and marks it unplaced only if nothing happened to it since (it
 * could otherwise have lost that place, been given back elsewhere and lent again, all in between).
 * The version has 32 bits: to fool such a compare-and-set the entry would have to change state
 * 2<sup>32</sup> times while one thread stands between two of its instructions.
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

    private static final long STATE_BITS = 0xFFFF_FFFFL;
    private static final long VERSION_BITS = ~STATE_BITS;
    private static final long VERSION_ONE = 1L << 32;

    private static final VarHandle WORD;
    private static final VarHandle LOAN_TRACE;
    private static final VarHandle RETIRE_CAUSE;
    private static final VarHandle STAMP;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WORD = lookup.findVarHandle(PooledConnection.class, "word", long.class);
            LOAN_TRACE = lookup.findVarHandle(PooledConnection.class, "loanTrace", Throwable.class);
            RETIRE_CAUSE = lookup.findVarHandle(PooledConnection.class, "retireCause", CloseCause.class);
            STAMP = lookup.findVarHandle(PooledConnection.class, "stamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final C connection;
    /** The name's slot that holds this record, known here only as its owner. */
    final Owner owner;
    final long createdAt;

    /** The state in the low 32 bits, its version in the high 32 bits. */
    private volatile long word;
    /**
     * While idle: when it became idle. While on loan: when it was taken. Written by the owner with a
     * release store (no fence on the hot path); readers see it through the state they read first.
     */
    volatile long stamp;
    /** Its place in the slot, or -1; meaningful to the owner, a hint to others (see {@link #LOANED_UNPLACED}). */
    int index = -1;
    /**
     * Where the current loan was taken; only kept when leak detection is on. Null while not on loan,
     * and once the leak of this loan has been reported.
     */
    volatile Throwable loanTrace;
    /** Why a retiring entry is finally closed; the first retirer sets it. */
    private volatile CloseCause retireCause;

    PooledConnection(C connection, Owner owner, long createdAt, int state) {
        this.connection = connection;
        this.owner = owner;
        this.createdAt = createdAt;
        this.stamp = createdAt;
        this.word = state & STATE_BITS;
    }

    void setStamp(long now) {
        STAMP.setRelease(this, now);
    }

    /** Marks the entry as not on loan: no trace to report. Skips the store when nothing changes. */
    void clearLoan() {
        if (loanTrace != null) {
            loanTrace = null;
        }
    }

    /**
     * Drops the trace of a loan whose leak has just been reported, so it is reported once; false if
     * the entry moved on to another loan (or none) meanwhile, whose trace stays.
     */
    boolean leakReported(Throwable trace) {
        return LOAN_TRACE.compareAndSet(this, trace, null);
    }

    int state() {
        return (int) word;
    }

    /** The state and its version, for a later {@link #casWord}. */
    long word() {
        return word;
    }

    static int stateOf(long word) {
        return (int) word;
    }

    private static long next(long word, int newState) {
        return ((word & VERSION_BITS) + VERSION_ONE) | (newState & STATE_BITS);
    }

    /** Moves the entry to {@code newState} if nothing changed it since {@code expected} was read. */
    boolean casWord(long expected, int newState) {
        return WORD.compareAndSet(this, expected, next(expected, newState));
    }

    /** Moves the entry from state {@code expected}, whatever its version, to {@code newState}. */
    boolean casState(int expected, int newState) {
        for (;;) {
            long w = word;
            if ((int) w != expected) {
                return false;
            }
            if (WORD.compareAndSet(this, w, next(w, newState))) {
                return true;
            }
        }
    }

    /** Sets the state of an entry this thread owns (raising the version like any other change). */
    void setState(int newState) {
        for (;;) {
            long w = word;
            if (WORD.compareAndSet(this, w, next(w, newState))) {
                return;
            }
        }
    }

    static boolean onLoan(int state) {
        return state == LOANED || state == LOANED_UNPLACED;
    }

    void setRetireCauseOnce(CloseCause cause) {
        RETIRE_CAUSE.compareAndSet(this, null, cause);
    }

    CloseCause retireCause() {
        return retireCause;
    }

    static int sharers(int state) {
        return state & ~RETIRING;
    }

    /**
     * The holder of a record: the slot of the name it belongs to. The record knows no more of it,
     * so that dependencies run from the slot to the record; the repository's housekeeping, which
     * finds records through its connection index, reaches their pool through this.
     */
    interface Owner {

        /** Reports {@code e}, a record of this owner, if it has been on loan for the leak threshold or longer. */
        void checkLeak(PooledConnection<?> e, long now);
    }
}
