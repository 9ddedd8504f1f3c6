package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.PropertyDescriptor;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.BeanUtils;

/**
 * The starter's runtime hints cover what it reflects on: every getter and setter of the properties
 * classes, nested ones included, which both Boot's binder and {@link PropertyTree} use.
 */
class PoolReposRuntimeHintsTests {

    private final RuntimeHints hints = new RuntimeHints();

    PoolReposRuntimeHintsTests() {
        new PoolReposRuntimeHints().registerHints(hints, getClass().getClassLoader());
    }

    @Test
    void everyPropertiesClassShouldBeRegisteredWithItsAccessors() {
        for (Class<?> type : new Class<?>[] {PoolReposProperties.class, PoolReposProperties.Metrics.class,
                PoolProperties.class}) {
            assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(hints);
            for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
                if (property.getReadMethod() != null && !"class".equals(property.getName())) {
                    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(property.getReadMethod()))
                            .as(type.getSimpleName() + "." + property.getName()).accepts(hints);
                }
                if (property.getWriteMethod() != null) {
                    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(property.getWriteMethod()))
                            .as(type.getSimpleName() + "." + property.getName()).accepts(hints);
                }
            }
        }
    }

    @Test
    void theNoArgumentConstructorsShouldBeInvocable() throws NoSuchMethodException {
        assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(PoolProperties.class.getConstructor()))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection()
                .onConstructorInvocation(PoolReposProperties.class.getConstructor())).accepts(hints);
    }
}
