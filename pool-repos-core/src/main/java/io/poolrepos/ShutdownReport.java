package io.poolrepos;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a graceful {@link PoolRepository#close(Duration) shutdown} found: how long it waited, and the
 * connections still out when its timeout passed, which it closed under their holders. Names are kept
 * as they are; {@link #toString()} masks them. Immutable and thread-safe.
 */
public final class ShutdownReport {

    private final Duration timeout;
    private final Duration waited;
    private final List<ForcedClose> forced;

    ShutdownReport(Duration timeout, Duration waited, List<ForcedClose> forced) {
        this.timeout = timeout;
        this.waited = waited;
        this.forced = List.copyOf(forced);
    }

    /** The timeout the shutdown was given. */
    public Duration timeout() {
        return timeout;
    }

    /** How long it waited for connections to come back. */
    public Duration waited() {
        return waited;
    }

    /** Every connection came back in time: nothing was closed under its holder. */
    public boolean isClean() {
        return forced.isEmpty();
    }

    /** The names whose connections were closed under their holders, per pool and name. */
    public List<ForcedClose> forced() {
        return forced;
    }

    /**
     * Connections of one name closed under their holders: {@code onLoan} exclusive loans, {@code shared}
     * shared connections (with sharers), {@code other} caught between two states (being taken or added).
     */
    public record ForcedClose(String poolName, String name, int onLoan, int shared, int other) {

        /** All of this name's connections closed under their holders. */
        public int total() {
            return onLoan + shared + other;
        }

        @Override
        public String toString() {
            return "pool '" + NameMasking.mask(poolName) + "', name '" + NameMasking.mask(name) + "': "
                    + onLoan + " on loan, " + shared + " shared" + (other == 0 ? "" : ", " + other + " being taken or added");
        }
    }

    @Override
    public String toString() {
        return isClean() ? "ShutdownReport[clean after " + waited.toMillis() + " ms]"
                : "ShutdownReport[timeout " + timeout + " passed; closed under their holders: "
                        + forced.stream().map(ForcedClose::toString).collect(Collectors.joining("; ")) + "]";
    }
}
