package io.poolrepos.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.poolrepos.AcquireTimeoutException;
import io.poolrepos.ConnectFailedException;
import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a Prometheus server reads: every meter of a pool that has seen every kind of event, scraped
 * from a real {@link PrometheusMeterRegistry}. The client strips and adds suffixes by its own rules
 * ({@code _created} is dropped from a counter's name, {@code _total} added), so the test checks the
 * exported names themselves: each is the one the README's meter tables give, ours and OpenTelemetry's
 * (bound with {@link SemanticConventions#BOTH}), and no name misuses a suffix that Prometheus reserves
 * for another type.
 */
class PrometheusScrapeTests {

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    private static final Pattern README_ROW = Pattern.compile("^\\| `(?:pool\\.repos|db\\.client)[^|]*\\|([^|]*)\\|");
    private static final Pattern EXPORTED = Pattern.compile("`((?:pool_repos|db_client)_[a-z_]+)`");

    /** A connection that needs no socket: the names are about meters, not I/O. */
    static final class Handle {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
    private String scrape;

    @BeforeEach
    void everyKindOfEvent() {
        ConnectionPool<Handle> pool = repository.pool("orders", ConnectionAdapter.of(Handle.class, h -> true, h -> { }),
                PoolSettings.builder().maxOpenPerName(1).acquireTimeout(Duration.ofMillis(10)).build(), name -> {
                    if (name.startsWith("down")) {
                        throw new IOException("connection refused");
                    }
                    return new Handle();
                });
        new PoolReposMetrics(repository, 100, SemanticConventions.BOTH).bindTo(registry);
        Handle handle = pool.acquire("up.example:1");                      // created, connect succeeded
        assertThat(catchThrowable(() -> pool.acquire("up.example:1"))).isInstanceOf(AcquireTimeoutException.class);
        pool.add("up.example:1", handle);                                 // a loan ends
        pool.add("up.example:1", pool.acquire("up.example:1"));           // idle
        assertThat(catchThrowable(() -> pool.acquire("down.example:1"))).isInstanceOf(ConnectFailedException.class);
        scrape = registry.scrape();
    }

    @AfterEach
    void close() {
        repository.close();
        registry.close();
    }

    @Test
    void everyExportedNameShouldBeTheOneTheReadmeGives() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("../README.md"))) {
            Matcher row = README_ROW.matcher(line);
            if (row.find()) {
                Matcher exported = EXPORTED.matcher(row.group(1));
                while (exported.find()) {
                    documented.add(exported.group(1));
                }
            }
        }
        Set<String> scraped = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.find()
                    && (sample.group(1).startsWith("pool_repos") || sample.group(1).startsWith("db_client"))) {
                scraped.add(sample.group(1));
            }
        }
        assertThat(documented).as("README meter table, column 'exported as'").isNotEmpty();
        assertThat(scraped).isEqualTo(documented);
    }

    @Test
    void noNameInTheWholeScrapeShouldMisuseAReservedSuffix() {
        Map<String, String> types = new HashMap<>();
        for (String line : scrape.split("\n")) {
            Matcher type = TYPE.matcher(line);
            if (type.find()) {
                types.put(type.group(1), type.group(2));
            }
        }
        assertThat(types).as("families").isNotEmpty();
        for (String line : scrape.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            String name = sample.group(1);
            String type = typeOf(name, types);
            assertThat(type).as("family of %s", name).isNotNull();
            assertThat(name).as("sample %s of a %s", name, type).doesNotEndWith("_created").doesNotEndWith("_info");
            if (name.endsWith("_total")) {
                assertThat(type).as("sample %s", name).isEqualTo("counter");
            }
            if (name.endsWith("_count") || name.endsWith("_sum")) {
                assertThat(type).as("sample %s", name).isIn("summary", "histogram");
            }
            if (name.endsWith("_bucket")) {
                assertThat(type).as("sample %s", name).isEqualTo("histogram");
            }
        }
    }

    /** The type of the family a sample belongs to: its own name, or its name less a suffix of its type. */
    private static String typeOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return types.get(sample);
        }
        for (String suffix : new String[] {"_total", "_count", "_sum", "_bucket"}) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return types.get(sample.substring(0, sample.length() - suffix.length()));
            }
        }
        return null;
    }
}
