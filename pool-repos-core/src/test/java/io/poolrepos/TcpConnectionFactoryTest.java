package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolrepos.testing.EchoServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpConnectionFactoryTest {

    @Test
    void connectsWithTheConfiguredSocketOptions() throws Exception {
        TcpConnectionFactory factory = TcpConnectionFactory.builder().tcpNoDelay(true).keepAlive(true)
                .soTimeout(Duration.ofMillis(1500)).connectTimeout(Duration.ofSeconds(1)).build();
        try (EchoServer server = EchoServer.start(); Socket s = factory.connect(server.name())) {
            assertThat(s.isConnected()).isTrue();
            assertThat(s.getTcpNoDelay()).isTrue();
            assertThat(s.getKeepAlive()).isTrue();
            assertThat(s.getSoTimeout()).isEqualTo(1500);
            assertThat(EchoServer.roundTrip(s, "tcp")).isEqualTo("tcp");
        }
    }

    @Test
    void optionsCanBeTurnedOff() throws Exception {
        TcpConnectionFactory factory = TcpConnectionFactory.builder().tcpNoDelay(false).keepAlive(false).build();
        try (EchoServer server = EchoServer.start(); Socket s = factory.connect(server.name())) {
            assertThat(s.getTcpNoDelay()).isFalse();
            assertThat(s.getKeepAlive()).isFalse();
            assertThat(s.getSoTimeout()).isZero();
        }
    }

    @Test
    void aSocketConnectedToItselfIsToldApartFromARealConnection() throws Exception {
        // What a connect to a port nobody listens on can produce: the kernel picks that same port for
        // the connecting end, and the socket talks to itself. Made here on purpose by binding it.
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (Socket self = SocketChannel.open().socket();
                EchoServer server = EchoServer.start();
                Socket real = TcpConnectionFactory.create().connect(server.name())) {
            self.bind(new InetSocketAddress("127.0.0.1", port));
            self.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            self.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(self.getInputStream().read()).as("it reads back what it wrote").isEqualTo('h');

            assertThat(TcpConnectionFactory.connectedToItself(self)).isTrue();
            assertThat(TcpConnectionFactory.connectedToItself(real)).isFalse();
        }
    }

    @Test
    void parsesHostAndPortIncludingIpv6Literals() {
        assertThat(TcpConnectionFactory.parse("127.0.0.1:80").getPort()).isEqualTo(80);
        assertThat(TcpConnectionFactory.parse("[::1]:8080").getAddress().getHostAddress()).contains(":");
    }

    @Test
    void rejectsNamesThatAreNotHostAndPort() {
        for (String bad : new String[] {"localhost", ":80", "host:", "host:0", "host:70000", "host:http"}) {
            assertThatThrownBy(() -> TcpConnectionFactory.parse(bad)).as(bad)
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must be host:port");
        }
    }

    @Test
    void zeroConnectTimeoutIsRefused() {
        assertThatThrownBy(() -> TcpConnectionFactory.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("connectTimeout must be positive");
    }
}
