package io.poolrepos.spring.autoconfigure;

import java.util.Map;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;

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
 * themselves come from {@link ConfiguredPools#pool(String)}, the beans' factory method.
 *
 * <p>Under AOT the registrar runs at build time: the pool beans of an AOT-processed application are
 * those configured when it was built, while their settings are read when it starts.
 */
final class ConnectionPoolBeanRegistrar implements ImportBeanDefinitionRegistrar {

    private final Environment environment;

    ConnectionPoolBeanRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        PropertyNameCheck.check(environment);
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
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setTargetType(ResolvableType.forClassWithGenerics(ConnectionPool.class, type));
            // A factory method with the pool name as its argument rather than an instance supplier: AOT
            // processing writes code for a factory method, and cannot for a lambda.
            definition.setFactoryBeanName(ConfiguredPools.BEAN_NAME);
            definition.setFactoryMethodName("pool");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, poolName);
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, poolName));
            // Shown by Spring where it lists candidate beans ("defined in pool-repos.pools.orders").
            definition.setResourceDescription(PropertyNames.pool(poolName));
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

    /**
     * {@code <pool>ConnectionPool}, or a name no user would write when the user has a bean of that name.
     * The pool name is masked: Spring writes bean names into its messages and logs. Two pool names that
     * mask alike get a number.
     */
    private static String beanName(BeanDefinitionRegistry registry, String poolName) {
        String shown = PropertyNames.shown(poolName);
        String name = shown + "ConnectionPool";
        if (!registry.containsBeanDefinition(name)) {
            return name;
        }
        name = ConnectionPool.class.getName() + "#" + shown;
        for (int i = 1; registry.containsBeanDefinition(name); i++) {
            name = ConnectionPool.class.getName() + "#" + shown + "#" + i;
        }
        return name;
    }
}
