package io.poolrepos.spring.autoconfigure;

/**
 * Thrown at start-up when a {@code pool-repos} property holds a value that the core rejects. Names the
 * property as written in the configuration ({@code pool-repos.pools.orders.max-idle-per-name}), the
 * value and the reason; {@link PoolReposConfigurationFailureAnalyzer} turns it into Boot's start-up
 * report. Immutable and thread-safe.
 */
public class InvalidPoolPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String value;
    private final String reason;

    InvalidPoolPropertyException(String property, Object value, String reason, Throwable cause) {
        super("Invalid value '" + value + "' for " + property + ": " + reason, cause);
        this.property = property;
        this.value = String.valueOf(value);
        this.reason = reason;
    }

    /** The full property name, for example {@code pool-repos.pools.orders.max-idle-per-name}. */
    public String getProperty() {
        return property;
    }

    /** The rejected value as text. */
    public String getValue() {
        return value;
    }

    /** Why the value was rejected. */
    public String getReason() {
        return reason;
    }
}
