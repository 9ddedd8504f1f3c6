package io.poolrepos.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionFactory;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;

/**
 * Creates the pools of {@code pool-repos.pools} in the repository, in the order they are configured,
 * and hands each to its {@code <pool>ConnectionPool} bean. Every pool is checked before the first is
 * created, so a bad setting anywhere leaves the repository untouched. Thread-safe: immutable once built.
 */
final class ConfiguredPools {

    private final Map<String, ConnectionPool<?>> pools;

    ConfiguredPools(PoolRepository repository, PoolReposProperties properties, ListableBeanFactory beanFactory) {
        List<PoolDefinition> definitions = new ArrayList<>();
        properties.getPools().forEach((name, pool) ->
                definitions.add(PoolDefinition.resolve(name, pool, properties.getDefaults())));
        Map<String, ConnectionPool<?>> created = new LinkedHashMap<>();
        for (PoolDefinition definition : definitions) {
            ConnectionFactory<?> factory = qualifiedFactory(beanFactory, definition.poolName());
            created.put(definition.poolName(), create(repository, definition,
                    factory != null ? factory : definition.tcpFactory()));
        }
        this.pools = Map.copyOf(created);
    }

    /** The configured pool named {@code poolName}. */
    ConnectionPool<?> pool(String poolName) {
        ConnectionPool<?> pool = pools.get(poolName);
        if (pool == null) {
            throw new IllegalStateException("No pool '" + poolName + "' under pool-repos.pools");
        }
        return pool;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ConnectionPool<?> create(PoolRepository repository, PoolDefinition definition,
            ConnectionFactory<?> factory) {
        // The adapter's type and the factory's are matched by configuration, not by the compiler.
        ConnectionAdapter adapter = definition.connectionType().adapter();
        if (factory == null) {
            return repository.pool(definition.poolName(), adapter, definition.settings());
        }
        return repository.pool(definition.poolName(), adapter, definition.settings(), (ConnectionFactory) factory);
    }

    /** A user's {@code ConnectionFactory} bean qualified (or named) with the pool's name, or null. */
    private static ConnectionFactory<?> qualifiedFactory(ListableBeanFactory beanFactory, String poolName) {
        try {
            return BeanFactoryAnnotationUtils.qualifiedBeanOfType(beanFactory, ConnectionFactory.class, poolName);
        } catch (NoUniqueBeanDefinitionException ex) {
            throw ex;
        } catch (NoSuchBeanDefinitionException ex) {
            return null;
        }
    }
}
