package io.poolrepos.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.poolrepos.spring.autoconfigure.InvalidPoolPropertyNameException.Problem;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.origin.Origin;

/**
 * Compares a property name as written ({@code pool-repos.pools.a/b.sharable}) with what Boot's binding
 * makes of it: outside brackets Boot keeps only letters, digits, {@code -} and {@code _} of a map key,
 * so {@code a/b} binds as pool {@code ab}, {@code pööl} as {@code pl}, and a key of none of those
 * characters disappears. Such a key is reported with its bracketed form. Names that the tree does not
 * know are left to {@link UnknownKeys}. Immutable and thread-safe.
 */
record BracketlessKeys(PropertyTree root, ConfigurationPropertyName prefix) {

    /** The problem with the raw name {@code raw}, or null when Boot binds each of its map keys as written. */
    Problem check(String raw, Origin origin) {
        List<String> elements = split(raw);
        if (elements.size() <= prefix.getNumberOfElements()) {
            return null;
        }
        for (int i = 0; i < prefix.getNumberOfElements(); i++) {
            if (!uniform(elements.get(i)).equals(prefix.getElement(i, Form.UNIFORM))) {
                return null;
            }
        }
        PropertyTree node = root;
        for (int i = prefix.getNumberOfElements(); i < elements.size() && node != null; i++) {
            String element = elements.get(i);
            if (node.isMap()) {
                String bound = bound(element);
                if (!element.startsWith("[") && !element.equals(bound)) {
                    return problem(elements, i, bound, origin);
                }
                node = node.value();
            } else {
                node = node.isBean() ? node.child(uniform(element)) : null;
            }
        }
        return null;
    }

    private static Problem problem(List<String> elements, int i, String bound, Origin origin) {
        String key = PropertyNames.shown(elements.get(i));
        String before = String.join(".", elements.subList(0, i));
        String after = elements.subList(i + 1, elements.size()).stream().map(e -> e.startsWith("[") ? e : "." + e)
                .reduce("", String::concat);
        // What Boot makes of a name with user info would show the user info without its '@': not shown.
        String effect = bound.isEmpty() ? "drops the name '" + key + "' altogether"
                : !key.equals(elements.get(i)) ? "changes the name '" + key + "'"
                : "reads the name '" + key + "' as '" + bound + "'";
        String reason = "Boot's binding " + effect + ": outside brackets it keeps only letters, digits, '-' and "
                + "'_'. Write the name in brackets: " + before + "[" + key + "]" + after + " (in YAML: \"[" + key
                + "]\":)";
        return new Problem(before + "." + key + after, PropertyNameCheck.origin(origin, List.of(elements.get(i))),
                reason);
    }

    /** What Boot binds for a map key written as {@code element}: its ORIGINAL form after parsing. */
    private static String bound(String element) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(element, '.');
        return name.isEmpty() ? "" : name.getElement(0, Form.ORIGINAL);
    }

    private static String uniform(String element) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(element, '.');
        return name.isEmpty() ? "" : name.getElement(0, Form.UNIFORM);
    }

    /** The elements of a raw name: split at {@code .} outside brackets; bracketed elements keep their brackets. */
    static List<String> split(String raw) {
        List<String> elements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (char c : raw.toCharArray()) {
            if (c == '[' && depth++ == 0 && current.length() > 0) {
                elements.add(current.toString());
                current.setLength(0);
            }
            if (c == '.' && depth == 0) {
                if (current.length() > 0) {
                    elements.add(current.toString());
                }
                current.setLength(0);
                continue;
            }
            current.append(c);
            if (c == ']' && --depth == 0) {
                elements.add(current.toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            elements.add(current.toString());
        }
        return elements;
    }
}
