package io.poolrepos.sample;

import io.poolrepos.sample.backend.LineBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The backend names ({@code host:port}) the demo talks to, of two kinds: plain TCP backends and TLS
 * backends. Of each kind, either the embedded {@link LineBackend}s it started or the external ones
 * configured in {@code sample.backend.external} and {@code sample.backend.external-tls}. Immutable
 * after construction and thread-safe; {@link #close()} stops the embedded backends.
 */
public final class Backends implements AutoCloseable {

    private final Kind plain;
    private final Kind tls;
    private final List<LineBackend> embedded;

    private Backends(Kind plain, Kind tls, List<LineBackend> embedded) {
        this.plain = plain;
        this.tls = tls;
        this.embedded = List.copyOf(embedded);
    }

    /**
     * Starts the embedded backends that the settings ask for.
     *
     * @param serverContext the embedded TLS backends' context; asked only when they are started
     */
    static Backends from(SampleProperties.Backend settings, Supplier<SSLContext> serverContext) {
        if (settings.external().isEmpty() && settings.ports().isEmpty()) {
            throw new IllegalArgumentException(
                    "at least one backend is needed: set sample.backend.ports or sample.backend.external");
        }
        if (settings.externalTls().isEmpty() && settings.tlsPorts().isEmpty()) {
            throw new IllegalArgumentException(
                    "at least one TLS backend is needed: set sample.backend.tls-ports or sample.backend.external-tls");
        }
        List<LineBackend> started = new ArrayList<>();
        try {
            Kind plain = kind(settings.external(), settings.ports(), settings.maxDelay(), () -> null, started);
            Kind tls = kind(settings.externalTls(), settings.tlsPorts(), settings.maxDelay(), serverContext, started);
            return new Backends(plain, tls, started);
        } catch (IOException | RuntimeException ex) {
            started.forEach(LineBackend::close);
            throw ex instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) ex;
        }
    }

    private static Kind kind(List<String> external, List<Integer> ports, Duration maxDelay,
            Supplier<SSLContext> context, List<LineBackend> started) throws IOException {
        if (!external.isEmpty()) {
            return new Kind(external.stream().map(String::trim).toList(), false);
        }
        SSLContext tls = context.get();
        List<String> names = new ArrayList<>();
        for (int port : ports) {
            LineBackend backend = LineBackend.start(port, maxDelay, tls);
            started.add(backend);
            names.add(backend.name());
        }
        return new Kind(List.copyOf(names), true);
    }

    /** Every plain backend name, in configuration order. */
    public List<String> names() {
        return plain.names();
    }

    /** The plain backend at {@code index}, wrapping around, so that any index picks a backend. */
    public String name(int index) {
        return plain.name(index);
    }

    /** Whether the plain backends run inside this app. */
    public boolean embedded() {
        return plain.embedded();
    }

    /** Every TLS backend name, in configuration order. */
    public List<String> tlsNames() {
        return tls.names();
    }

    /** The TLS backend at {@code index}, wrapping around, so that any index picks a backend. */
    public String tlsName(int index) {
        return tls.name(index);
    }

    /** Whether the TLS backends run inside this app. */
    public boolean tlsEmbedded() {
        return tls.embedded();
    }

    @Override
    public void close() {
        embedded.forEach(LineBackend::close);
    }

    /** The backends of one kind; never empty. */
    private record Kind(List<String> names, boolean embedded) {

        String name(int index) {
            return names.get(Math.floorMod(index, names.size()));
        }
    }
}
