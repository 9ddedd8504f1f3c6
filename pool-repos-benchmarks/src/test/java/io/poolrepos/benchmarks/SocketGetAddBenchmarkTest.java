package io.poolrepos.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolrepos.NameStatistics;
import java.io.IOException;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The socket benchmark must measure round trips of the same live sockets: were the probe to find
 * them unfit, every get would miss or reconnect and the figure would mean something else. No timing.
 */
class SocketGetAddBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"probe", "probe-after-idle", "alive-only"})
    void everyRoundTripTakesAndGivesBackOneOfThePrefilledSocketsAndNoneIsClosed(String check) throws IOException {
        SocketGetAddBenchmark benchmark = new SocketGetAddBenchmark();
        benchmark.check = check;
        benchmark.setUp();
        try {
            Set<Socket> seen = new HashSet<>();
            for (int i = 0; i < 1_000; i++) {
                seen.add(benchmark.getAdd());
            }
            NameStatistics stats = benchmark.pool().statistics(benchmark.name()).orElseThrow();
            assertThat(seen).as("only the prefilled sockets").hasSizeLessThanOrEqualTo(SocketGetAddBenchmark.PER_NAME);
            assertThat(stats.getHits()).isEqualTo(1_000);
            assertThat(stats.idle()).isEqualTo(SocketGetAddBenchmark.PER_NAME);
            assertThat(stats.closedDead() + stats.created()).as("nothing found dead, nothing reconnected").isZero();
        } finally {
            benchmark.tearDown();
        }
    }
}
