package io.poolrepos.sample;

import io.poolrepos.sample.backend.LineBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The backend names ({@code host:port}) the demo talks to: the embedded {@link LineBackend}s it
 * started, or the external ones configured in {@code sample.backend.external}. Immutable after
 * construction and thread-safe; {@link #close()} stops the embedded backends.
 */
public final class Backends implements AutoCloseable {

    private final List<String> names;
    private final List<LineBackend> embedded;

    private Backends(List<String> names, List<LineBackend> embedded) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("at least one backend is needed: set sample.backend.ports or sample.backend.external");
        }
        this.names = List.copyOf(names);
        this.embedded = List.copyOf(embedded);
    }

    static Backends from(SampleProperties.Backend settings) {
        if (!settings.external().isEmpty()) {
            return new Backends(settings.external().stream().map(String::trim).toList(), List.of());
        }
        List<LineBackend> started = new ArrayList<>();
        try {
            for (int port : settings.ports()) {
                started.add(LineBackend.start(port, settings.maxDelay()));
            }
        } catch (IOException ex) {
            started.forEach(LineBackend::close);
            throw new UncheckedIOException(ex);
        }
        return new Backends(started.stream().map(LineBackend::name).toList(), started);
    }

    /** Every backend name, in configuration order. */
    public List<String> names() {
        return names;
    }

    /** The backend at {@code index}, wrapping around, so that any index picks a backend. */
    public String name(int index) {
        return names.get(Math.floorMod(index, names.size()));
    }

    /** Whether the backends run inside this app. */
    public boolean embedded() {
        return !embedded.isEmpty();
    }

    @Override
    public void close() {
        embedded.forEach(LineBackend::close);
    }
}
