package io.poolrepos.spring.actuate;

/**
 * Hides the user info of names written as a URI authority: {@code user:pass@host:port} is shown as
 * {@code ****@host:port}, so that credentials in a name reach neither the endpoint, nor health
 * details, nor meter tags. Stateless and thread-safe.
 */
public final class NameMasking {

    private static final String MASK = "****";

    private NameMasking() {
    }

    /** The name with everything before its last {@code @} replaced by {@code ****}; unchanged without one. */
    public static String mask(String name) {
        int at = name.lastIndexOf('@');
        return at < 0 ? name : MASK + name.substring(at);
    }
}
