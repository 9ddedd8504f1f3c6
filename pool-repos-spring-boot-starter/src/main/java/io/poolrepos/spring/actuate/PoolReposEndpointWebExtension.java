package io.poolrepos.spring.actuate;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Web extension of {@link PoolReposEndpoint}: a delete operation on an unknown pool or name answers
 * 404, where the plain endpoint would answer 204; a refused write operation answers its status (400,
 * 404 or 409) with a body naming the parameter and how to fix it. Read operations are the endpoint's
 * own. Thread-safe.
 */
@EndpointWebExtension(endpoint = PoolReposEndpoint.class)
public class PoolReposEndpointWebExtension {

    private final PoolReposEndpoint delegate;

    public PoolReposEndpointWebExtension(PoolReposEndpoint delegate) {
        this.delegate = delegate;
    }

    @DeleteOperation
    public WebEndpointResponse<Map<String, Object>> drainPool(@Selector String pool) {
        return orNotFound(delegate.drainPool(pool));
    }

    @DeleteOperation
    public WebEndpointResponse<Map<String, Object>> drainName(@Selector String pool,
            @Selector(match = Match.ALL_REMAINING) String... name) {
        return orNotFound(delegate.drainName(pool, name));
    }

    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> operate(@Selector String pool, @Selector String operation,
            @Nullable String name, @Nullable String mode, @Nullable String maxOpenPerName,
            @Nullable String maxIdlePerName, @Nullable String maxIdleInPool, @Nullable String maxOpenInPool,
            @Nullable String maxWaitersPerName, @Nullable String acquireTimeout, SecurityContext securityContext) {
        try {
            return new WebEndpointResponse<>(delegate.operate(pool, operation, name, mode, maxOpenPerName,
                    maxIdlePerName, maxIdleInPool, maxOpenInPool, maxWaitersPerName, acquireTimeout, securityContext));
        } catch (OperationRefusedException ex) {
            return new WebEndpointResponse<>(ex.body(), ex.status());
        }
    }

    private static WebEndpointResponse<Map<String, Object>> orNotFound(Map<String, Object> body) {
        return body == null ? new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND)
                : new WebEndpointResponse<>(body);
    }
}
