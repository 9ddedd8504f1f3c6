package io.poolrepos;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The second half of {@link PoolRepository#close(Duration)}, once every pool is closed: waits for the
 * connections still out (on loan or shared) to come back, then closes those that did not under their
 * holders, and reports and logs them per pool and masked name.
 *
 * <p>A connection closed under its holder keeps its record, and its state: the record is counted (as
 * discarded) and leaves the index when the holder gives the connection back or discards it, as with
 * any give-back to a closed pool. So the state machine and the books stay as they are, and a holder
 * that never gives it back leaves only a closed connection behind. Thread-safe: it keeps no state.
 */
final class GracefulClose {

    private static final System.Logger LOG = System.getLogger(PoolRepository.class.getName());
    /** How often the wait looks at the index; a shutdown is no hot path. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private GracefulClose() {
    }

    /** The message of {@link PoolClosedException} while the repository shuts down with {@code timeout}. */
    static String shuttingDown(Duration timeout) {
        return "is shutting down: it hands out no connections any more. Connections on loan are closed as they "
                + "come back, and those still out after the shutdown timeout (" + timeout + ") are closed under "
                + "their holders.";
    }

    /** Waits up to {@code timeout} (real time) for {@code index} to empty, then forces what is left. */
    static ShutdownReport awaitThenForce(ConnectionIndex index, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        boolean interrupted = false;
        for (long left; index.size() > 0 && (left = deadline - System.nanoTime()) > 0;) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, POLL_NANOS));
            } catch (InterruptedException ex) {
                interrupted = true;
                break;
            }
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        List<ShutdownReport.ForcedClose> forced = forceRest(index);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        ShutdownReport report = new ShutdownReport(timeout, waited, forced);
        log(report);
        return report;
    }

    private static List<ShutdownReport.ForcedClose> forceRest(ConnectionIndex index) {
        // pool -> name -> {on loan, shared, other}; sorted so that the log reads the same every time
        Map<String, Map<String, int[]>> tally = new TreeMap<>();
        index.forEach(e -> {
            int kind = forceClose(e);
            if (kind >= 0) {
                NameSlot<?> slot = (NameSlot<?>) e.owner;
                tally.computeIfAbsent(slot.context.poolName, p -> new TreeMap<>())
                        .computeIfAbsent(slot.name, n -> new int[3])[kind]++;
            }
        });
        List<ShutdownReport.ForcedClose> forced = new ArrayList<>();
        tally.forEach((pool, names) -> names.forEach((name, n) ->
                forced.add(new ShutdownReport.ForcedClose(pool, name, n[0], n[1], n[2]))));
        return forced;
    }

    /** Closes the connection of {@code e} unless its record is closed; 0 on loan, 1 shared, 2 other, -1 not closed here. */
    private static <C> int forceClose(PooledConnection<C> e) {
        int s = e.state();
        if (s == PooledConnection.CLOSED) {
            return -1; // its closer is at work
        }
        @SuppressWarnings("unchecked")
        NameSlot<C> slot = (NameSlot<C>) e.owner;
        slot.context.closer.closeQuietly(e.connection);
        if (PooledConnection.onLoan(s)) {
            return 0;
        }
        return s > 0 ? 1 : 2;
    }

    private static void log(ShutdownReport report) {
        if (report.isClean()) {
            LOG.log(Level.DEBUG, () -> "Pool repository shut down cleanly after " + report.waited().toMillis() + " ms");
            return;
        }
        Map<String, List<ShutdownReport.ForcedClose>> byPool = report.forced().stream()
                .collect(Collectors.groupingBy(ShutdownReport.ForcedClose::poolName, TreeMap::new, Collectors.toList()));
        byPool.forEach((pool, names) -> LOG.log(Level.WARNING, () -> "Pool '" + NameMasking.mask(pool) + "': "
                + names.stream().mapToInt(ShutdownReport.ForcedClose::total).sum() + " connection(s) still out when "
                + "the shutdown timeout (" + report.timeout() + ") passed were closed under their holders: "
                + names.stream().map(f -> NameMasking.mask(f.name()) + " (" + f.onLoan() + " on loan, " + f.shared()
                        + " shared" + (f.other() == 0 ? "" : ", " + f.other() + " being taken or added") + ")")
                        .collect(Collectors.joining(", "))));
    }
}
