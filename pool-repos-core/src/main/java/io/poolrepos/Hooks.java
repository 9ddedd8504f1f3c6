package io.poolrepos;

/**
 * Points in the place protocol where a test can hold a thread to force an interleaving that is too
 * rare to meet by chance. Production pools use {@link #NONE}; tests in this package pass their own
 * through {@link PoolRepository.Builder}, as they pass a ticker. Each is called only on a rare path:
 * a returning connection that takes the place of one on loan, or that is put into a place anew.
 */
interface Hooks {

    /** Calls nothing. */
    Hooks NONE = new Hooks() {
    };

    /** A returning connection chose the place of one on loan and is about to mark that one unplaced. */
    default void beforeMarkingUnplaced() {
    }

    /** ... and has just marked it, before its compare-and-set on the place. */
    default void afterMarkingUnplaced() {
    }

    /** A connection is idle and about to be put into an empty or freed place by compare-and-set. */
    default void beforePlacing() {
    }
}
