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

    /**
     * {@code text} (a cause's message, say) with {@code name} and its user info masked wherever they
     * appear, whole or apart: a library may print the name differently ({@code user:pass@host/<unresolved>:80}).
     */
    static String maskWithin(String text, String name) {
        if (text == null || name == null) {
            return text;
        }
        String masked = text.replace(name, mask(name));
        int at = name.lastIndexOf('@');
        return at <= 0 ? masked : masked.replace(name.substring(0, at), MASK);
    }
}
