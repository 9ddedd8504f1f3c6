package io.poolrepos.spring.autoconfigure;

import io.poolrepos.PoolConflictException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link PoolConflictException} at start-up: it happens when the application's own
 * {@code PoolRepository} bean already holds a pool of the same name as one under
 * {@code pool-repos.pools}, created with other settings.
 */
class PoolConflictFailureAnalyzer extends AbstractFailureAnalyzer<PoolConflictException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PoolConflictException cause) {
        String poolName = cause.getPoolName();
        // The core's message names the pool as it is; a pool name with user info is shown masked.
        String message = cause.getMessage().replace(poolName, PropertyNames.shown(poolName));
        return new FailureAnalysis("Pool '" + PropertyNames.shown(poolName) + "' could not be created from "
                + PoolDefinition.poolProperty(poolName, "*") + ": " + message,
                "Make the settings under " + PoolDefinition.poolProperty(poolName, "*")
                        + " match the pool that already exists in your PoolRepository bean, or configure that pool "
                        + "under another name.", cause);
    }
}
