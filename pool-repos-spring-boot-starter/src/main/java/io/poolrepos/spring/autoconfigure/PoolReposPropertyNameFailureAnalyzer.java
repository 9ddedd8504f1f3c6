package io.poolrepos.spring.autoconfigure;

import io.poolrepos.spring.autoconfigure.InvalidPoolPropertyNameException.Problem;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports property names under {@code pool-repos} that would not bind as written, in the shape of
 * Boot's own binding report (property, origin, reason), one block per name.
 */
class PoolReposPropertyNameFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPoolPropertyNameException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidPoolPropertyNameException cause) {
        StringBuilder description = new StringBuilder("Invalid pool-repos property names:\n");
        for (Problem problem : cause.getProblems()) {
            description.append("\n    Property: ").append(problem.property()).append('\n');
            if (problem.origin() != null) {
                description.append("    Origin: ").append(problem.origin()).append('\n');
            }
            description.append("    Reason: ").append(problem.reason()).append('\n');
        }
        return new FailureAnalysis(description.toString(),
                "Rename or remove each property above in your application's configuration. The keys of "
                        + "pool-repos are those of its properties classes (the README lists them under "
                        + "\"Properties\"); a pool name other than letters, digits, '-' and '_' goes in "
                        + "brackets.", cause);
    }
}
