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
        return new FailureAnalysis("Pool '" + poolName + "' could not be created from "
                + PoolDefinition.poolProperty(poolName, "*") + ": " + cause.getMessage(),
                "Make the settings under " + PoolDefinition.poolProperty(poolName, "*")
                        + " match the pool that already exists in your PoolRepository bean, or configure that pool "
                        + "under another name.", cause);
    }
}
