package io.poolrepos.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.ResolvableType;

/**
 * The keys a properties class binds, read from its JavaBean properties the way Boot's binder sees
 * them, so that a property added to a class is a valid key without being listed anywhere else. A
 * node is a bean (named children), a map or collection (any key, then the value's node) or a value
 * (no children). Keys are matched in Boot's relaxed form ({@code maxIdlePerName},
 * {@code max-idle-per-name} and {@code max_idle_per_name} are one key). Immutable and thread-safe.
 */
final class PropertyTree {

    private enum Kind { BEAN, MAP, VALUE }

    private static final PropertyTree VALUE = new PropertyTree(Kind.VALUE, Map.of(), null);

    private final Kind kind;
    /** Children of a bean by their uniform name (lower case, no dashes); the map holds their dashed names too. */
    private final Map<String, Child> children;
    private final PropertyTree value;

    private PropertyTree(Kind kind, Map<String, Child> children, PropertyTree value) {
        this.kind = kind;
        this.children = children;
        this.value = value;
    }

    /** The tree of {@code type}'s bindable properties. */
    static PropertyTree of(Class<?> type) {
        return of(ResolvableType.forClass(type), 0);
    }

    private static PropertyTree of(ResolvableType type, int depth) {
        Class<?> raw = type.resolve(Object.class);
        if (depth > 8) {
            return VALUE; // a type that contains itself: deeper keys are not checked
        }
        if (Map.class.isAssignableFrom(raw)) {
            return new PropertyTree(Kind.MAP, Map.of(), of(type.asMap().getGeneric(1), depth + 1));
        }
        if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            ResolvableType element = raw.isArray() ? type.getComponentType() : type.asCollection().getGeneric(0);
            return new PropertyTree(Kind.MAP, Map.of(), of(element, depth + 1));
        }
        if (isValue(raw)) {
            return VALUE;
        }
        Map<String, Child> children = new TreeMap<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(raw)) {
            if (property.getReadMethod() == null && property.getWriteMethod() == null || "class".equals(property.getName())) {
                continue;
            }
            ResolvableType propertyType = property.getReadMethod() != null
                    ? ResolvableType.forMethodReturnType(property.getReadMethod(), raw)
                    : ResolvableType.forMethodParameter(property.getWriteMethod(), 0, raw);
            String dashed = dashed(property.getName());
            children.put(uniform(dashed), new Child(dashed, of(propertyType, depth + 1)));
        }
        return new PropertyTree(Kind.BEAN, Map.copyOf(children), null);
    }

    /** Types Boot binds from one value (or that are not ours to look into), rather than as nested keys. */
    private static boolean isValue(Class<?> type) {
        return BeanUtils.isSimpleValueType(type) || type.isEnum() || type.getName().startsWith("java.")
                || type.getName().startsWith("javax.");
    }

    boolean isBean() {
        return kind == Kind.BEAN;
    }

    /** Whether any key is valid here (a map or collection): the key is a name of the user's choosing. */
    boolean isMap() {
        return kind == Kind.MAP;
    }

    /** The node of a bean's property named {@code uniformName} (Boot's uniform form), or null when the bean has none. */
    PropertyTree child(String uniformName) {
        Child child = children.get(uniformName);
        return child == null ? null : child.tree;
    }

    /** The node under each key of a map or collection. */
    PropertyTree value() {
        return value;
    }

    /** The keys of a bean in dashed form, sorted; empty for maps and values. */
    Collection<String> keys() {
        return children.values().stream().map(Child::dashed).sorted().toList();
    }

    /** Whether the elements {@code from} to the end of {@code name} walk this tree without an unknown key. */
    boolean accepts(ConfigurationPropertyName name, int from) {
        PropertyTree node = this;
        for (int i = from; i < name.getNumberOfElements(); i++) {
            if (node.isMap()) {
                node = node.value;
            } else if (node.isBean()) {
                node = node.child(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
                if (node == null) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    static String uniform(String dashed) {
        return dashed.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static String dashed(String camelCase) {
        return camelCase.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    private record Child(String dashed, PropertyTree tree) {
    }
}
