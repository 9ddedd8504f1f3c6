package io.poolrepos.spring.autoconfigure;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What the starter reaches by reflection, for an AOT-processed application (in a native image above
 * all): the properties classes, through Boot's binder and through {@link PropertyTree}, which reads
 * their JavaBean properties to know the valid keys. {@code PoolReposProperties} gets Boot's own hints
 * as a configuration properties bean; {@code PoolProperties} is also bound on its own (by
 * {@link ConnectionPoolBeanRegistrar}), so both are registered here, with every nested type.
 * Everything else is called from generated code. Stateless and thread-safe.
 */
class PoolReposRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        BindableRuntimeHintsRegistrar.forTypes(PoolReposProperties.class, PoolProperties.class)
                .registerHints(hints, classLoader);
    }
}
