package io.poolrepos;

import java.time.Duration;

/** Argument checks shared by the public entry points, so every message reads the same way. */
final class Checks {

    /** Longest duration a setting accepts; longer ones are almost certainly a unit mistake. */
    static final Duration MAX_DURATION = Duration.ofDays(365);

    private Checks() {
    }

    static String name(String value, String argument) {
        if (value == null) {
            throw new InvalidArgumentException(argument, argument + " must not be null");
        }
        if (value.isBlank()) {
            throw new InvalidArgumentException(argument, argument + " must not be blank, was '" + value + "'");
        }
        return value;
    }

    static <T> T notNull(T value, String argument) {
        if (value == null) {
            throw new InvalidArgumentException(argument, argument + " must not be null");
        }
        return value;
    }

    static int atLeast(int value, int min, String argument) {
        if (value < min) {
            throw new InvalidArgumentException(argument, argument + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    static int atMost(int value, int max, String argument) {
        if (value > max) {
            throw new InvalidArgumentException(argument, argument + " must be <= " + max + ", was " + value);
        }
        return value;
    }

    static Duration duration(Duration value, String argument) {
        notNull(value, argument);
        if (value.isNegative()) {
            throw new InvalidArgumentException(argument, argument + " must not be negative, was " + value);
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new InvalidArgumentException(argument,
                    argument + " must be at most " + MAX_DURATION.toDays() + " days, was " + value);
        }
        return value;
    }
}
