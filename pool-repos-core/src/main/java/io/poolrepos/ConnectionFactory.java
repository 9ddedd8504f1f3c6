package io.poolrepos;

import java.io.IOException;

/**
 * Opens a new connection for a name on a miss in {@link ConnectionPool#acquire}.
 *
 * <p>Implementations MUST be thread-safe: the pool calls {@code connect} from many threads at once,
 * outside any lock. They SHOULD bound the time a connect may take (a connect timeout), because
 * {@code acquire} cannot interrupt a connect in progress.
 *
 * @param <C> the connection type
 */
@FunctionalInterface
public interface ConnectionFactory<C> {

    /**
     * Opens a connection for {@code name}.
     *
     * @param name the name the connection is for, for instance {@code "db1.example:5432"}
     * @return a connected connection, never {@code null}
     * @throws IOException when the connection cannot be opened; {@code acquire} wraps it in a
     *     {@link ConnectFailedException}
     */
    C connect(String name) throws IOException;
}
