package io.poolrepos.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.poolrepos.NameMasking;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/**
 * An operation of the endpoint refused before anything changed: bad or contradictory input (400), an
 * unknown pool, name or operation (404), a closed pool (409). Carries the HTTP status, the parameter
 * at fault and a message that says how to fix it; {@link PoolReposEndpointWebExtension} answers with
 * them. Elsewhere (JMX) it is the endpoint's invalid-request exception. Immutable and thread-safe.
 */
final class OperationRefusedException extends InvalidEndpointRequestException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String pool;
    private final String operation;
    private final String parameter;

    OperationRefusedException(int status, String pool, String operation, String parameter, String message) {
        super(message, message);
        this.status = status;
        this.pool = pool;
        this.operation = operation;
        this.parameter = parameter;
    }

    int status() {
        return status;
    }

    /** The answer's body: the pool, the operation, the parameter at fault and the message. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pool", NameMasking.mask(pool));
        body.put("operation", operation);
        body.put("parameter", parameter);
        body.put("message", getMessage());
        return body;
    }
}
