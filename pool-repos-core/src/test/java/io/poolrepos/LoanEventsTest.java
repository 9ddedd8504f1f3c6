package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.poolrepos.testing.EchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the give-back tells a {@link PoolListener} about loans: each loan of {@code get} or
 * {@code acquire} ends once, given back or discarded, with how long it was out, exactly, on a manual
 * clock (no housekeeping, so the coarse clock is the ticker). Real sockets to a local echo server.
 */
class LoanEventsTest {

    private static final Duration HELD = Duration.ofMillis(42);

    private final EchoServer server = EchoServer.start();
    private final ManualTicker ticker = new ManualTicker();
    private final PoolRepository repository = PoolRepository.builder().housekeepingPeriod(Duration.ZERO)
            .ticker(ticker).build();
    private final List<String> loans = new CopyOnWriteArrayList<>();
    private final PoolListener listener = new PoolListener() {
        @Override
        public void loanEnded(ConnectionPool<?> pool, String name, long loanNanos) {
            loans.add(pool.poolName() + " " + name + " " + loanNanos);
        }
    };

    @AfterEach
    void close() {
        repository.close();
        server.close();
    }

    private ConnectionPool<Socket> pool(PoolSettings settings) {
        repository.addListener(listener);
        return repository.pool("orders", ConnectionAdapter.sockets(), settings, TcpConnectionFactory.create());
    }

    private String loan(Duration held) {
        return "orders " + server.name() + " " + held.toNanos();
    }

    @Test
    void aLoanOfGetEndsWhenItsConnectionIsGivenBackWithHowLongItWasOut() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        pool.add(server.name(), server.connect());
        assertThat(loans).as("adding a connection the pool had not lent ends no loan").isEmpty();

        Socket socket = pool.get(server.name()).orElseThrow();
        ticker.advance(HELD);
        assertThat(EchoServer.roundTrip(socket, "hi")).isEqualTo("hi");
        pool.add(server.name(), socket);

        assertThat(loans).containsExactly(loan(HELD));
    }

    @Test
    void aLoanOfAcquireEndsWhenItsConnectionIsDiscarded() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket socket = pool.acquire(server.name());
        ticker.advance(HELD);

        pool.discard(server.name(), socket);

        assertThat(loans).containsExactly(loan(HELD));
        assertThat(socket.isClosed()).isTrue();
    }

    @Test
    void aRejectedGiveBackEndsNoLoanAndTheLoanEndsOnceWhenItComesBack() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket socket = pool.acquire(server.name());
        ticker.advance(HELD);
        pool.add(server.name(), socket);

        assertThatThrownBy(() -> pool.add(server.name(), socket)).isInstanceOf(ConnectionRejectedException.class);
        assertThatThrownBy(() -> pool.discard(server.name(), socket)).isInstanceOf(ConnectionRejectedException.class);

        assertThat(loans).containsExactly(loan(HELD));
    }

    @Test
    void aConnectionHandedStraightToAWaiterEndsOneLoanAndStartsTheNext() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().maxOpenPerName(1).acquireTimeout(Duration.ofSeconds(30))
                .build());
        Socket first = pool.acquire(server.name());
        CompletableFuture<Socket> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(server.name()));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.totals().waiting() == 1);
        ticker.advance(HELD);

        pool.add(server.name(), first);
        Socket second = waiter.get(10, TimeUnit.SECONDS);
        ticker.advance(HELD.multipliedBy(2));
        pool.add(server.name(), second);

        assertThat(second).isSameAs(first);
        assertThat(loans).containsExactly(loan(HELD), loan(HELD.multipliedBy(2)));
    }

    @Test
    void aConnectionGivenBackAfterItsRepositoryClosedStillEndsItsLoan() {
        ConnectionPool<Socket> pool = pool(PoolSettings.defaults());
        Socket socket = pool.acquire(server.name());
        ticker.advance(HELD);
        repository.close();

        assertThat(pool.add(server.name(), socket)).isEqualTo(AddResult.CLOSED_POOL_CLOSED);

        assertThat(loans).containsExactly(loan(HELD));
    }

    @Test
    void aLoanThatBeganBeforeTheListenerCameIsHeardWhenItEnds() {
        ConnectionPool<Socket> pool = repository.pool("orders", ConnectionAdapter.sockets(), PoolSettings.defaults(),
                TcpConnectionFactory.create());
        Socket socket = pool.acquire(server.name());
        ticker.advance(HELD);
        repository.addListener(listener);

        pool.add(server.name(), socket);

        assertThat(loans).containsExactly(loan(HELD));
    }

    @Test
    void sharesAreNoLoans() {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).build());
        pool.add(server.name(), server.connect());

        pool.share(server.name()).orElseThrow().close();

        assertThat(loans).isEmpty();
    }

    @Test
    void aLoanOfAcquireAsyncEndsOnItsGiveBackAndALeaseOfShareOrConnectEndsNone() throws Exception {
        ConnectionPool<Socket> pool = pool(PoolSettings.builder().sharable(true).build());

        Socket socket = pool.acquireAsync(server.name()).get(10, TimeUnit.SECONDS);
        ticker.advance(HELD);
        pool.add(server.name(), socket);
        assertThat(loans).containsExactly(loan(HELD));

        try (SharedLease<Socket> lease = pool.share(server.name()).orElseThrow()) {
            assertThat(lease.connection()).isSameAs(socket);
            ticker.advance(HELD);
        }
        assertThat(loans).as("a share is no loan").containsExactly(loan(HELD));
    }
}
