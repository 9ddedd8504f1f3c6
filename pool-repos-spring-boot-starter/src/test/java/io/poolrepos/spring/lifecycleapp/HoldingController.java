package io.poolrepos.spring.lifecycleapp;

import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.poolrepos.AddResult;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.testing.EchoServer;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A request that holds a connection of pool "orders" until the test lets it go, then uses it and gives
 * it back, answering what became of it: POOLED while the repository is open, CLOSED_POOL_CLOSED after.
 */
@RestController
public class HoldingController {

    /** Counted down once the request holds its connection. */
    public static volatile CountDownLatch holding = new CountDownLatch(1);
    /** Counted down by the test to let the request go on. */
    public static volatile CountDownLatch release = new CountDownLatch(1);

    private final PoolRepository repository;

    HoldingController(PoolRepository repository) {
        this.repository = repository;
    }

    @GetMapping("/hold")
    String hold(@RequestParam String name) throws InterruptedException {
        ConnectionPool<Socket> orders = repository.require("orders", Socket.class);
        Socket socket = orders.acquire(name);
        holding.countDown();
        if (!release.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
        }
        EchoServer.roundTrip(socket, "held");
        AddResult result = orders.add(name, socket);
        return result.name();
    }
}
