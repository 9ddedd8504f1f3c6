package io.poolrepos;

/**
 * Hides the user info of names written as a URI authority: {@code user:pass@host:port} is shown as
 * {@code ****@host:port}. Every message, log line, report and meter tag that shows a name shows it
 * masked, so that credentials in a name go nowhere. Stateless and thread-safe.
 */
public final class NameMasking {

    private static final String MASK = "****";

    private NameMasking() {
    }

    /** The name with everything before its last {@code @} replaced by {@code ****}; unchanged without one; null stays null. */
    public static String mask(String name) {
        if (name == null) {
            return null;
        }
        int at = name.lastIndexOf('@');
        return at < 0 ? name : MASK + name.substring(at);
    }
}
