package io.poolrepos.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.poolrepos.ConnectionPool;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.analyzer.AbstractInjectionFailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;

/**
 * Explains a {@code ConnectionPool} injection that found no pool or more than one: which pools are
 * configured, under which property, and that {@code @Qualifier("<pool>")} picks one. Ordered before
 * Boot's general analyzers of the same exceptions, which know nothing of pools. Pool names with user
 * info are masked.
 */
class ConnectionPoolInjectionFailureAnalyzer extends AbstractInjectionFailureAnalyzer<NoSuchBeanDefinitionException>
        implements Ordered {

    private final BeanFactory beanFactory;

    /** Boot passes the failed context's bean factory, or null when start-up failed before there was one. */
    ConnectionPoolInjectionFailureAnalyzer(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause, String description) {
        ResolvableType required = cause.getResolvableType();
        if (required == null || !ConnectionPool.class.isAssignableFrom(required.resolve(Object.class))) {
            return null;
        }
        String who = description != null ? description : "An injection point";
        List<String> pools = configuredPools();
        String configured = "\n\nConfigured pools: " + (pools.isEmpty() ? "none" : String.join(", ", pools));
        if (cause instanceof NoUniqueBeanDefinitionException unique) {
            return new FailureAnalysis(who + " needs one " + required + ", but " + unique.getNumberOfBeansFound()
                    + " pools match: " + String.join(", ", new java.util.TreeSet<>(unique.getBeanNamesFound())) + "." + configured,
                    "Add @Qualifier(\"<pool>\") to the injection point, with the name of one of the configured "
                            + "pools: its key under pool-repos.pools.", cause);
        }
        String qualifier = qualifier(rootFailure);
        if (qualifier != null) {
            return new FailureAnalysis(who + " needs the pool \"" + PropertyNames.shown(qualifier) + "\" ("
                    + required + "), which does not exist." + configured, "Configure the pool under "
                            + PropertyNames.pool(qualifier) + ", or change the injection point's @Qualifier to the "
                            + "name of a configured pool (of the same connection type).", cause);
        }
        return new FailureAnalysis(who + " needs a " + required + ", and no configured pool is one." + configured,
                "Configure a pool under pool-repos.pools.<pool> with that connection type (connection-type, or a "
                        + "ConnectionAdapter bean qualified with the pool's name), or inject a configured pool with "
                        + "its type and @Qualifier(\"<pool>\").", cause);
    }

    /** The {@code @Qualifier} value at the failed injection point, or null when it has none. */
    private static String qualifier(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnsatisfiedDependencyException unsatisfied && unsatisfied.getInjectionPoint() != null) {
                InjectionPoint point = unsatisfied.getInjectionPoint();
                Qualifier qualifier = point.getAnnotation(Qualifier.class);
                return qualifier != null ? qualifier.value() : null;
            }
        }
        return null;
    }

    /** Each pool bean as {@code orders (io.poolrepos.ConnectionPool<java.net.Socket>, pool-repos.pools.orders)}. */
    private List<String> configuredPools() {
        List<String> pools = new ArrayList<>();
        if (!(beanFactory instanceof ConfigurableListableBeanFactory factory)) {
            return pools;
        }
        for (String name : factory.getBeanNamesForType(ConnectionPool.class, true, false)) {
            BeanDefinition definition = factory.getMergedBeanDefinition(name);
            AutowireCandidateQualifier qualifier = definition instanceof AbstractBeanDefinition abstractDefinition
                    ? abstractDefinition.getQualifier(Qualifier.class.getName()) : null;
            if (qualifier != null && qualifier.getAttribute("value") instanceof String poolName) {
                pools.add("\"" + PropertyNames.shown(poolName) + "\" (" + definition.getResolvableType() + ", "
                        + PropertyNames.pool(poolName) + ")");
            }
        }
        return pools.stream().sorted().collect(Collectors.toList());
    }
}
