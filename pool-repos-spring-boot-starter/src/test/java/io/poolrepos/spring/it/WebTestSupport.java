package io.poolrepos.spring.it;

import io.poolrepos.testing.EchoServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.web.server.LocalServerPort;

/** What every web test needs: an HTTP client for the running application and an echo server of its own. */
abstract class WebTestSupport {

    /** One server per test: its name (127.0.0.1:port) keeps each test's figures apart in the shared pools. */
    protected final EchoServer server = EchoServer.start();

    protected HttpSupport http;

    @LocalServerPort
    private int port;

    @BeforeEach
    void connectHttp() {
        http = new HttpSupport(port);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
