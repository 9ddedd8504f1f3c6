package io.poolrepos.spring.autoconfigure;

import java.util.Map;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link ConnectionPool} bean per entry of {@code pool-repos.pools}, named
 * {@code <pool>ConnectionPool}, qualified with the pool's name and typed
 * {@code ConnectionPool<Socket>} (or {@code <SocketChannel>}, or the type of the user's
 * {@code ConnectionAdapter} bean qualified with the pool's name) so that both
 * {@code @Qualifier("orders")} and injection by generic type work. The beans are registered before
 * any bean exists, which is why the pool names are read with a {@link Binder} here; the pools
 * themselves come from {@link ConfiguredPools}.
 */
final class ConnectionPoolBeanRegistrar implements ImportBeanDefinitionRegistrar {

    private final Environment environment;
    private final BeanFactory beanFactory;

    ConnectionPoolBeanRegistrar(Environment environment, BeanFactory beanFactory) {
        this.environment = environment;
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Binder binder = Binder.get(environment);
        Map<String, PoolProperties> pools = binder
                .bind("pool-repos.pools", Bindable.mapOf(String.class, PoolProperties.class))
                .orElse(Map.of());
        PoolProperties defaults = binder.bind("pool-repos.defaults", PoolProperties.class)
                .orElseGet(PoolProperties::new);
        pools.forEach((poolName, pool) -> {
            if (poolName.isBlank()) {
                return; // ConfiguredPools reports it with the property name
            }
            ResolvableType type = userAdapterType(registry, poolName);
            if (type == null) {
                type = ResolvableType.forClass(PoolDefinition.connectionType(pool, defaults).javaType());
            }
            RootBeanDefinition definition = new RootBeanDefinition(ConnectionPool.class);
            definition.setTargetType(ResolvableType.forClassWithGenerics(ConnectionPool.class, type));
            definition.setInstanceSupplier(() -> beanFactory.getBean(ConfiguredPools.class).pool(poolName));
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, poolName));
            registry.registerBeanDefinition(beanName(registry, poolName), definition);
        });
    }

    /**
     * The connection type of a user's {@code ConnectionAdapter} bean qualified with the pool's name, or
     * null when there is none. User beans are registered before auto-configurations, so they are
     * visible here; their types come from their definitions, without creating them.
     */
    private static ResolvableType userAdapterType(BeanDefinitionRegistry registry, String poolName) {
        if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
            return null;
        }
        for (String name : beanFactory.getBeanNamesForType(ConnectionAdapter.class, true, false)) {
            if (BeanFactoryAnnotationUtils.isQualifierMatch(poolName::equals, name, beanFactory)) {
                ResolvableType type = beanFactory.getMergedBeanDefinition(name).getResolvableType()
                        .as(ConnectionAdapter.class).getGeneric(0);
                return type.resolve() != null ? type : ResolvableType.forClass(Object.class);
            }
        }
        return null;
    }

    /** {@code <pool>ConnectionPool}, or a name no user would write when the user has a bean of that name. */
    private static String beanName(BeanDefinitionRegistry registry, String poolName) {
        String name = poolName + "ConnectionPool";
        return registry.containsBeanDefinition(name) ? ConnectionPool.class.getName() + "#" + poolName : name;
    }
}
