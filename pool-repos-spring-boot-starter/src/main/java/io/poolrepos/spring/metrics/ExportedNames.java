package io.poolrepos.spring.metrics;

import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps OpenTelemetry's names exportable where a registry's naming convention would give one a suffix
 * that its format reserves for another type: Prometheus's exports the gauge
 * {@code db.client.connection.count} as {@code db_client_connection_count}, which readers take for
 * the sample count of a histogram. There, and only there, the gauge gets its unit as base unit, which
 * the convention appends ({@code db_client_connection_count_connections}); registries that keep the
 * name as it is (OTLP, say) export it unchanged. Stateless and thread-safe.
 */
final class ExportedNames {

    private static final List<String> RESERVED = List.of("_total", "_created", "_count", "_sum", "_bucket", "_info");

    private ExportedNames() {
    }

    /** The base unit {@code spec}'s gauge needs in {@code registry}: its unit word, or null when its name exports as it is. */
    static String unitIfNeeded(MeterRegistry registry, MeterSpec spec) {
        if (spec.unit() == null) {
            return null;
        }
        String exported = registry.config().namingConvention().name(spec.name(), Meter.Type.GAUGE, null);
        return RESERVED.stream().anyMatch(exported::endsWith) ? spec.unit() : null;
    }
}
