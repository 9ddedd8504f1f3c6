package io.poolrepos.spring.autoconfigure;

import java.util.List;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * What Boot prints as "APPLICATION FAILED TO START" for a start-up failure: the first analysis of the
 * failure analyzers registered in spring.factories (Boot's and ours), description then action.
 */
final class StartupReport {

    private StartupReport() {
    }

    static String of(Throwable failure) {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(
                StartupReport.class.getClassLoader()).load(FailureAnalyzer.class,
                        SpringFactoriesLoader.ArgumentResolver.none(),
                        SpringFactoriesLoader.FailureHandler.logging(org.apache.commons.logging.LogFactory.getLog(
                                StartupReport.class)));
        for (FailureAnalyzer analyzer : analyzers) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return "Description:\n" + analysis.getDescription() + "\nAction:\n" + analysis.getAction();
            }
        }
        throw new AssertionError("no failure analyzer reported on " + failure, failure);
    }
}
