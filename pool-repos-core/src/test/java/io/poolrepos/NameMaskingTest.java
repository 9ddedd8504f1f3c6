package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A name written as a URI authority with user info ({@code user:secret@host:port}) never shows its
 * credentials: not in an exception message, not in a leak report, not in a {@code toString}.
 */
class NameMaskingTest {

    private static final String NAME = "alice:s3cret@db.example:5432";
    private static final String SECRET = "s3cret";

    private final ManualTicker ticker = new ManualTicker();
    private final DefaultPoolRepository repository = (DefaultPoolRepository) PoolRepository.builder()
            .housekeepingPeriod(Duration.ZERO).ticker(ticker).build();

    @AfterEach
    void close() {
        repository.close();
    }

    @Test
    void maskReplacesEverythingBeforeTheLastAtSign() {
        assertThat(NameMasking.mask(NAME)).isEqualTo("****@db.example:5432");
        assertThat(NameMasking.mask("a@b@host:1")).isEqualTo("****@host:1");
        assertThat(NameMasking.mask("@host:1")).as("empty user info").isEqualTo("****@host:1");
        assertThat(NameMasking.mask("db.example:5432")).isEqualTo("db.example:5432");
        assertThat(NameMasking.mask(null)).isNull();
    }

    @Test
    void aCausesTextIsMaskedHoweverItPrintsTheName() {
        // JDK 25's UnknownHostException prints "user:secret@db.example/<unresolved>:5432": the name
        // is not in it whole, its user info is.
        assertThat(NameMasking.maskWithin("java.net.UnknownHostException: user:secret@db.example/<unresolved>:5432",
                "user:secret@db.example:5432")).isEqualTo("java.net.UnknownHostException: ****@db.example/<unresolved>:5432");
        assertThat(NameMasking.maskWithin("refused: user:secret@db.example:5432", "user:secret@db.example:5432"))
                .isEqualTo("refused: ****@db.example:5432");
        assertThat(NameMasking.maskWithin("refused: db.example:5432", "db.example:5432")).isEqualTo("refused: db.example:5432");
    }

    @Test
    void noErrorOfThePoolShowsTheCredentialsOfAName() {
        ConnectionPool<Dummy> pool = repository.pool("orders", Dummy.ADAPTER, PoolSettings.builder()
                .maxOpenPerName(1).maxWaitersPerName(0).maxNames(2).acquireTimeout(Duration.ZERO).build(),
                name -> {
                    if (name.startsWith("down")) {
                        throw new IOException("refused by " + name);
                    }
                    return new Dummy();
                });
        List<Throwable> errors = new ArrayList<>();

        errors.add(catchThrowable(() -> pool.acquire("down:" + NAME)));
        Dummy held = pool.acquire(NAME);
        errors.add(catchThrowable(() -> pool.acquire(NAME))); // the only room is taken, nobody may wait
        pool.add(NAME, held);
        errors.add(catchThrowable(() -> pool.add(NAME, held))); // already idle
        errors.add(catchThrowable(() -> pool.add("other:" + NAME, new Dummy()))); // a third name, over maxNames
        errors.add(catchThrowable(() -> pool.discard(NAME, new Dummy())));

        assertThat(errors).hasSize(5).allSatisfy(error -> {
            assertThat(error).isInstanceOf(PoolReposException.class);
            assertThat(error.getMessage()).contains("****@db.example:5432").doesNotContain(SECRET);
        });
        assertThat(pool.statistics(NAME).orElseThrow().toString()).doesNotContain(SECRET);
    }

    @Test
    void noErrorShowsTheCredentialsOfAPoolsName() {
        String secretPool = "user:secret@orders";
        ConnectionPool<Dummy> pool = repository.pool(secretPool, Dummy.ADAPTER, PoolSettings.builder()
                .maxOpenPerName(1).maxWaitersPerName(0).acquireTimeout(Duration.ZERO).build(), name -> new Dummy());
        List<Throwable> failures = new ArrayList<>();
        pool.acquire("n");
        failures.add(catchThrowable(() -> pool.acquire("n", Duration.ZERO)));
        failures.add(catchThrowable(() -> pool.discard("n", new Dummy())));
        failures.add(catchThrowable(() -> pool.share("n")));
        failures.add(catchThrowable(() -> repository.pool(secretPool, Dummy.ADAPTER, PoolSettings.builder()
                .maxOpenPerName(2).build())));
        failures.add(catchThrowable(() -> repository.require("user:secret@missing", Dummy.class)));
        failures.add(catchThrowable(() -> repository.pool("user:secret@plain", Dummy.ADAPTER, PoolSettings.defaults())
                .acquire("n")));
        repository.close();
        failures.add(catchThrowable(() -> pool.get("n")));
        assertThat(failures).hasSize(7).allSatisfy(failure -> assertThat(failure)
                .isInstanceOf(PoolReposException.class)
                .satisfies(f -> assertThat(f.getMessage()).contains("****@").doesNotContain("secret")));
    }

    @Test
    void anAcquireTimeoutDoesNotShowTheCredentialsOfItsName() {
        ConnectionPool<Dummy> pool = repository.pool("orders", Dummy.ADAPTER,
                PoolSettings.builder().maxOpenPerName(1).acquireTimeout(Duration.ZERO).build(), name -> new Dummy());
        pool.acquire(NAME);

        Throwable timeout = catchThrowable(() -> pool.acquire(NAME));

        assertThat(timeout).isInstanceOf(AcquireTimeoutException.class);
        assertThat(timeout.getMessage()).contains("****@db.example:5432").doesNotContain(SECRET);
    }

    @Test
    void aLeakReportDoesNotShowTheCredentialsOfTheName() {
        List<Throwable> traces = new CopyOnWriteArrayList<>();
        repository.addListener(new PoolListener() {
            @Override
            public void leakDetected(ConnectionPool<?> pool, String name, long loanedNanos, Throwable takenAt) {
                traces.add(takenAt);
            }
        });
        ConnectionPool<Dummy> pool = repository.pool("orders", Dummy.ADAPTER,
                PoolSettings.builder().leakDetectionThreshold(Duration.ofSeconds(30)).build());
        pool.add(NAME, new Dummy());
        pool.get(NAME).orElseThrow();

        ticker.advance(Duration.ofSeconds(31));
        repository.housekeep();

        assertThat(traces).singleElement().satisfies(trace ->
                assertThat(trace.getMessage()).contains("****@db.example:5432").doesNotContain(SECRET));
    }
}
