package io.poolrepos;

/**
 * Work done with a connection held exclusively, for {@link ConnectionPool#call}.
 *
 * @param <C> the connection type
 * @param <R> the result type
 * @param <X> the exception the work may throw, such as {@link java.io.IOException}
 */
@FunctionalInterface
public interface ConnectionWork<C, R, X extends Exception> {

    /** Uses the connection; it MUST NOT be kept, closed or given back by the work itself. */
    R apply(C connection) throws X;
}
