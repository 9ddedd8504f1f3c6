package io.poolrepos;

import java.util.function.UnaryOperator;

/**
 * How the messages of one pool name its settings: the core's name ({@code acquireTimeout}), and beside
 * it, when the pool's settings were written elsewhere (a configuration file, say), the name written
 * there ({@code acquireTimeout (pool-repos.pools.orders.acquire-timeout)}). The core knows no
 * configuration format: whoever builds the settings passes the mapping with
 * {@link PoolSettings.Builder#settingNames}. Immutable and thread-safe.
 */
final class SettingNames {

    /** The core's names alone. */
    static final SettingNames CORE = new SettingNames(null);

    private final UnaryOperator<String> written;

    private SettingNames(UnaryOperator<String> written) {
        this.written = written;
    }

    static SettingNames of(UnaryOperator<String> written) {
        return written == null ? CORE : new SettingNames(written);
    }

    /**
     * {@code setting} as a message shows it. A mapping that fails, answers nothing or answers the core
     * name leaves the core name alone: a message must never fail to be made. The written name is shown
     * as the mapping gave it (masking it again would mangle a name masked already).
     */
    String of(String setting) {
        if (written == null) {
            return setting;
        }
        String name;
        try {
            name = written.apply(setting);
        } catch (RuntimeException ex) {
            return setting;
        }
        return name == null || name.isBlank() || name.equals(setting) ? setting
                : setting + " (" + name + ")";
    }
}
