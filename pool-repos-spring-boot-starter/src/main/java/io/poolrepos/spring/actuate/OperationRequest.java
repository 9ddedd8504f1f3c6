package io.poolrepos.spring.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.poolrepos.ConnectionPool;
import io.poolrepos.InvalidArgumentException;
import io.poolrepos.NameMasking;
import io.poolrepos.PoolClosedException;
import io.poolrepos.PoolLimits;
import io.poolrepos.PoolOperations;
import io.poolrepos.PoolOperations.SuspendMode;

import org.springframework.boot.convert.DurationStyle;

/**
 * One write operation of the endpoint on one pool, from the parameters as they came (text): checks
 * them all before anything changes, runs the pool's {@link PoolOperations}, and says what changed.
 * Every refusal names the parameter and how to fix it ({@link OperationRefusedException}). Not
 * thread-safe: one per call.
 *
 * @param pool the pool's name as given in the path
 * @param operation {@code resize}, {@code suspend}, {@code resume} or {@code evict}
 * @param parameters the parameters given (not null), by name
 */
record OperationRequest(String pool, String operation, Map<String, String> parameters) {

    static final List<String> OPERATIONS = List.of("resize", "suspend", "resume", "evict");
    static final List<String> LIMITS = List.of("maxOpenPerName", "maxIdlePerName", "maxIdleInPool",
            "maxOpenInPool", "maxWaitersPerName", "acquireTimeout");

    /** What an operation did: the text for the log and the body's {@code change}, and how many it closed now. */
    record Outcome(String change, Integer closedNow) {
    }

    /** Runs the operation on {@code target}. */
    Outcome runOn(ConnectionPool<?> target) {
        PoolOperations operations = target.operations();
        try {
            switch (operation) {
                case "resize":
                    return resize(operations);
                case "suspend": {
                    only(List.of("mode"));
                    SuspendMode mode = mode();
                    Optional<SuspendMode> before = operations.suspension();
                    operations.suspend(mode);
                    return new Outcome(before.map(m -> "mode " + text(m) + " \u2192 " + text(mode))
                            .orElse("suspended (" + text(mode) + ")"), null);
                }
                case "resume": {
                    only(List.of());
                    Optional<SuspendMode> before = operations.suspension();
                    operations.resume();
                    return new Outcome(before.map(m -> "resumed (was suspended, " + text(m) + ")")
                            .orElse("resumed (was not suspended)"), null);
                }
                case "evict":
                    return evict(target, operations);
                default:
                    throw refused(404, "operation", "Unknown operation '" + operation + "'. Use one of "
                            + String.join(", ", OPERATIONS) + ": POST /actuator/poolrepos/" + NameMasking.mask(pool)
                            + "/<operation>.");
            }
        } catch (PoolClosedException ex) {
            throw refused(409, "pool", ex.getMessage());
        }
    }

    private Outcome resize(PoolOperations operations) {
        only(LIMITS);
        if (parameters.isEmpty()) {
            throw refused(400, "maxOpenPerName", "Give at least one limit to change: " + String.join(", ", LIMITS)
                    + " (for example {\"maxOpenPerName\": 16}). Nothing was changed.");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String limit : LIMITS.subList(0, LIMITS.size() - 1)) { // all but acquireTimeout
            String value = parameters.get(limit);
            if (value != null) {
                counts.put(limit, whole(limit, value));
            }
        }
        Duration acquireTimeout = parameters.containsKey("acquireTimeout") ? duration("acquireTimeout") : null;
        Consumer<PoolLimits.Builder> change = b -> {
            counts.forEach((limit, value) -> set(b, limit, value));
            if (acquireTimeout != null) {
                b.acquireTimeout(acquireTimeout);
            }
        };
        PoolLimits before = operations.limits();
        PoolLimits after;
        try {
            after = operations.resize(change);
        } catch (InvalidArgumentException ex) {
            String message = ex.getMessage();
            throw refused(400, ex.getArgument(), message + (message.endsWith(".") ? "" : ".") + " Nothing was changed.");
        }
        List<String> changes = after.changesFrom(before);
        return new Outcome(changes.isEmpty() ? "no limit changed" : String.join(", ", changes), null);
    }

    private static void set(PoolLimits.Builder b, String limit, int value) {
        switch (limit) {
            case "maxOpenPerName" -> b.maxOpenPerName(value);
            case "maxIdlePerName" -> b.maxIdlePerName(value);
            case "maxIdleInPool" -> b.maxIdleInPool(value);
            case "maxOpenInPool" -> b.maxOpenInPool(value);
            default -> b.maxWaitersPerName(value);
        }
    }

    private Outcome evict(ConnectionPool<?> target, PoolOperations operations) {
        only(List.of("name"));
        String name = parameters.get("name");
        if (name == null) {
            int closed = operations.softEvictAll();
            return new Outcome("soft-evicted every name: " + closed + " idle closed now, loaned ones close when given back",
                    closed);
        }
        if (name.isBlank() || target.statistics(name).isEmpty()) {
            throw refused(404, "name", "Pool '" + NameMasking.mask(pool) + "' has no name '" + NameMasking.mask(name)
                    + "'. Give a name it holds (GET /actuator/poolrepos/" + NameMasking.mask(pool)
                    + " lists them), or leave name out to soft-evict the whole pool.");
        }
        int closed = operations.softEvict(name);
        return new Outcome("soft-evicted name '" + NameMasking.mask(name) + "': " + closed
                + " idle closed now, loaned ones close when given back", closed);
    }

    /** Refuses parameters that the operation does not take (a typo would otherwise be ignored). */
    private void only(List<String> allowed) {
        for (String given : parameters.keySet()) {
            if (!allowed.contains(given)) {
                throw refused(400, given, "Parameter '" + given + "' does not apply to " + operation + "; "
                        + (allowed.isEmpty() ? "it takes none" : "it takes " + String.join(", ", allowed))
                        + ". Nothing was changed.");
            }
        }
    }

    private SuspendMode mode() {
        String mode = parameters.get("mode");
        if (mode == null) {
            return SuspendMode.WAIT;
        }
        return switch (mode.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "wait" -> SuspendMode.WAIT;
            case "fail-fast" -> SuspendMode.FAIL_FAST;
            default -> throw refused(400, "mode", "mode must be 'wait' (acquire waits for the resume) or"
                    + " 'fail-fast' (acquire fails at once), was '" + mode + "'. Nothing was changed.");
        };
    }

    private int whole(String limit, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException ex) {
            throw refused(400, limit, limit + " must be a whole number, was '" + value + "'. Nothing was changed.");
        }
    }

    private Duration duration(String parameter) {
        String value = parameters.get(parameter);
        try {
            return DurationStyle.detectAndParse(value.trim());
        } catch (IllegalArgumentException ex) {
            throw refused(400, parameter, parameter + " must be a duration such as 5s, 500ms or PT5S, was '" + value
                    + "'. Nothing was changed.");
        }
    }

    private OperationRefusedException refused(int status, String parameter, String message) {
        return new OperationRefusedException(status, pool, operation, parameter, message);
    }

    /** How the endpoint writes a mode: {@code wait}, {@code fail-fast}. */
    static String text(SuspendMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
