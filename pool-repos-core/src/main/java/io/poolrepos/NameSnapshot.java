package io.poolrepos;

/**
 * The figures of one name at one moment. Immutable and thread-safe.
 *
 * @param name the name, for instance {@code "db1.example:5432"}
 * @param counts its figures
 */
public record NameSnapshot(String name, Counts counts) {
}
