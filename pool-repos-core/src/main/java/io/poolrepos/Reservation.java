package io.poolrepos;

/** The outcome of reserving room for one more open connection of a name (see {@link NameSlot#reserveOpen}). */
enum Reservation {
    /** Reserved: the caller opens or adopts a connection, or gives the room back. */
    RESERVED,
    /** The name has {@code maxOpenPerName} open connections already. */
    FULL,
    /** The pool has {@code maxOpenInPool} open connections already. */
    FULL_POOL,
    /** The name was retired meanwhile; look it up again. */
    GONE
}
