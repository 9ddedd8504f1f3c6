package io.poolrepos.spring.autoconfigure;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;

/**
 * Holds back the application's readiness until the start-up warm-up is complete or its timeout has
 * passed. Boot reports the application ready (ReadinessState.ACCEPTING_TRAFFIC, so
 * {@code /actuator/health/readiness} UP) only after every application runner has returned, and the
 * default readiness state before that is REFUSING_TRAFFIC, while liveness is already CORRECT and the
 * web server already serves: the way Boot's documentation gives for work that must finish before an
 * application takes traffic. Ordered first, so that the application's own runners find the pools warm.
 *
 * <p>Thread-safe: it only waits on {@link StartupWarmUp}.
 */
final class WarmUpReadiness implements ApplicationRunner, Ordered {

    private final StartupWarmUp warmUp;

    WarmUpReadiness(StartupWarmUp warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public void run(ApplicationArguments args) {
        warmUp.awaitWarm();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
