package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PoolSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        PoolSettings d = PoolSettings.defaults();

        assertThat(d.sharable()).isFalse();
        assertThat(d.maxIdlePerName()).isEqualTo(8);
        assertThat(d.maxOpenPerName()).isZero();
        assertThat(d.maxIdleInPool()).isZero();
        assertThat(d.maxOpenInPool()).as("no pool-wide open limit").isZero();
        assertThat(d.maxNames()).isEqualTo(10_000);
        assertThat(d.maxSharersPerConnection()).isEqualTo(16);
        assertThat(d.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.maxLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.acquireTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.maxWaitersPerName()).isEqualTo(10_000);
        assertThat(d.leakDetectionThreshold()).isEqualTo(Duration.ZERO);
        assertThat(d.idleOrder()).isEqualTo(IdleOrder.LIFO);
        assertThat(d.probeAfterIdle()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void copiedBuilderKeepsEveryValueAndEqualSettingsAreEqual() {
        PoolSettings s = PoolSettings.builder().sharable(true).maxIdlePerName(3).maxOpenPerName(5).maxIdleInPool(7)
                .maxOpenInPool(11).maxNames(9).maxSharersPerConnection(2).idleTimeout(Duration.ofSeconds(1)).maxLifetime(Duration.ofSeconds(2))
                .acquireTimeout(Duration.ofSeconds(3)).maxWaitersPerName(4).leakDetectionThreshold(Duration.ofSeconds(5))
                .idleOrder(IdleOrder.FIFO).probeAfterIdle(Duration.ofMillis(500)).build();

        PoolSettings copy = PoolSettings.builder(s).build();

        assertThat(copy).isEqualTo(s).hasSameHashCodeAs(s);
        assertThat(copy.toString()).isEqualTo(s.toString()).contains("maxOpenPerName=5", "idleOrder=FIFO",
                "probeAfterIdle=PT0.5S");
        assertThat(PoolSettings.builder(s).probeAfterIdle(Duration.ZERO).build()).isNotEqualTo(s);
        assertThat(PoolSettings.builder(s).maxNames(10).build()).isNotEqualTo(s);
        assertThat(copy.maxOpenInPool()).isEqualTo(11);
        assertThat(PoolSettings.builder(s).maxOpenInPool(12).build().firstDifference(s))
                .isEqualTo("maxOpenInPool (12 vs 11)");
    }

    @Test
    void defaultMaxIdleIsLoweredToASmallerMaxOpen() {
        assertThat(PoolSettings.builder().maxOpenPerName(4).build().maxIdlePerName()).isEqualTo(4);
        assertThat(PoolSettings.builder().maxOpenPerName(20).build().maxIdlePerName()).isEqualTo(8);
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        PoolSettings s = PoolSettings.builder().maxIdlePerName(PoolSettings.MAX_IDLE_PER_NAME)
                .maxOpenPerName(PoolSettings.MAX_IDLE_PER_NAME)
                .maxSharersPerConnection(PoolSettings.MAX_SHARERS_PER_CONNECTION)
                .maxLifetime(Duration.ofDays(365)).build();

        assertThat(s.maxIdlePerName()).isEqualTo(1024).isEqualTo(s.maxOpenPerName());
        assertThat(s.maxSharersPerConnection()).isEqualTo(PoolSettings.MAX_SHARERS_PER_CONNECTION);
        assertThat(s.maxLifetime()).isEqualTo(Duration.ofDays(365));
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad(b -> b.maxIdlePerName(-1), "maxIdlePerName must be >= 0, was -1"),
                bad(b -> b.maxIdlePerName(5000), "maxIdlePerName must be <= 1024, was 5000"),
                bad(b -> b.maxOpenPerName(-2), "maxOpenPerName must be >= 0, was -2"),
                bad(b -> b.maxIdleInPool(-1), "maxIdleInPool must be >= 0, was -1"),
                bad(b -> b.maxOpenInPool(-1), "maxOpenInPool must be >= 0, was -1"),
                bad(b -> b.maxNames(0), "maxNames must be >= 1, was 0"),
                bad(b -> b.maxSharersPerConnection(0), "maxSharersPerConnection must be >= 1, was 0"),
                bad(b -> b.maxWaitersPerName(-1), "maxWaitersPerName must be >= 0, was -1"),
                bad(b -> b.idleTimeout(Duration.ofSeconds(-1)), "idleTimeout must not be negative, was PT-1S"),
                bad(b -> b.maxLifetime(null), "maxLifetime must not be null"),
                bad(b -> b.acquireTimeout(Duration.ofDays(400)), "acquireTimeout must be at most 365 days, was PT9600H"),
                bad(b -> b.leakDetectionThreshold(Duration.ofMillis(-5)),
                        "leakDetectionThreshold must not be negative, was PT-0.005S"),
                bad(b -> b.idleOrder(null), "idleOrder must not be null"),
                bad(b -> b.probeAfterIdle(Duration.ofSeconds(-2)), "probeAfterIdle must not be negative, was PT-2S"),
                bad(b -> b.maxIdlePerName(8).maxOpenPerName(4).build(),
                        "maxIdlePerName (8) must not exceed maxOpenPerName (4)"));
    }

    private static Arguments bad(Consumer<PoolSettings.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void badSettingIsRejectedWithTheRuleAndTheValue(Consumer<PoolSettings.Builder> change, String message) {
        assertThatThrownBy(() -> change.accept(PoolSettings.builder()))
                .isInstanceOf(InvalidArgumentException.class).hasMessage(message);
    }
}
