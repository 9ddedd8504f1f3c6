package io.poolrepos.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.poolrepos.ConnectionFactory;
import io.poolrepos.InvalidArgumentException;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.TlsConnectionFactory;
import io.poolrepos.UnixDomainConnectionFactory;
import io.poolrepos.spring.autoconfigure.PoolProperties.Connect;
import io.poolrepos.spring.autoconfigure.PoolProperties.ConnectionType;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * One configured pool with every setting resolved: the pool's own value, else the value under
 * {@code pool-repos.defaults}, else the core's default. The core checks each value; a value it rejects
 * becomes an {@link InvalidPoolPropertyException} naming the property where that value was written,
 * so that the start-up report points at the right line even for an inherited default.
 * Immutable and thread-safe.
 */
final class PoolDefinition {

    private static final List<Setting<PoolSettings.Builder, ?>> POOL_SETTINGS = List.of(
            new Setting<>("sharable", PoolProperties::getSharable, PoolSettings.Builder::sharable),
            new Setting<>("max-idle-per-name", PoolProperties::getMaxIdlePerName, PoolSettings.Builder::maxIdlePerName),
            new Setting<>("max-open-per-name", PoolProperties::getMaxOpenPerName, PoolSettings.Builder::maxOpenPerName),
            new Setting<>("min-idle-per-name", PoolProperties::getMinIdlePerName, PoolSettings.Builder::minIdlePerName),
            new Setting<>("max-idle-in-pool", PoolProperties::getMaxIdleInPool, PoolSettings.Builder::maxIdleInPool),
            new Setting<>("max-open-in-pool", PoolProperties::getMaxOpenInPool, PoolSettings.Builder::maxOpenInPool),
            new Setting<>("max-names", PoolProperties::getMaxNames, PoolSettings.Builder::maxNames),
            new Setting<>("max-sharers-per-connection", PoolProperties::getMaxSharersPerConnection,
                    PoolSettings.Builder::maxSharersPerConnection),
            new Setting<>("idle-timeout", PoolProperties::getIdleTimeout, PoolSettings.Builder::idleTimeout),
            new Setting<>("max-lifetime", PoolProperties::getMaxLifetime, PoolSettings.Builder::maxLifetime),
            new Setting<>("acquire-timeout", PoolProperties::getAcquireTimeout, PoolSettings.Builder::acquireTimeout),
            new Setting<>("max-waiters-per-name", PoolProperties::getMaxWaitersPerName,
                    PoolSettings.Builder::maxWaitersPerName),
            new Setting<>("leak-detection-threshold", PoolProperties::getLeakDetectionThreshold,
                    PoolSettings.Builder::leakDetectionThreshold),
            new Setting<>("idle-order", PoolProperties::getIdleOrder, PoolSettings.Builder::idleOrder),
            new Setting<>("probe-after-idle", PoolProperties::getProbeAfterIdle, PoolSettings.Builder::probeAfterIdle),
            new Setting<>("connect-backoff", PoolProperties::getConnectBackoff, PoolSettings.Builder::connectBackoff),
            new Setting<>("connect-backoff-max", PoolProperties::getConnectBackoffMax,
                    PoolSettings.Builder::connectBackoffMax));

    private static final List<Setting<TcpConnectionFactory.Builder, ?>> TCP_SETTINGS = List.of(
            new Setting<>("connect-timeout", PoolProperties::getConnectTimeout,
                    TcpConnectionFactory.Builder::connectTimeout),
            new Setting<>("tcp-no-delay", PoolProperties::getTcpNoDelay, TcpConnectionFactory.Builder::tcpNoDelay),
            new Setting<>("keep-alive", PoolProperties::getKeepAlive, TcpConnectionFactory.Builder::keepAlive),
            new Setting<>("so-timeout", PoolProperties::getSoTimeout, TcpConnectionFactory.Builder::soTimeout));

    private static final List<Setting<TlsConnectionFactory.Builder, ?>> TLS_SETTINGS = List.of(
            new Setting<>("verify-hostname", PoolProperties::getVerifyHostname,
                    TlsConnectionFactory.Builder::verifyHostname),
            new Setting<>("handshake-timeout", PoolProperties::getHandshakeTimeout,
                    TlsConnectionFactory.Builder::handshakeTimeout));

    private final String poolName;
    private final ConnectionType connectionType;
    private final PoolSettings settings;
    private final Connect connect;
    private final ConnectionFactory<?> factory;
    private final String sslBundle;
    private final List<String> warmUpNames;
    private final String warmUpNamesProperty;

    private PoolDefinition(String poolName, ConnectionType connectionType, PoolSettings settings, Connect connect,
            ConnectionFactory<?> factory, String sslBundle, List<String> warmUpNames, String warmUpNamesProperty) {
        this.poolName = poolName;
        this.connectionType = connectionType;
        this.settings = settings;
        this.connect = connect;
        this.factory = factory;
        this.sslBundle = sslBundle;
        this.warmUpNames = warmUpNames;
        this.warmUpNamesProperty = warmUpNamesProperty;
    }

    /**
     * Resolves and checks one pool's settings.
     *
     * @throws InvalidPoolPropertyException when a value is rejected
     */
    static PoolDefinition resolve(String poolName, PoolProperties pool, PoolProperties defaults, SslBundles bundles) {
        if (poolName.isBlank()) {
            throw new InvalidPoolPropertyException("pool-repos.pools", poolName,
                    "pool names must not be blank; give each pool a name of letters, digits or '-'", null);
        }
        Resolver resolver = new Resolver(poolName, pool, defaults);
        PoolSettings.Builder builder = PoolSettings.builder();
        for (Setting<PoolSettings.Builder, ?> setting : POOL_SETTINGS) {
            resolver.apply(setting, builder);
        }
        builder.settingNames(resolver.writtenNames()::get);
        PoolSettings settings;
        try {
            settings = builder.build();
        } catch (InvalidArgumentException ex) {
            throw resolver.rejected(settingNamed(ex.getArgument()), ex);
        }
        ConnectionType type = connectionType(pool, defaults);
        Connect connect = connect(pool, defaults);
        if (connect != Connect.TLS) {
            resolver.refuseUnlessTls(TLS_SETTINGS, connect);
        }
        ConnectionFactory<?> factory = switch (connect) {
            case NONE -> null;
            case TCP -> resolver.requireType(type, ConnectionType.SOCKET, connect, tcp(resolver));
            case TLS -> resolver.requireType(type, ConnectionType.SOCKET, connect, tls(resolver, bundles));
            case UNIX -> resolver.requireType(type, ConnectionType.SOCKET_CHANNEL, connect,
                    UnixDomainConnectionFactory.create());
        };
        return new PoolDefinition(poolName, type, settings, connect, factory,
                connect == Connect.TLS ? resolver.value(PoolProperties::getSslBundle) : null,
                warmUpNames(resolver, settings), resolver.property("warm-up-names", PoolProperties::getWarmUpNames));
    }

    /** The names to warm at start-up, checked against min-idle-per-name; empty when none are configured. */
    private static List<String> warmUpNames(Resolver resolver, PoolSettings settings) {
        List<String> names = resolver.value(PoolProperties::getWarmUpNames);
        if (names == null || names.isEmpty()) {
            return List.of();
        }
        String property = resolver.property("warm-up-names", PoolProperties::getWarmUpNames);
        String shown = names.stream().map(io.poolrepos.NameMasking::mask).toList().toString();
        if (names.stream().anyMatch(n -> n == null || n.isBlank())) {
            throw new InvalidPoolPropertyException(property, shown, "warm-up names must not be blank; "
                    + "list each name to warm (host:port, or a socket path with connect: unix)", null);
        }
        if (settings.minIdlePerName() == 0) {
            throw new InvalidPoolPropertyException(property, shown, "warm-up keeps min-idle-per-name idle connections "
                    + "per name, and that is 0 here; set " + poolProperty(resolver.poolName(), "min-idle-per-name")
                    + " to 1 or more, or remove warm-up-names", null);
        }
        return List.copyOf(new java.util.LinkedHashSet<>(names));
    }

    private static TcpConnectionFactory tcp(Resolver resolver) {
        TcpConnectionFactory.Builder tcpBuilder = TcpConnectionFactory.builder();
        for (Setting<TcpConnectionFactory.Builder, ?> setting : TCP_SETTINGS) {
            resolver.apply(setting, tcpBuilder);
        }
        return tcpBuilder.build();
    }

    /** The TLS factory of {@code connect: tls}, with the bundle's context and options. */
    private static TlsConnectionFactory tls(Resolver resolver, SslBundles bundles) {
        SslBundle bundle = bundle(resolver, bundles);
        TlsConnectionFactory.Builder tls = TlsConnectionFactory.builder(bundle.createSslContext()).tcp(tcp(resolver));
        SslOptions options = bundle.getOptions();
        if (options.getEnabledProtocols() != null) {
            tls.protocols(options.getEnabledProtocols());
        }
        if (options.getCiphers() != null) {
            tls.cipherSuites(options.getCiphers());
        }
        for (Setting<TlsConnectionFactory.Builder, ?> setting : TLS_SETTINGS) {
            resolver.apply(setting, tls);
        }
        return tls.build();
    }

    private static SslBundle bundle(Resolver resolver, SslBundles bundles) {
        String name = resolver.value(PoolProperties::getSslBundle);
        if (name == null) {
            return SslBundle.systemDefault();
        }
        String property = resolver.property("ssl-bundle", PoolProperties::getSslBundle);
        if (bundles == null) {
            throw new InvalidPoolPropertyException(property, name, "the application has no SslBundles bean, so "
                    + "no SSL bundle can be found; leave ssl-bundle unset to trust the JVM's default trust store", null);
        }
        try {
            return bundles.getBundle(name);
        } catch (NoSuchSslBundleException ex) {
            throw new InvalidPoolPropertyException(property, name, "there is no SSL bundle named '" + name
                    + "'; define it under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name
                    + " (bundles defined: " + bundles.getBundleNames() + ")", ex);
        }
    }

    /** The connection type of a pool, needed before the pool exists to give its bean a generic type. */
    static ConnectionType connectionType(PoolProperties pool, PoolProperties defaults) {
        ConnectionType type = pool.getConnectionType() != null ? pool.getConnectionType() : defaults.getConnectionType();
        if (type != null) {
            return type;
        }
        return connect(pool, defaults) == Connect.UNIX ? ConnectionType.SOCKET_CHANNEL : ConnectionType.SOCKET;
    }

    private static Connect connect(PoolProperties pool, PoolProperties defaults) {
        Connect connect = pool.getConnect() != null ? pool.getConnect() : defaults.getConnect();
        return connect != null ? connect : Connect.NONE;
    }

    /** What the user reads for the factory that {@code connect} makes: "the built-in TCP factory". */
    static String builtIn(Connect connect) {
        return switch (connect) {
            case NONE -> "no factory";
            case TCP -> "the built-in TCP factory";
            case TLS -> "the built-in TLS factory";
            case UNIX -> "the built-in Unix domain factory";
        };
    }

    /** The property name of a pool's setting: {@code pool-repos.pools.orders.max-names}, user info masked. */
    static String poolProperty(String poolName, String key) {
        return PropertyNames.pool(poolName) + "." + key;
    }

    private static Setting<PoolSettings.Builder, ?> settingNamed(String coreArgument) {
        String key = coreArgument == null ? "" : coreArgument.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        return POOL_SETTINGS.stream().filter(s -> s.key.equals(key)).findFirst().orElse(null);
    }

    String poolName() {
        return poolName;
    }

    ConnectionType connectionType() {
        return connectionType;
    }

    PoolSettings settings() {
        return settings;
    }

    Connect connect() {
        return connect;
    }

    /** The built-in factory that {@code connect} chose, or {@code null} for {@code connect: none}. */
    ConnectionFactory<?> factory() {
        return factory;
    }

    /** The names to warm at start-up, without repeats; empty when none. */
    List<String> warmUpNames() {
        return warmUpNames;
    }

    /** The property that {@link #warmUpNames()} was written under, for messages. */
    String warmUpNamesProperty() {
        return warmUpNamesProperty;
    }

    /** The SSL bundle of {@code connect: tls}, or {@code null} (not TLS, or the JVM's default trust). */
    String sslBundle() {
        return sslBundle;
    }

    /** How the pool connects, for the endpoint: the kind, and the SSL bundle's name (never its material). */
    Map<String, Object> describeConnect() {
        return sslBundle == null ? Map.of("connect", connect.name().toLowerCase(Locale.ROOT))
                : Map.of("connect", connect.name().toLowerCase(Locale.ROOT), "sslBundle", sslBundle);
    }

    /** One property and the builder method it feeds. */
    private record Setting<B, T>(String key, Function<PoolProperties, T> getter, BiConsumer<B, T> setter) {
    }

    /** Reads a setting with inheritance and knows where each value came from. */
    private record Resolver(String poolName, PoolProperties pool, PoolProperties defaults) {

        <T> T value(Function<PoolProperties, T> getter) {
            T own = getter.apply(pool);
            return own != null ? own : getter.apply(defaults);
        }

        /** The property the effective value was written under; the pool's own when neither is set. */
        String property(String key, Function<PoolProperties, ?> getter) {
            if (getter.apply(pool) == null && getter.apply(defaults) != null) {
                return "pool-repos.defaults." + key;
            }
            return poolProperty(poolName, key);
        }

        /**
         * Each pool setting's core name ({@code acquireTimeout}) to the property its value was written
         * under, or would be ({@code pool-repos.pools.orders.acquire-timeout}): the core's limit messages
         * name both.
         */
        Map<String, String> writtenNames() {
            Map<String, String> names = new java.util.HashMap<>();
            for (Setting<PoolSettings.Builder, ?> setting : POOL_SETTINGS) {
                names.put(coreName(setting.key), property(setting.key, setting.getter));
            }
            return Map.copyOf(names);
        }

        private static String coreName(String key) {
            StringBuilder name = new StringBuilder(key.length());
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                name.append(c == '-' && i + 1 < key.length() ? Character.toUpperCase(key.charAt(++i)) : c);
            }
            return name.toString();
        }

        /** The factory, if the pool holds the type it opens; else the failure naming both settings. */
        <F> F requireType(ConnectionType type, ConnectionType needed, Connect connect, F factory) {
            if (type == needed) {
                return factory;
            }
            String kind = connect.name().toLowerCase(Locale.ROOT);
            throw new InvalidPoolPropertyException(property("connect", PoolProperties::getConnect), kind,
                    builtIn(connect) + " opens " + needed.javaType().getName() + " connections but the pool holds "
                            + type.javaType().getName() + "; set connection-type to "
                            + needed.name().toLowerCase(Locale.ROOT).replace('_', '-') + ", or define a "
                            + "ConnectionFactory bean qualified @Qualifier(\"" + PropertyNames.shown(poolName) + "\") instead", null);
        }

        /** A TLS-only setting written for a pool that does not connect with TLS is a mistake worth a start-up failure. */
        void refuseUnlessTls(List<? extends Setting<?, ?>> tlsSettings, Connect connect) {
            List<Setting<?, ?>> all = new java.util.ArrayList<>(tlsSettings);
            all.add(new Setting<TlsConnectionFactory.Builder, String>("ssl-bundle", PoolProperties::getSslBundle, (b, v) -> { }));
            for (Setting<?, ?> setting : all) {
                if (setting.getter.apply(pool) != null) {
                    throw new InvalidPoolPropertyException(poolProperty(poolName, setting.key),
                            display(setting.getter.apply(pool)), setting.key + " applies only to pools with "
                                    + "connect: tls, and this pool has connect: " + connect.name().toLowerCase(Locale.ROOT)
                                    + "; set connect: tls, or remove " + setting.key, null);
                }
            }
        }

        <B, T> void apply(Setting<B, T> setting, B builder) {
            T value = value(setting.getter);
            if (value == null) {
                return;
            }
            try {
                setting.setter.accept(builder, value);
            } catch (InvalidArgumentException ex) {
                throw rejected(setting, ex);
            }
        }

        InvalidPoolPropertyException rejected(Setting<?, ?> setting, InvalidArgumentException ex) {
            if (setting == null) {
                return new InvalidPoolPropertyException(poolProperty(poolName, "*"), "?", ex.getMessage(), ex);
            }
            Object value = value(setting.getter);
            return new InvalidPoolPropertyException(property(setting.key, setting.getter),
                    value == null ? "(not set: the core default)" : display(value), ex.getMessage(), ex);
        }

        private static Object display(Object value) {
            return value instanceof Duration d ? d.toString() : value;
        }
    }
}
