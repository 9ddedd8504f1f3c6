package io.poolrepos.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.poolrepos.spring.autoconfigure.InvalidPoolPropertyNameException.Problem;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Fails start-up with {@link InvalidPoolPropertyNameException} when a property under
 * {@code pool-repos} would not bind as written. Boot's binder ignores keys it has no property for and
 * silently changes map keys written without brackets, so {@code shareable: true} or a pool named
 * {@code my.pool} would start the application with defaults. Two checks, both against the keys of
 * {@link PoolReposProperties} as reflected by {@link PropertyTree}:
 * <ul>
 * <li>every name under the prefix, from every source (files, system properties, environment
 * variables, in Boot's relaxed forms), must walk the tree: an unknown key is reported with the
 * closest valid one ({@link UnknownKeys});</li>
 * <li>every pool name written without brackets in a file, a system property or an argument must
 * reach the binder unchanged: the raw names in the property sources are compared with what Boot's
 * name parsing makes of them ({@link BracketlessKeys}).</li>
 * </ul>
 *
 * <p>A bean factory post-processor, so that it runs before any bean is created: in a normal start,
 * in a start from AOT-processed classes, and during AOT processing itself. Thread-safety does not
 * arise: Spring calls it once, while the context starts.
 */
final class PropertyNameCheck implements BeanFactoryPostProcessor {

    static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of(MergedAnnotations
            .from(PoolReposProperties.class).get(ConfigurationProperties.class).getString("prefix"));

    private static final PropertyTree TREE = PropertyTree.of(PoolReposProperties.class);

    private final Environment environment;

    PropertyNameCheck(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        check(environment);
    }

    /**
     * Throws when {@link #problems} finds any. Also called by {@link ConnectionPoolBeanRegistrar} before
     * it binds the pools, which without AOT happens before any post-processor runs: a pool name that Boot
     * turns into a key of another meaning would fail that binding with a message of its own.
     */
    static void check(Environment environment) {
        List<Problem> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new InvalidPoolPropertyNameException(problems);
        }
    }

    /** What is wrong with the names under the prefix, one problem per property as displayed. */
    static List<Problem> problems(Environment environment) {
        Map<String, Problem> problems = new LinkedHashMap<>();
        UnknownKeys unknown = new UnknownKeys(TREE, PREFIX);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.filter(PREFIX::isAncestorOf).stream().forEach(name -> {
                    var property = iterable.getConfigurationProperty(name);
                    Problem problem = unknown.check(name, property == null ? null : property.getOrigin());
                    if (problem != null) {
                        problems.putIfAbsent(problem.property(), problem);
                    }
                });
            }
        }
        BracketlessKeys bracketless = new BracketlessKeys(TREE, PREFIX);
        for (PropertySource<?> source : rawSources(environment)) {
            for (String raw : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
                Problem problem = bracketless.check(raw, OriginLookup.getOrigin(source, raw));
                if (problem != null) {
                    problems.putIfAbsent(problem.property(), problem);
                }
            }
        }
        return new ArrayList<>(problems.values());
    }

    /**
     * Sources whose names are written as the user wrote them. Environment variables are left out: their
     * names cannot hold brackets or dots, and Boot maps them by its own rules.
     */
    private static List<PropertySource<?>> rawSources(Environment environment) {
        List<PropertySource<?>> sources = new ArrayList<>();
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (PropertySource<?> source : configurable.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> && !(source instanceof SystemEnvironmentPropertySource)
                        && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                    sources.add(source);
                }
            }
        }
        return sources;
    }

    /**
     * An origin as text, with the user info of each given key masked: a property-source origin
     * repeats the property name, pool name included.
     */
    static String origin(Origin origin, List<String> keys) {
        if (origin == null) {
            return null;
        }
        String text = origin.toString();
        for (String key : keys) {
            text = text.replace(key, PropertyNames.shown(key));
        }
        return text;
    }
}
