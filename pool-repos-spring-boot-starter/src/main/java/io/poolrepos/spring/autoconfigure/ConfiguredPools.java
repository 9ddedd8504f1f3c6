package io.poolrepos.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionFactory;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.TlsConnectionFactory;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.ssl.SslBundles;

/**
 * Creates the pools of {@code pool-repos.pools} in the repository, in the order they are configured,
 * and hands each to its {@code <pool>ConnectionPool} bean. A user's {@code ConnectionAdapter} or
 * {@code ConnectionFactory} bean qualified with a pool's name is used for that pool. Every pool is checked before the first is
 * created, so a bad setting anywhere leaves the repository untouched. Thread-safe: immutable once built.
 */
final class ConfiguredPools {

    private static final Log LOG = LogFactory.getLog(ConfiguredPools.class);

    /** The bean's name, which each pool bean names as its factory bean. */
    static final String BEAN_NAME = "poolReposConfiguredPools";

    private final Map<String, ConnectionPool<?>> pools;
    private final Map<String, Map<String, Object>> connects;
    private final Map<String, List<String>> warmUpNames;

    /**
     * @param bundles the application's SSL bundles, or null
     * @param observed what observes the pool beans and their connects, or null when the application has
     *     no observation registry
     */
    ConfiguredPools(PoolRepository repository, PoolReposProperties properties, ListableBeanFactory beanFactory,
            SslBundles bundles, ObservedPools observed) {
        List<PoolDefinition> definitions = new ArrayList<>();
        properties.getPools().forEach((name, pool) ->
                definitions.add(PoolDefinition.resolve(name, pool, properties.getDefaults(), bundles)));
        Map<String, ConnectionPool<?>> created = new LinkedHashMap<>();
        Map<String, Map<String, Object>> described = new LinkedHashMap<>();
        Map<String, List<String>> toWarm = new LinkedHashMap<>();
        for (PoolDefinition definition : definitions) {
            ConnectionAdapter<?> adapter = qualified(beanFactory, ConnectionAdapter.class, definition.poolName());
            ConnectionFactory<?> factory = qualified(beanFactory, ConnectionFactory.class, definition.poolName());
            if (adapter == null) {
                adapter = definition.connectionType().adapter();
            } else if (factory == null && definition.factory() != null
                    && adapter.connectionType() != definition.connectionType().javaType()) {
                String kind = definition.connect().name().toLowerCase(java.util.Locale.ROOT);
                throw new InvalidPoolPropertyException(PoolDefinition.poolProperty(definition.poolName(), "connect"),
                        kind, PoolDefinition.builtIn(definition.connect()) + " opens "
                                + definition.connectionType().javaType().getName() + " connections but the "
                                + "ConnectionAdapter bean qualified \"" + PropertyNames.shown(definition.poolName()) + "\" handles "
                                + adapter.connectionType().getName() + "; define a ConnectionFactory bean with the same "
                                + "qualifier instead", null);
            }
            ConnectionFactory<?> opening = factory != null ? factory : definition.factory();
            if (opening == null && !definition.warmUpNames().isEmpty()) {
                throw new InvalidPoolPropertyException(definition.warmUpNamesProperty(),
                        definition.warmUpNames().stream().map(io.poolrepos.NameMasking::mask).toList(),
                        "warm-up opens connections with the pool's factory, and this pool has none; set connect "
                                + "(tcp, tls or unix), or define a ConnectionFactory bean qualified @Qualifier(\""
                                + PropertyNames.shown(definition.poolName()) + "\")", null);
            }
            if (!definition.warmUpNames().isEmpty()) {
                toWarm.put(definition.poolName(), definition.warmUpNames());
            }
            if (observed != null && opening != null) {
                opening = observed.factory(definition.poolName(), opening);
            }
            ConnectionPool<?> pool = create(repository, definition.poolName(), adapter, definition.settings(), opening);
            created.put(definition.poolName(), observed != null ? observed.pool(pool) : pool);
            described.put(definition.poolName(), factory != null ? Map.of("connect", "factory bean")
                    : definition.describeConnect());
            if (factory == null && definition.sslBundle() != null) {
                followReloads(bundles, definition);
            }
        }
        this.pools = Map.copyOf(created);
        this.connects = Map.copyOf(described);
        this.warmUpNames = java.util.Collections.unmodifiableMap(toWarm);
    }

    /** The names to warm at start-up, by pool, in configuration order; only pools that have some. */
    Map<String, List<String>> warmUpNames() {
        return warmUpNames;
    }

    /**
     * A reloaded bundle (reload-on-update) gives the pool's factory a new context: new connections use
     * it, and older ones are closed as the pool next checks them.
     */
    private static void followReloads(SslBundles bundles, PoolDefinition definition) {
        TlsConnectionFactory tls = (TlsConnectionFactory) definition.factory();
        bundles.addBundleUpdateHandler(definition.sslBundle(), updated -> {
            tls.useContext(updated.createSslContext());
            LOG.info("Pool '" + PropertyNames.shown(definition.poolName()) + "': SSL bundle '" + definition.sslBundle()
                    + "' was reloaded; new connections use it, and older ones are closed as they come back or at housekeeping");
        });
    }

    /** How the configured pool connects ({@code connect}, and {@code sslBundle} for TLS), or null for a pool not configured here. */
    Map<String, Object> describeConnect(String poolName) {
        return connects.get(poolName);
    }

    /**
     * The configured pool named {@code poolName}: the factory method of the {@code ConnectionPool} beans.
     * A pool bean without a pool happens only when an AOT-processed application starts with other pools
     * than it was built with.
     */
    ConnectionPool<?> pool(String poolName) {
        ConnectionPool<?> pool = pools.get(poolName);
        if (pool == null) {
            throw new IllegalStateException("No pool " + PropertyNames.pool(poolName) + " is configured, but the "
                    + "application was AOT-processed with it; build it again with the pools it runs with");
        }
        return pool;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ConnectionPool<?> create(PoolRepository repository, String poolName, ConnectionAdapter adapter,
            PoolSettings settings, ConnectionFactory<?> factory) {
        // The adapter's type and the factory's are matched by configuration, not by the compiler.
        if (factory == null) {
            return repository.pool(poolName, adapter, settings);
        }
        return repository.pool(poolName, adapter, settings, (ConnectionFactory) factory);
    }

    /** A user's bean of {@code type} qualified (or named) with the pool's name, or null. */
    private static <T> T qualified(ListableBeanFactory beanFactory, Class<T> type, String poolName) {
        try {
            return BeanFactoryAnnotationUtils.qualifiedBeanOfType(beanFactory, type, poolName);
        } catch (NoUniqueBeanDefinitionException ex) {
            throw ex;
        } catch (NoSuchBeanDefinitionException ex) {
            return null;
        }
    }
}
