package io.poolrepos.spring.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown at start-up when property names under {@code pool-repos} would not bind as written: a key
 * that the starter does not have (a misspelling, most likely), or a pool name that Boot's binding would
 * change or drop because it is not written in brackets. Every such name is reported at once;
 * {@link PoolReposPropertyNameFailureAnalyzer} turns them into Boot's start-up report. Names with user
 * info are masked. Immutable and thread-safe.
 */
public class InvalidPoolPropertyNameException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    InvalidPoolPropertyNameException(List<Problem> problems) {
        super("Invalid pool-repos property names: " + problems.stream()
                .map(p -> p.property() + " (" + p.reason() + ")").collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** The rejected names, in the order the property sources list them. */
    public List<Problem> getProblems() {
        return problems;
    }

    /**
     * One rejected property name.
     *
     * @param property the name as written, pool names with user info masked
     * @param origin where it was written (file and line, when known), or null
     * @param reason what is wrong and what to write instead
     */
    public record Problem(String property, String origin, String reason) {
    }
}
