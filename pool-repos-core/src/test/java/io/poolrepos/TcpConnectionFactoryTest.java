package io.poolrepos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.poolrepos.testing.EchoServer;
import io.poolrepos.testing.ProcessResources;
import java.io.IOException;
import java.net.InetAddress;
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
    void acceptsEveryPortFrom1To65535AndNoOther() {
        assertThat(TcpConnectionFactory.parse("localhost:1").getPort()).isEqualTo(1);
        assertThat(TcpConnectionFactory.parse("localhost:65535").getPort()).isEqualTo(65535);
        assertThatThrownBy(() -> TcpConnectionFactory.parse("localhost:65536"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("a port from 1 to 65535");
    }

    @Test
    void aFailedConnectLeavesNoSocketOpen() throws Exception {
        int refusing;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = probe.getLocalPort();
        }
        TcpConnectionFactory factory = TcpConnectionFactory.create();
        int before = ProcessResources.openFileDescriptors();
        assumeTrue(before >= 0, "needs /proc/self/fd");

        for (int i = 0; i < 200; i++) {
            assertThatThrownBy(() -> factory.connect("127.0.0.1:" + refusing)).isInstanceOf(IOException.class);
        }

        assertThat(ProcessResources.openFileDescriptors()).as("descriptors after 200 refused connects")
                .isLessThan(before + 20);
    }

    @Test
    void theFactoryTellsWhatItWasBuiltWith() {
        TcpConnectionFactory factory = TcpConnectionFactory.builder().connectTimeout(Duration.ofMillis(1200))
                .tcpNoDelay(false).keepAlive(false).soTimeout(Duration.ofSeconds(3)).build();

        assertThat(factory.connectTimeout()).isEqualTo(Duration.ofMillis(1200));
        assertThat(factory.tcpNoDelay()).isFalse();
        assertThat(factory.keepAlive()).isFalse();
        assertThat(factory.soTimeout()).isEqualTo(Duration.ofSeconds(3));
        TcpConnectionFactory defaults = TcpConnectionFactory.create();
        assertThat(defaults.tcpNoDelay()).isTrue();
        assertThat(defaults.keepAlive()).isTrue();
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
