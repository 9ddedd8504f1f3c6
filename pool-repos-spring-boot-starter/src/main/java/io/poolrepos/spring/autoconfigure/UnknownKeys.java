package io.poolrepos.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.poolrepos.spring.autoconfigure.InvalidPoolPropertyNameException.Problem;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.origin.Origin;

/**
 * Walks one property name (as Boot parsed it) down a {@link PropertyTree} and reports the first
 * element that no properties class binds, with the closest valid key. A pool name written with an
 * unbracketed {@code .} shows up here too: Boot takes its first part as the pool and the rest as keys
 * of that pool, so when the rest, less a few elements, is a valid key, the report says to bracket
 * the name. Immutable and thread-safe.
 */
record UnknownKeys(PropertyTree root, ConfigurationPropertyName prefix) {

    /** The problem with {@code name}, or null when every element of it is bound. */
    Problem check(ConfigurationPropertyName name, Origin origin) {
        boolean[] mapKey = new boolean[name.getNumberOfElements()];
        PropertyTree parent = null;
        PropertyTree node = root;
        for (int i = prefix.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
            if (node.isMap()) {
                mapKey[i] = true;
                parent = node;
                node = node.value();
                continue;
            }
            PropertyTree child = node.isBean() ? node.child(name.getElement(i, Form.UNIFORM)) : null;
            if (child == null) {
                return problem(name, i, node, parent, mapKey, origin);
            }
            parent = node;
            node = child;
        }
        return null;
    }

    private Problem problem(ConfigurationPropertyName name, int i, PropertyTree node, PropertyTree parent,
            boolean[] mapKey, Origin origin) {
        Shown shown = new Shown(name, mapKey);
        String reason;
        if (!node.isBean()) {
            reason = shown.upTo(i) + " takes a single value, not nested keys"
                    + suggestion(parent, shown.upTo(i - 1), joined(name, i - 1));
        } else if (mapKey[i - 1] && dottedFrom(name, i, node) > 0) {
            // pools.my.pool.sharable: Boot bound "my" as the pool and "pool.sharable" as its keys.
            reason = dotted(name, i, dottedFrom(name, i, node), shown);
        } else {
            reason = shown.upTo(i) + " has no key '" + name.getElement(i, Form.ORIGINAL) + "'"
                    + suggestion(node, shown.upTo(i), name.getElement(i, Form.UNIFORM), joined(name, i));
        }
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < mapKey.length; k++) {
            if (mapKey[k]) {
                keys.add(name.getElement(k, Form.ORIGINAL));
            }
        }
        return new Problem(shown.upTo(name.getNumberOfElements()), PropertyNameCheck.origin(origin, keys), reason);
    }

    /** The first element after {@code i} from which the rest of the name is a valid key of {@code bean}, or 0. */
    private static int dottedFrom(ConfigurationPropertyName name, int i, PropertyTree bean) {
        for (int rest = i + 1; rest < name.getNumberOfElements(); rest++) {
            if (bean.accepts(name, rest)) {
                return rest;
            }
        }
        return 0;
    }

    private static String dotted(ConfigurationPropertyName name, int i, int rest, Shown shown) {
        StringBuilder dotted = new StringBuilder(name.getElement(i - 1, Form.ORIGINAL));
        for (int k = i; k < rest; k++) {
            dotted.append('.').append(name.getElement(k, Form.ORIGINAL));
        }
        String key = PropertyNames.shown(dotted.toString());
        String fixed = shown.upTo(i - 1) + "[" + key + "]" + shown.from(rest);
        return shown.upTo(i) + " has no key '" + name.getElement(i, Form.ORIGINAL) + "'. If '" + key
                + "' is one name, write it in brackets, since Boot reads an unbracketed '.' as a separator: "
                + fixed + " (in YAML: \"[" + key + "]\":)";
    }

    /**
     * "; did you mean X?" for the valid key of {@code bean} closest to one of the candidates (in uniform
     * form); the list of valid keys when none is close.
     */
    private static String suggestion(PropertyTree bean, String where, String... candidates) {
        if (bean == null || !bean.isBean()) {
            return "";
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            for (String key : bean.keys()) {
                int distance = distance(candidate, PropertyTree.uniform(key));
                if (distance < bestDistance) {
                    best = key;
                    bestDistance = distance;
                }
            }
        }
        if (best != null && bestDistance <= Math.max(2, best.length() / 3)) {
            return "; did you mean " + where + "." + best + "?";
        }
        return "; valid keys there: " + String.join(", ", bean.keys());
    }

    /** The elements from {@code i} on, joined in uniform form: {@code connect.timeout} gives {@code connecttimeout}. */
    private static String joined(ConfigurationPropertyName name, int i) {
        StringBuilder joined = new StringBuilder();
        for (int k = i; k < name.getNumberOfElements(); k++) {
            joined.append(name.getElement(k, Form.UNIFORM));
        }
        return joined.toString();
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each count one. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** A name as reports show it: map keys masked and bracketed where needed. */
    private record Shown(ConfigurationPropertyName name, boolean[] mapKey) {

        /** The elements before {@code end}. */
        String upTo(int end) {
            StringBuilder shown = new StringBuilder(name.getElement(0, Form.ORIGINAL));
            for (int k = 1; k < end; k++) {
                shown.append(element(k));
            }
            return shown.toString();
        }

        /** The elements from {@code start} on. */
        String from(int start) {
            StringBuilder shown = new StringBuilder();
            for (int k = start; k < name.getNumberOfElements(); k++) {
                shown.append(element(k));
            }
            return shown.toString();
        }

        private String element(int k) {
            String original = name.getElement(k, Form.ORIGINAL);
            return PropertyNames.key(mapKey[k] ? PropertyNames.shown(original) : original);
        }
    }
}
