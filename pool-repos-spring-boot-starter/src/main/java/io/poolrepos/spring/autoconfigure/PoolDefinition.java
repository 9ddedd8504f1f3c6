package io.poolrepos.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.poolrepos.ConnectionFactory;
import io.poolrepos.InvalidArgumentException;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.spring.autoconfigure.PoolProperties.Connect;
import io.poolrepos.spring.autoconfigure.PoolProperties.ConnectionType;

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
            new Setting<>("max-idle-in-pool", PoolProperties::getMaxIdleInPool, PoolSettings.Builder::maxIdleInPool),
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
            new Setting<>("probe-after-idle", PoolProperties::getProbeAfterIdle, PoolSettings.Builder::probeAfterIdle));

    private static final List<Setting<TcpConnectionFactory.Builder, ?>> TCP_SETTINGS = List.of(
            new Setting<>("connect-timeout", PoolProperties::getConnectTimeout,
                    TcpConnectionFactory.Builder::connectTimeout),
            new Setting<>("tcp-no-delay", PoolProperties::getTcpNoDelay, TcpConnectionFactory.Builder::tcpNoDelay),
            new Setting<>("keep-alive", PoolProperties::getKeepAlive, TcpConnectionFactory.Builder::keepAlive),
            new Setting<>("so-timeout", PoolProperties::getSoTimeout, TcpConnectionFactory.Builder::soTimeout));

    private final String poolName;
    private final ConnectionType connectionType;
    private final PoolSettings settings;
    private final TcpConnectionFactory tcpFactory;

    private PoolDefinition(String poolName, ConnectionType connectionType, PoolSettings settings,
            TcpConnectionFactory tcpFactory) {
        this.poolName = poolName;
        this.connectionType = connectionType;
        this.settings = settings;
        this.tcpFactory = tcpFactory;
    }

    /**
     * Resolves and checks one pool's settings.
     *
     * @throws InvalidPoolPropertyException when a value is rejected
     */
    static PoolDefinition resolve(String poolName, PoolProperties pool, PoolProperties defaults) {
        if (poolName.isBlank()) {
            throw new InvalidPoolPropertyException("pool-repos.pools", poolName,
                    "pool names must not be blank; give each pool a name of letters, digits or '-'", null);
        }
        Resolver resolver = new Resolver(poolName, pool, defaults);
        PoolSettings.Builder builder = PoolSettings.builder();
        for (Setting<PoolSettings.Builder, ?> setting : POOL_SETTINGS) {
            resolver.apply(setting, builder);
        }
        PoolSettings settings;
        try {
            settings = builder.build();
        } catch (InvalidArgumentException ex) {
            throw resolver.rejected(settingNamed(ex.getArgument()), ex);
        }
        ConnectionType type = connectionType(pool, defaults);
        TcpConnectionFactory tcp = null;
        if (resolver.value(PoolProperties::getConnect) == Connect.TCP) {
            if (type != ConnectionType.SOCKET) {
                throw new InvalidPoolPropertyException(resolver.property("connect", PoolProperties::getConnect), "tcp",
                        "the built-in TCP factory opens java.net.Socket connections but the pool holds "
                                + type.javaType().getName() + "; set connection-type to socket, or define a "
                                + "ConnectionFactory bean qualified @Qualifier(\"" + PropertyNames.shown(poolName) + "\") instead", null);
            }
            TcpConnectionFactory.Builder tcpBuilder = TcpConnectionFactory.builder();
            for (Setting<TcpConnectionFactory.Builder, ?> setting : TCP_SETTINGS) {
                resolver.apply(setting, tcpBuilder);
            }
            tcp = tcpBuilder.build();
        }
        return new PoolDefinition(poolName, type, settings, tcp);
    }

    /** The connection type of a pool, needed before the pool exists to give its bean a generic type. */
    static ConnectionType connectionType(PoolProperties pool, PoolProperties defaults) {
        ConnectionType type = pool.getConnectionType() != null ? pool.getConnectionType() : defaults.getConnectionType();
        return type != null ? type : ConnectionType.SOCKET;
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

    /** The built-in TCP factory when {@code connect: tcp}, else {@code null}. */
    ConnectionFactory<?> tcpFactory() {
        return tcpFactory;
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
