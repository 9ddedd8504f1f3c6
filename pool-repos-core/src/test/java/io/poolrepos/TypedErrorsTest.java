package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each typed error carries what it is about (the pool, the name, the limit, the argument) as fields,
 * so that a caller can act on it without parsing its message. (Messages: {@link BadInputTest}.)
 */
class TypedErrorsTest {

    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO).build();

    @AfterEach
    void close() {
        repository.close();
    }

    @Test
    void errorsOfThePoolAndItsArgumentsNameThePoolOrTheArgument() {
        ConnectionPool<Dummy> plain = repository.pool("plain", Dummy.ADAPTER,
                PoolSettings.builder().maxNames(1).build());

        assertThat(catchThrowableOfType(InvalidArgumentException.class, () -> plain.get(null)).getArgument())
                .isEqualTo("name");
        assertThat(catchThrowableOfType(PoolNotFoundException.class,
                () -> repository.require("missing", Dummy.class)).getPoolName()).isEqualTo("missing");
        assertThat(catchThrowableOfType(PoolNotSharableException.class, () -> plain.share("a")).getPoolName())
                .isEqualTo("plain");
        assertThat(catchThrowableOfType(NoConnectionFactoryException.class, () -> plain.acquire("a")).getPoolName())
                .isEqualTo("plain");
        assertThat(catchThrowableOfType(PoolConflictException.class,
                () -> repository.pool("plain", Dummy.ADAPTER, PoolSettings.defaults())).getPoolName())
                .isEqualTo("plain");

        plain.add("a", new Dummy());
        NameLimitExceededException tooMany = catchThrowableOfType(NameLimitExceededException.class,
                () -> plain.add("b", new Dummy()));
        assertThat(tooMany.getPoolName()).isEqualTo("plain");
        assertThat(tooMany.getName()).isEqualTo("b");
        assertThat(tooMany.getMaxNames()).isEqualTo(1);
        assertThat(plain.totals().rejected()).as("the refused name counted among the pool's rejections").isEqualTo(1);

        Dummy idle = plain.get("a").orElseThrow();
        plain.add("a", idle);
        ConnectionRejectedException twice = catchThrowableOfType(ConnectionRejectedException.class,
                () -> plain.add("a", idle));
        assertThat(twice.getPoolName()).isEqualTo("plain");
        assertThat(twice.getName()).isEqualTo("a");
        assertThat(twice.getReason()).isEqualTo(ConnectionRejectedException.Reason.ALREADY_IDLE);

        repository.close();
        assertThat(catchThrowableOfType(PoolClosedException.class, () -> plain.get("a")).getPoolName())
                .isEqualTo("plain");
    }

    @Test
    void errorsOfAcquireNameThePoolTheNameAndTheLimit() throws Exception {
        ConnectionPool<Dummy> connecting = repository.pool("connecting", Dummy.ADAPTER, PoolSettings.builder()
                .maxOpenPerName(1).maxWaitersPerName(1).acquireTimeout(Duration.ofSeconds(30)).build(), name -> {
                    if (name.equals("down")) {
                        throw new IOException("refused");
                    }
                    return new Dummy();
                });

        ConnectFailedException failed = catchThrowableOfType(ConnectFailedException.class,
                () -> connecting.acquire("down"));
        assertThat(failed.getPoolName()).isEqualTo("connecting");
        assertThat(failed.getName()).isEqualTo("down");

        Dummy held = connecting.acquire("up");
        Thread waiter = new Thread(() -> connecting.acquire("up"));
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> connecting.totals().waiting() == 1);
        WaiterLimitExceededException noRoom = catchThrowableOfType(WaiterLimitExceededException.class,
                () -> connecting.acquire("up"));
        assertThat(noRoom.getPoolName()).isEqualTo("connecting");
        assertThat(noRoom.getName()).isEqualTo("up");
        assertThat(noRoom.getMaxWaiters()).isEqualTo(1);
        connecting.add("up", held);
        waiter.join(5_000);
        assertThat(waiter.isAlive()).isFalse();
    }
}
