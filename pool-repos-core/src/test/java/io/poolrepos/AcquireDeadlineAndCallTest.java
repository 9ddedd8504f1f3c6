package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A deadline per {@code acquire}; {@code call} keeps a connection that only the application's work failed on. */
class AcquireDeadlineAndCallTest {

    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();
    private final List<Dummy> made = new ArrayList<>();
    private final ConnectionPool<Dummy> pool = repository.pool("calls", Dummy.ADAPTER,
            PoolSettings.builder().maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(30)).build(), name -> {
                Dummy d = new Dummy();
                made.add(d);
                return d;
            });

    @AfterEach
    void close() {
        repository.close();
    }

    @Test
    void aDeadlineForOneCallReplacesThePoolsAcquireTimeout() {
        pool.acquire("n");
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.acquire("n", Duration.ofMillis(100)))
                .isInstanceOf(AcquireTimeoutException.class).hasMessageContaining("timed out after 100ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(90), Duration.ofSeconds(5));
        assertThatThrownBy(() -> pool.acquire("n", Duration.ofMillis(-1))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("timeout must not be negative");
        assertThatThrownBy(() -> pool.acquire("n", null)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("timeout must not be null");
    }

    @Test
    void aFailureOfTheApplicationsOwnGivesTheConnectionBack() {
        IllegalStateException refused = new IllegalStateException("the server answered ERR no such key");
        assertThatThrownBy(() -> pool.call("n", d -> {
            throw refused;
        })).isSameAs(refused);
        assertThat(pool.totals().idle()).as("given back").isEqualTo(1);
        assertThat(pool.totals().discarded()).isZero();
        assertThat(pool.acquire("n")).as("the same connection again").isSameAs(made.get(0));
    }

    @Test
    void anIoFailureAnywhereInTheCausesDiscardsTheConnection() {
        assertThatThrownBy(() -> pool.call("n", d -> {
            throw new UncheckedIOException(new IOException("Connection reset"));
        })).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> pool.call("n", d -> {
            throw new IOException("Read timed out");
        })).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> pool.call("n", d -> {
            throw new AssertionError("an Error: the connection's state is unknown");
        })).isInstanceOf(AssertionError.class);
        assertThat(pool.totals().discarded()).isEqualTo(3);
        assertThat(made).hasSize(3).allMatch(d -> d.closed);
    }

    @Test
    void aPredicateDecidesWhichFailuresBreakTheConnection() {
        assertThatThrownBy(() -> pool.call("n", d -> {
            throw new IllegalStateException("out of step");
        }, failure -> failure instanceof IllegalStateException)).isInstanceOf(IllegalStateException.class);
        assertThat(pool.totals().discarded()).isEqualTo(1);
        assertThatThrownBy(() -> pool.call("n", d -> {
            throw new IOException("but this one leaves it fit, says the predicate");
        }, failure -> false)).isInstanceOf(IOException.class);
        assertThat(pool.totals().idle()).isEqualTo(1);
    }

    @Test
    void theOriginalFailureReachesTheCallerWithAFailedDiscardSuppressed() {
        // The work gives the connection back itself, then fails: the discard that follows is rejected.
        IOException original = new IOException("broken after all");
        assertThatThrownBy(() -> pool.call("n", d -> {
            pool.add("n", d);
            throw original;
        })).isSameAs(original).satisfies(ex -> assertThat(ex.getSuppressed())
                .singleElement().isInstanceOf(ConnectionRejectedException.class));
    }

    @Test
    void workThatReturnsGivesTheConnectionBack() throws Exception {
        String result = pool.call("n", d -> "done");
        assertThat(result).isEqualTo("done");
        assertThat(pool.totals().idle()).isEqualTo(1);
        assertThat(ConnectionPool.breaksConnection(new RuntimeException(new IOException()))).isTrue();
        assertThat(ConnectionPool.breaksConnection(new RuntimeException("no I/O"))).isFalse();
    }
}
