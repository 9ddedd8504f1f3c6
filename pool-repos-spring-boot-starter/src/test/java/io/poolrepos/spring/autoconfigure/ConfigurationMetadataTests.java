package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;

import org.junit.jupiter.api.Test;

import org.springframework.boot.convert.DurationStyle;

/**
 * The metadata that IDEs read for completion: what the configuration processor generated from the
 * properties classes, merged with additional-spring-configuration-metadata.json for the keys inside
 * each pool, which the processor cannot see through a map.
 */
class ConfigurationMetadataTests {

    private static final Path GENERATED = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    /** Settings whose absence means something (the JVM's trust store, the connect timeout, no warm-up), so they have no default value. */
    private static final java.util.Set<String> UNSET_BY_DEFAULT = java.util.Set.of("ssl-bundle", "handshake-timeout", "warm-up-names");

    private final Map<String, Map<String, Object>> properties = readProperties();

    @Test
    void everyPoolSettingShouldBeDescribedInsideEachPoolAndUnderDefaults() {
        for (String key : poolKeys()) {
            Map<String, Object> inPool = properties.get("pool-repos.pools.*." + key);
            Map<String, Object> inDefaults = properties.get("pool-repos.defaults." + key);
            assertThat(inPool).as("pool-repos.pools.*." + key).isNotNull();
            assertThat(inDefaults).as("pool-repos.defaults." + key).isNotNull();
            assertThat((String) inPool.get("description")).as(key).startsWith((String) inDefaults.get("description"));
            assertThat(inPool.get("type")).as(key).isEqualTo(inDefaults.get("type"));
            if (UNSET_BY_DEFAULT.contains(key)) {
                assertThat(inPool.get("defaultValue")).as(key).isNull();
                assertThat(inDefaults.get("defaultValue")).as(key).isNull();
            } else {
                assertThat(inPool.get("defaultValue")).as(key).isNotNull().isEqualTo(inDefaults.get("defaultValue"));
            }
        }
    }

    @Test
    void documentedDefaultsShouldBeTheCoreDefaults() {
        PoolSettings core = PoolSettings.defaults();
        TcpConnectionFactory tcp = TcpConnectionFactory.create();
        assertThat(defaultOf("sharable")).isEqualTo(core.sharable());
        assertThat(defaultOf("max-idle-per-name")).isEqualTo(core.maxIdlePerName());
        assertThat(defaultOf("max-open-per-name")).isEqualTo(core.maxOpenPerName());
        assertThat(defaultOf("min-idle-per-name")).isEqualTo(core.minIdlePerName());
        assertThat(defaultOf("max-idle-in-pool")).isEqualTo(core.maxIdleInPool());
        assertThat(defaultOf("max-open-in-pool")).isEqualTo(core.maxOpenInPool());
        assertThat(defaultOf("max-names")).isEqualTo(core.maxNames());
        assertThat(defaultOf("max-sharers-per-connection")).isEqualTo(core.maxSharersPerConnection());
        assertThat(defaultOf("max-waiters-per-name")).isEqualTo(core.maxWaitersPerName());
        assertThat(durationDefaultOf("idle-timeout")).isEqualTo(core.idleTimeout());
        assertThat(durationDefaultOf("max-lifetime")).isEqualTo(core.maxLifetime());
        assertThat(durationDefaultOf("acquire-timeout")).isEqualTo(core.acquireTimeout());
        assertThat(durationDefaultOf("leak-detection-threshold")).isEqualTo(core.leakDetectionThreshold());
        assertThat(durationDefaultOf("probe-after-idle")).isEqualTo(core.probeAfterIdle());
        assertThat(durationDefaultOf("connect-backoff")).isEqualTo(core.connectBackoff());
        assertThat(durationDefaultOf("connect-backoff-max")).isEqualTo(core.connectBackoffMax());
        assertThat(defaultOf("idle-order")).isEqualTo(core.idleOrder().name().toLowerCase(Locale.ROOT));
        assertThat(durationDefaultOf("connect-timeout")).isEqualTo(tcp.connectTimeout());
        assertThat(durationDefaultOf("so-timeout")).isEqualTo(tcp.soTimeout());
        assertThat(defaultOf("tcp-no-delay")).isEqualTo(tcp.tcpNoDelay());
        assertThat(defaultOf("keep-alive")).isEqualTo(tcp.keepAlive());
        assertThat(defaultOf("connect")).isEqualTo("none");
        assertThat(defaultOf("connection-type")).isEqualTo("socket");
    }

    @Test
    void topLevelPropertiesShouldBeGeneratedWithDescriptionsAndDefaults() {
        assertThat(properties.get("pool-repos.enabled")).containsEntry("defaultValue", true);
        assertThat(properties.get("pool-repos.housekeeping-period")).containsEntry("defaultValue", "30s");
        assertThat(properties.get("pool-repos.warm-up-timeout")).containsEntry("defaultValue", "30s");
        assertThat(properties.get("pool-repos.shutdown-timeout")).containsEntry("defaultValue", "10s");
        assertThat(properties.get("pool-repos.metrics.max-names-per-pool")).containsEntry("defaultValue", 100);
        assertThat(properties.get("pool-repos.pools")).containsKey("description");
        properties.forEach((name, property) -> {
            if (name.startsWith("pool-repos.")) {
                String description = (String) property.get("description");
                assertThat(description).as(name).isNotBlank().doesNotStartWith("The ").doesNotStartWith("A ").endsWith(".");
            }
        });
    }

    private static List<String> poolKeys() {
        return Arrays.stream(PoolProperties.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName)
                .map(name -> name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT))
                .toList();
    }

    private Object defaultOf(String key) {
        return properties.get("pool-repos.pools.*." + key).get("defaultValue");
    }

    private Duration durationDefaultOf(String key) {
        return DurationStyle.detectAndParse((String) defaultOf(key));
    }

    private static Map<String, Map<String, Object>> readProperties() {
        try {
            List<Map<String, Object>> list = JsonPath.read(Files.readString(GENERATED), "$.properties");
            return list.stream().collect(Collectors.toMap(p -> (String) p.get("name"), Function.identity()));
        } catch (IOException ex) {
            throw new AssertionError("run the build first: " + GENERATED + " is generated at compile time", ex);
        }
    }
}
