package io.poolrepos.benchmarks;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.PoolSettings;
import java.net.Socket;
import java.time.Duration;

/**
 * The ways of getting a connection that the request/reply benchmark compares, by the key used in
 * JMH's {@code config} parameter and in the printed tables. {@link #OURS} comes first; the ratios are
 * taken against it. Each configuration's {@link Connections} is a class of its own, and each has its
 * {@link #transport()}: plain TCP but for the two TLS configurations. The pools are
 * sized for the thread count ({@code maxIdlePerName}, {@code maxTotalPerKey} and {@code maxIdlePerKey}
 * at least the number of threads), so that none reconnects for want of room; every other setting is
 * at the pool's default.
 */
enum ClientConfig {
    /** pool-repos at its defaults: the library's socket adapter, which probes the peer on every get and add. */
    OURS("ours"),
    /** pool-repos probing on every get as well as every add ({@code probeAfterIdle} zero). */
    OURS_PROBE_ALWAYS("ours-probe-always"),
    /** pool-repos with {@code probeAfterIdle} one second: get probes only connections idle that long; add still probes. */
    OURS_PROBE_AFTER_IDLE("ours-idle-1s"),
    /** pool-repos with an adapter that reads only the socket's own flags: no probe at all. */
    OURS_NO_PROBE("ours-no-probe"),
    /** commons-pool2 {@code GenericKeyedObjectPool} at its defaults: no check on borrow or return. */
    CP2_UNCHECKED("cp2-unchecked"),
    /** commons-pool2 with {@code testOnBorrow}, validating with the library's probe. */
    CP2_CHECKED("cp2-checked"),
    /** The limit: each thread opens one socket and uses it for every request, no pool and no check. */
    OWNED_SOCKET("owned-socket"),
    /** A new connection per request, closed after the reply: what pooling saves. */
    NEW_SOCKET("new-socket"),
    /** {@link #OURS} over TLS: the library's {@code TlsConnectionFactory}, probed on the TCP channel underneath. */
    OURS_TLS("ours-tls"),
    /** A new TLS connection per request (a plain {@code SSLSocket}, a handshake each), closed after the reply. */
    NEW_TLS_SOCKET("new-tls-socket");

    /** The library's adapter without its probe: alive while the socket's own flags say so. */
    static final ConnectionAdapter<Socket> ALIVE_ONLY = ConnectionAdapter.of(Socket.class,
            s -> s.isConnected() && !s.isClosed() && !s.isInputShutdown() && !s.isOutputShutdown(), Socket::close);

    final String key;

    ClientConfig(String key) {
        this.key = key;
    }

    static ClientConfig of(String key) {
        for (ClientConfig config : values()) {
            if (config.key.equals(key)) {
                return config;
            }
        }
        throw new IllegalArgumentException("unknown config '" + key + "'");
    }

    /** The connections of this configuration to {@code connector}'s server, for {@code threads} threads. */
    Connections connections(Connector connector, int threads) {
        int room = Math.max(8, threads);
        return switch (this) {
            case OURS, OURS_TLS -> new OursSockets(connector, ConnectionAdapter.sockets(), PoolSettings.builder().maxIdlePerName(room).build());
            case OURS_PROBE_ALWAYS -> new OursSockets(connector, ConnectionAdapter.sockets(),
                    PoolSettings.builder().maxIdlePerName(room).probeAfterIdle(Duration.ZERO).build());
            case OURS_PROBE_AFTER_IDLE -> new OursSockets(connector, ConnectionAdapter.sockets(),
                    PoolSettings.builder().maxIdlePerName(room).probeAfterIdle(Duration.ofSeconds(1)).build());
            case OURS_NO_PROBE -> new OursSockets(connector, ALIVE_ONLY, PoolSettings.builder().maxIdlePerName(room).build());
            case CP2_UNCHECKED -> new CommonsPool2Sockets(connector, room, false);
            case CP2_CHECKED -> new CommonsPool2Sockets(connector, room, true);
            case OWNED_SOCKET -> new OwnedSockets(connector);
            case NEW_SOCKET, NEW_TLS_SOCKET -> new NewSockets(connector);
        };
    }

    /** How this configuration's server listens and its client connects. */
    Transport transport() {
        return switch (this) {
            case OURS_TLS -> TlsTransport.POOL_FACTORY;
            case NEW_TLS_SOCKET -> TlsTransport.PLAIN_SOCKET;
            default -> Transport.TCP;
        };
    }

    /** Whether this configuration talks TLS. */
    boolean tls() {
        return transport() != Transport.TCP;
    }
}
