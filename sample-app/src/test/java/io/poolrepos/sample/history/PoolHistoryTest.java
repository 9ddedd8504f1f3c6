package io.poolrepos.sample.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.poolrepos.AcquireTimeoutException;
import io.poolrepos.ConnectFailedException;
import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.TcpConnectionFactory;
import io.poolrepos.sample.backend.LineBackend;
import io.poolrepos.spring.actuate.PoolReposHealthIndicator;
import io.poolrepos.spring.metrics.PoolReposMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's history over a real repository whose pools connect to a real backend on 127.0.0.1,
 * with the starter's meters in a real registry and its real health indicator.
 */
class PoolHistoryTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private PoolRepository repository;
    private LineBackend backend;

    @BeforeEach
    void start() throws IOException {
        repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
        new PoolReposMetrics(repository, 100).bindTo(registry);
        backend = LineBackend.start(0, Duration.ZERO);
    }

    @AfterEach
    void stop() {
        repository.close();
        backend.close();
    }

    private PoolSampler sampler(int maxNamesPerPool, int maxPools) {
        return new PoolSampler(repository, new AcquireTimes(registry),
                new HealthStatuses(new PoolReposHealthIndicator(repository)), maxNamesPerPool, maxPools);
    }

    private ConnectionPool<Socket> tcpPool(String name, int maxOpenPerName) {
        return repository.pool(name, ConnectionAdapter.sockets(),
                PoolSettings.builder().maxOpenPerName(maxOpenPerName).maxIdlePerName(maxOpenPerName)
                        .acquireTimeout(Duration.ofSeconds(5)).build(),
                TcpConnectionFactory.builder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    @SuppressWarnings("unchecked")
    void countersAreEventsPerIntervalGaugesAreAsSampledAndTheAcquireWaitComesFromTheTimer() {
        ConnectionPool<Socket> orders = tcpPool("orders", 1);
        PoolSampler sampler = sampler(16, 8);
        List<Sample> samples = new ArrayList<>();
        samples.add(sampler.sample(1_000));

        Socket socket = orders.acquire(backend.name());
        assertThatThrownBy(() -> orders.acquire(backend.name(), Duration.ofMillis(50)))
                .isInstanceOf(AcquireTimeoutException.class);
        samples.add(sampler.sample(2_000));
        orders.add(backend.name(), socket);
        samples.add(sampler.sample(3_000));

        Map<String, Object> view = HistoryView.pools(samples, 0);
        assertThat(view.get("t")).isEqualTo(List.of(1_000L, 2_000L, 3_000L));
        Map<String, Object> pool = (Map<String, Object>) ((Map<String, Object>) view.get("pools")).get("orders");
        Map<String, List<Object>> series = (Map<String, List<Object>>) pool.get("series");
        assertThat(series.get("inUse")).containsExactly(0L, 1L, 0L);
        assertThat(series.get("idle")).containsExactly(0L, 0L, 1L);
        // The first sample has no interval before it; then the events of each interval, not running totals.
        assertThat(series.get("acquireTimeouts")).containsExactly(null, 1L, 0L);
        assertThat(series.get("created")).containsExactly(null, 1L, 0L);
        assertThat(series.get("added")).containsExactly(null, 0L, 1L);
        // Two acquires in the second interval (one connected, one timed out after 50 ms), none in the third.
        assertThat(series.get("acquires")).containsExactly(null, 2L, 0L);
        assertThat((Double) series.get("acquireMeanMillis").get(1)).isGreaterThanOrEqualTo(25.0);
        assertThat(series.get("acquireMeanMillis").get(2)).isNull();
        assertThat((Double) series.get("acquireMaxMillis").get(1)).isGreaterThanOrEqualTo(50.0);
        assertThat(pool.get("health")).isEqualTo(List.of("UP", "UP", "UP"));
        assertThat(pool.get("names")).isEqualTo(List.of(backend.name()));

        // The name appeared in the second interval: its first sample has no interval before it either.
        Map<String, Object> name = HistoryView.name(samples, "orders", backend.name(), 0);
        assertThat(((Map<String, List<Object>>) name.get("series")).get("acquireTimeouts")).containsExactly(null, null, 0L);
        assertThat(((Map<String, List<Object>>) name.get("series")).get("inUse")).containsExactly(null, 1L, 0L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void sinceListsOnlyLaterSamplesWithTheEventsSinceTheSampleBefore() {
        ConnectionPool<Socket> orders = tcpPool("orders", 2);
        PoolSampler sampler = sampler(16, 8);
        List<Sample> samples = new ArrayList<>();
        samples.add(sampler.sample(1_000));
        orders.add(backend.name(), orders.acquire(backend.name()));
        samples.add(sampler.sample(2_000));

        Map<String, Object> view = HistoryView.pools(samples, 1_000);

        assertThat(view.get("t")).isEqualTo(List.of(2_000L));
        Map<String, Object> pool = (Map<String, Object>) ((Map<String, Object>) view.get("pools")).get("orders");
        assertThat(((Map<String, List<Object>>) pool.get("series")).get("created")).containsExactly(1L);
        assertThat(HistoryView.pools(samples, 2_000).get("t")).isEqualTo(List.of());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPoolWhoseConnectsFailIsDownInTheHistoryAndNamesAreMasked() throws IOException {
        ConnectionPool<Socket> orders = tcpPool("orders", 1);
        String closedPort = "user:secret@127.0.0.1:" + freePort();
        PoolSampler sampler = sampler(16, 8);
        List<Sample> samples = new ArrayList<>();
        samples.add(sampler.sample(1_000));
        assertThatThrownBy(() -> orders.acquire(closedPort)).isInstanceOf(ConnectFailedException.class);
        samples.add(sampler.sample(2_000));

        Map<String, Object> pool = (Map<String, Object>) ((Map<String, Object>) HistoryView.pools(samples, 0)
                .get("pools")).get("orders");
        assertThat(pool.get("health")).isEqualTo(List.of("UP", "DOWN"));
        assertThat(((Map<String, List<Object>>) pool.get("series")).get("connectFailures")).containsExactly(null, 1L);
        String masked = closedPort.replace("user:secret", "****");
        assertThat(pool.get("names")).isEqualTo(List.of(masked));
        assertThat(samples.toString()).doesNotContain("secret");
        assertThat(HistoryView.name(samples, "orders", masked, 0)).isNotNull();
        assertThat(HistoryView.name(samples, "orders", closedPort, 0)).isNull();
    }

    @Test
    void namesPerPoolAndPoolsAreCappedAndANameWithAHistoryKeepsIt() {
        ConnectionPool<Object> first = repository.pool("first", ConnectionAdapter.of(Object.class, c -> true, c -> { }),
                PoolSettings.defaults());
        repository.pool("second", ConnectionAdapter.of(Object.class, c -> true, c -> { }), PoolSettings.defaults());
        repository.pool("third", ConnectionAdapter.of(Object.class, c -> true, c -> { }), PoolSettings.defaults());
        first.add("c", new Object());
        first.add("d", new Object());
        first.add("e", new Object());
        PoolSampler sampler = sampler(2, 2);

        Sample before = sampler.sample(1_000);
        first.add("a", new Object());
        Sample after = sampler.sample(2_000);

        assertThat(before.pools().keySet()).containsExactly("first", "second");
        assertThat(before.pools().get("first").names().keySet()).containsExactly("c", "d");
        // "a" sorts first but comes later: the names being charted keep their place.
        assertThat(after.pools().get("first").names().keySet()).containsExactly("c", "d");
        assertThat(after.pools().get("first").totals()[Figures.GAUGES.indexOf("idle")]).isEqualTo(4);
    }

    @Test
    void theRingHoldsTheLastSamplesOldestFirstAndNoMore() {
        HistoryRing ring = new HistoryRing(3);
        for (long t = 1; t <= 5; t++) {
            ring.add(new Sample(t, Map.of()));
        }
        assertThat(ring.samples()).extracting(Sample::atMillis).containsExactly(3L, 4L, 5L);
    }

    @Test
    void memoryStaysBoundedHoweverLongItSamplesAndHoweverManyNamesComeAndGo() {
        ConnectionPool<Object> many = repository.pool("many", ConnectionAdapter.of(Object.class, c -> true, c -> { }),
                PoolSettings.defaults());
        PoolHistory history = new PoolHistory(sampler(16, 8), Duration.ofSeconds(1), Duration.ofSeconds(30));
        for (int i = 0; i < 200; i++) {
            many.add("name-" + i, new Object());
            history.sampleNow();
        }
        List<Sample> samples = history.samples();
        assertThat(samples).hasSize(30);
        assertThat(samples).allSatisfy(s -> assertThat(s.pools().get("many").names()).hasSizeLessThanOrEqualTo(16));
        assertThat(HistoryView.namesOf(samples, "many")).hasSize(16);
    }

    @Test
    @SuppressWarnings("unchecked")
    void readersSeeABoundedOrderedHistoryWhileTheSamplerAddsToIt() throws Exception {
        ConnectionPool<Socket> orders = tcpPool("orders", 4);
        PoolHistory history = new PoolHistory(sampler(16, 8), Duration.ofMillis(100), Duration.ofSeconds(2));
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(5);
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> {
            started.countDown();
            for (int i = 0; i < 500; i++) {
                orders.add(backend.name(), orders.acquire(backend.name()));
                history.sampleNow();
            }
            done.set(true);
        }));
        for (int r = 0; r < 4; r++) {
            threads.add(new Thread(() -> {
                started.countDown();
                int reads = 0;
                while (!done.get() || reads < 10) {
                    try {
                        List<Sample> samples = history.samples();
                        assertThat(samples).hasSizeLessThanOrEqualTo(20);
                        for (int i = 1; i < samples.size(); i++) {
                            assertThat(samples.get(i).atMillis()).isGreaterThanOrEqualTo(samples.get(i - 1).atMillis());
                        }
                        Map<String, Object> view = HistoryView.pools(samples, 0);
                        assertThat((List<Object>) view.get("t")).hasSize(samples.size());
                        reads++;
                    } catch (Throwable t) {
                        failures.add(t);
                        return;
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(Duration.ofMinutes(2).toMillis());
        }
        assertThat(failures).isEmpty();
        assertThat(done).isTrue();
        assertThat(history.samples()).hasSize(20);
        long hits = history.samples().get(19).pools().get("orders").totals()[Figures.FIRST_COUNTER
                + io.poolrepos.Counter.GET_HITS.ordinal()];
        assertThat(hits).as("get hits of the last sample: every acquire but the first found the connection given back").isEqualTo(499);
    }

    @Test
    void settingsOutOfRangeAreRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new PoolHistory(sampler(16, 8), Duration.ofMillis(10), Duration.ofMinutes(10)))
                .hasMessageContaining("sample.history.period must be at least 100ms");
        assertThatThrownBy(() -> new PoolHistory(sampler(16, 8), Duration.ofSeconds(10), Duration.ofSeconds(1)))
                .hasMessageContaining("sample.history.span (PT1S) must be at least sample.history.period (PT10S)");
        assertThatThrownBy(() -> new PoolHistory(sampler(16, 8), Duration.ofMillis(100), Duration.ofDays(1)))
                .hasMessageContaining("at most 36000 samples");
        assertThatThrownBy(() -> sampler(-1, 8)).hasMessageContaining("sample.history.max-names-per-pool");
        assertThatThrownBy(() -> sampler(16, 0)).hasMessageContaining("sample.history.max-pools");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
