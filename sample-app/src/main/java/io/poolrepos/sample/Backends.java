package io.poolrepos.sample;

import io.poolrepos.sample.backend.LineBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The backend names ({@code host:port}) the demo talks to, of two kinds: plain TCP backends and TLS
 * backends. Of each kind, either the embedded {@link LineBackend}s it started or the external ones
 * configured in {@code sample.backend.external} and {@code sample.backend.external-tls}. The names
 * never change; an embedded backend can be stopped and started again on its port ({@link #stop},
 * {@link #restart}), to show what the pools do in an outage. Thread-safe; {@link #close()} stops the
 * embedded backends.
 */
public final class Backends implements AutoCloseable {

    private final Kind plain;
    private final Kind tls;
    /** The embedded backends by name; a stopped one stays here, closed, until it is restarted. */
    private final Map<String, LineBackend> embedded = new LinkedHashMap<>();

    private Backends(Kind plain, Kind tls, List<LineBackend> embedded) {
        this.plain = plain;
        this.tls = tls;
        embedded.forEach(backend -> this.embedded.put(backend.name(), backend));
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

    /**
     * Stops the embedded backend {@code name}: it closes its connections and refuses new ones until
     * {@link #restart}.
     *
     * @return false when {@code name} is not an embedded backend (external ones cannot be stopped)
     */
    public synchronized boolean stop(String name) {
        LineBackend backend = embedded.get(name);
        if (backend == null) {
            return false;
        }
        backend.close();
        return true;
    }

    /**
     * Starts the embedded backend {@code name} again on its port, after {@link #stop}; a running one
     * is stopped first.
     *
     * @throws IllegalArgumentException when {@code name} is not an embedded backend
     * @throws UncheckedIOException when its port cannot be bound again
     */
    public synchronized void restart(String name) {
        LineBackend backend = embedded.get(name);
        if (backend == null) {
            throw new IllegalArgumentException("'" + name + "' is not an embedded backend; embedded ones: "
                    + embedded.keySet());
        }
        backend.close();
        try {
            embedded.put(name, backend.restart());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public synchronized void close() {
        embedded.values().forEach(LineBackend::close);
    }

    /** The backends of one kind; never empty. */
    private record Kind(List<String> names, boolean embedded) {

        String name(int index) {
            return names.get(Math.floorMod(index, names.size()));
        }
    }
}
