package io.poolrepos.spring.autoconfigure;

import java.util.regex.Pattern;

import io.poolrepos.NameMasking;

/**
 * How the starter shows pool names and the property names that contain them, in its messages,
 * start-up reports, bean names and bean descriptions: user info masked ({@code ****@host}), and in
 * brackets whenever Boot would change the name written without them, so that a name in a report can
 * be pasted back into the configuration. Stateless and thread-safe.
 */
final class PropertyNames {

    /** What Boot's binding keeps of a map key written without brackets. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");

    private PropertyNames() {
    }

    /** A pool name as the starter shows it: user info masked. */
    static String shown(String poolName) {
        return NameMasking.mask(poolName);
    }

    /** A map key appended to a property name: {@code .orders}, or {@code [my.pool]} when it needs brackets. */
    static String key(String key) {
        return PLAIN.matcher(key).matches() ? "." + key : "[" + key + "]";
    }

    /** The property under which a pool is configured: {@code pool-repos.pools.orders}, masked. */
    static String pool(String poolName) {
        return "pool-repos.pools" + key(shown(poolName));
    }
}
