package io.poolrepos.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a rejected {@code pool-repos} value in the same shape as Boot's own binding report
 * (property, value, reason), for applications without a bean validator, where the core's checks are
 * the ones that fire.
 */
class PoolReposConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPoolPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidPoolPropertyException cause) {
        String description = "Invalid pool-repos configuration:\n\n"
                + "    Property: " + cause.getProperty() + "\n"
                + "    Value: \"" + cause.getValue() + "\"\n"
                + "    Reason: " + cause.getReason() + "\n";
        return new FailureAnalysis(description,
                "Update " + cause.getProperty() + " in your application's configuration.", cause);
    }
}
