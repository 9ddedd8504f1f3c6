package io.poolrepos;

import java.util.Arrays;

/**
 * The "a scan really found nothing" check. What the places held when a scan last passed each of them,
 * kept by a {@code get} or {@code share} whose scan found nothing. A scan is not atomic: it could pass
 * one place before its entry became available and another after its entry was taken, and so find
 * nothing although something was available all along. A scan that finds nothing is therefore trusted
 * only if every place still holds the very entry in the very state word it held when last seen: state
 * words carry a version, so no change in between goes unseen, and at the moment the trusted scan
 * started every place held what both scans saw, with nothing available. Only callers about to report
 * "nothing" create one. Confined to the thread that scans.
 */
final class PlacesSeen {

    private final Object[] entries;
    private final long[] words;
    /** Whether the last scan saw anything other than what was seen before; true until a scan notes what it sees. */
    private boolean changed = true;

    private PlacesSeen(int length) {
        entries = new Object[length];
        // Not seen yet: matches nothing a place can hold, not even null.
        Arrays.fill(entries, this);
        words = new long[length];
    }

    /** {@code seen}, or a new one for {@code length} places if there is none yet. */
    static PlacesSeen orNew(PlacesSeen seen, int length) {
        return seen != null ? seen : new PlacesSeen(length);
    }

    void startScan() {
        changed = false;
    }

    /**
     * The state word of {@code entry}, found in place {@code i} (0 if the place is empty), noted in
     * {@code seen} unless that is null (the scan is not compared with anything).
     */
    static long see(PlacesSeen seen, int i, PooledConnection<?> entry) {
        long word = entry == null ? 0 : entry.word();
        if (seen != null && (seen.entries[i] != entry || seen.words[i] != word)) {
            seen.entries[i] = entry;
            seen.words[i] = word;
            seen.changed = true;
        }
        return word;
    }

    /** Whether every place this scan passed held what it held when last seen. */
    boolean unchanged() {
        return !changed;
    }
}
