package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code acquire} tells a {@link PoolListener}: how each call ended, and how long the call and
 * its connect took, exactly, on a manual clock that the test's factory moves while it "connects".
 * Dummy connections: nothing here depends on the network or on real time.
 */
class AcquireEventsTest {

    private static final Duration CONNECT_TAKES = Duration.ofMillis(7);

    private final ManualTicker ticker = new ManualTicker();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO)
            .ticker(ticker).build();
    private final List<String> events = new CopyOnWriteArrayList<>();
    /** What the factory hands out next; null makes it fail. */
    private volatile Dummy next;

    @AfterEach
    void close() {
        repository.close();
    }

    private ConnectionPool<Dummy> pool(PoolSettings settings) {
        repository.addListener(new PoolListener() {
            @Override
            public void acquireCompleted(ConnectionPool<?> pool, String name, long waitNanos, AcquireOutcome outcome) {
                events.add("acquire " + name + " " + outcome + " " + waitNanos);
            }

            @Override
            public void connectCompleted(ConnectionPool<?> pool, String name, long connectNanos, boolean succeeded) {
                events.add("connect " + name + (succeeded ? " succeeded " : " failed ") + connectNanos);
            }
        });
        return repository.pool("events", Dummy.ADAPTER, settings, name -> {
            ticker.advance(CONNECT_TAKES);
            Dummy h = next;
            if (h == null) {
                throw new IOException("refused");
            }
            return h;
        });
    }

    @Test
    void eachAcquireReportsHowItEndedAndExactlyHowLongItAndItsConnectTook() {
        ConnectionPool<Dummy> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                .acquireTimeout(Duration.ZERO).build());
        long connect = CONNECT_TAKES.toNanos();

        next = new Dummy();
        Dummy created = pool.acquire("n");
        assertThatThrownBy(() -> pool.acquire("n")).as("at maxOpenPerName, no wait allowed")
                .isInstanceOf(AcquireTimeoutException.class);
        pool.add("n", created);
        assertThat(pool.acquire("n")).isSameAs(created);
        next = null;
        assertThatThrownBy(() -> pool.acquire("m")).isInstanceOf(ConnectFailedException.class);

        assertThat(events).containsExactly(
                "connect n succeeded " + connect, "acquire n CREATED " + connect,
                "acquire n TIMEOUT 0",
                "acquire n IDLE 0",
                "connect m failed " + connect, "acquire m FAILED " + connect);
    }

    @Test
    void anAcquireRefusedForTooManyWaitersIsReportedAsFailed() {
        ConnectionPool<Dummy> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                .maxWaitersPerName(0).build());
        next = new Dummy();
        pool.acquire("n");
        events.clear();

        assertThatThrownBy(() -> pool.acquire("n")).isInstanceOf(WaiterLimitExceededException.class);

        assertThat(events).containsExactly("acquire n FAILED 0");
    }

    @Test
    void anAcquireInterruptedWhileItWaitsFailsKeepsTheInterruptAndIsReportedAsFailed() {
        ConnectionPool<Dummy> pool = pool(PoolSettings.builder().maxIdlePerName(1).maxOpenPerName(1)
                .acquireTimeout(Duration.ofSeconds(30)).build());
        next = new Dummy();
        Dummy held = pool.acquire("n");
        events.clear();

        Thread.currentThread().interrupt(); // the wait for a place throws at once
        try {
            assertThatThrownBy(() -> pool.acquire("n")).isExactlyInstanceOf(PoolReposException.class)
                    .hasMessage("Pool 'events', name 'n': interrupted while waiting in acquire")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(events).containsExactly("acquire n FAILED 0");
        assertThat(pool.totals().waiting()).isZero();
        pool.add("n", held);
        assertThat(pool.acquire("n")).as("nothing was lost").isSameAs(held);
    }

    @Test
    void aFactoryThatReturnsAConnectionThePoolAlreadyHoldsFailsTheConnectAndFreesItsPlace() {
        ConnectionPool<Dummy> pool = pool(PoolSettings.builder().maxOpenPerName(2).acquireTimeout(Duration.ZERO)
                .build());
        Dummy same = new Dummy();
        next = same;
        assertThat(pool.acquire("n")).isSameAs(same);

        assertThatThrownBy(() -> pool.acquire("n")).isInstanceOf(ConnectFailedException.class)
                .hasRootCauseMessage("ConnectionFactory returned a connection the pool already holds");

        assertThat(same.closed).as("still the first caller's").isFalse();
        assertThat(pool.statistics("n").orElseThrow().connectFailures()).isEqualTo(1);
        assertThat(events).contains("connect n failed " + CONNECT_TAKES.toNanos());
        next = new Dummy();
        assertThat(pool.acquire("n")).as("the failed connect's place came free").isSameAs(next);
        assertThat(pool.add("n", same)).isEqualTo(AddResult.POOLED);
        BackendFaultTest.assertBooksBalance(pool);
    }
}
