package io.poolrepos.spring.autoconfigure;

import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.IdleOrder;
import io.poolrepos.PoolSettings;

/**
 * Settings of one pool, or the defaults of every pool. A setting left unset ({@code null}) is taken
 * from {@code pool-repos.defaults}, and when unset there too from the core's default (listed in the
 * README and in the configuration metadata).
 *
 * <p>Not thread-safe: bound once at start-up and then only read.
 */
public class PoolProperties {

    /** Type of connection the pool holds. */
    private ConnectionType connectionType;

    /** Whether "share" may hand out connections that stay in the pool for several users at once. */
    private Boolean sharable;

    /** Most idle connections kept per name; zero keeps none. */
    private Integer maxIdlePerName;

    /** Most open connections (idle, shared or in use) per name; zero means no limit. */
    private Integer maxOpenPerName;

    /** Idle connections kept open for each name of warm-up-names: opened in the background at start-up and topped up after evictions; zero warms nothing. */
    private Integer minIdlePerName;

    /** Names (host:port, or socket paths with connect: unix) to open min-idle-per-name connections for at start-up; the application reports ready once they are warm or warm-up-timeout has passed. Needs a factory (connect, or a ConnectionFactory bean). */
    private List<String> warmUpNames;

    /** Most idle connections in the whole pool, over all names; zero means no limit. */
    private Integer maxIdleInPool;

    /** Most open connections (idle, shared or in use) in the whole pool, over all names; zero means no limit. */
    private Integer maxOpenInPool;

    /** Most distinct names the pool holds at once, a guard against unbounded names. */
    private Integer maxNames;

    /** Most concurrent sharers of one connection of a sharable pool. */
    private Integer maxSharersPerConnection;

    /** How long a connection may stay idle before it is closed; zero means forever. */
    private Duration idleTimeout;

    /** How long a connection may live from when the pool first saw it; zero means forever. */
    private Duration maxLifetime;

    /** How long "acquire" waits for a connection when the name is at its open-connection limit. */
    private Duration acquireTimeout;

    /** Most callers waiting in "acquire" per name; further callers fail at once. */
    private Integer maxWaitersPerName;

    /** How long a connection may be out on exclusive loan before it is reported as a possible leak; zero turns detection off. */
    private Duration leakDetectionThreshold;

    /** Which idle connection of a name is handed out first. */
    private IdleOrder idleOrder;

    /** How long a connection must have been idle before get and acquire probe it again with the connection adapter's thorough check (for sockets, a non-blocking read of the peer); connections given back more recently, which add probed then, get only the cheap check, so a peer's close within this time of a give-back is noticed on first use. Zero probes on every get. */
    private Duration probeAfterIdle;

    /** How long "acquire" waits before it connects to a name again after a failed connect, doubling with each failure in a row up to connect-backoff-max; zero turns backoff off. */
    private Duration connectBackoff;

    /** Longest wait of connect backoff. */
    private Duration connectBackoffMax;

    /** How "acquire" opens new connections when no ConnectionFactory bean is qualified with the pool's name. */
    private Connect connect;

    /** Connect timeout of the built-in TCP factory. */
    private Duration connectTimeout;

    /** Whether the built-in TCP factory sets TCP_NODELAY on its sockets. */
    private Boolean tcpNoDelay;

    /** Whether the built-in TCP factory sets SO_KEEPALIVE on its sockets. */
    private Boolean keepAlive;

    /** Read timeout (SO_TIMEOUT) of the built-in TCP factory's sockets; zero means none. */
    private Duration soTimeout;

    /** Name of the SSL bundle (spring.ssl.bundle.pem.* or spring.ssl.bundle.jks.*) whose trust material, key and options "connect: tls" uses; unset means the JVM's default trust store. */
    private String sslBundle;

    /** Whether "connect: tls" requires the server's certificate to name the host connected to. */
    private Boolean verifyHostname;

    /** How long each read of a "connect: tls" handshake may wait; unset means the connect timeout. */
    private Duration handshakeTimeout;

    public ConnectionType getConnectionType() {
        return connectionType;
    }

    public void setConnectionType(ConnectionType connectionType) {
        this.connectionType = connectionType;
    }

    public Boolean getSharable() {
        return sharable;
    }

    public void setSharable(Boolean sharable) {
        this.sharable = sharable;
    }

    public Integer getMaxIdlePerName() {
        return maxIdlePerName;
    }

    public void setMaxIdlePerName(Integer maxIdlePerName) {
        this.maxIdlePerName = maxIdlePerName;
    }

    public Integer getMaxOpenPerName() {
        return maxOpenPerName;
    }

    public void setMaxOpenPerName(Integer maxOpenPerName) {
        this.maxOpenPerName = maxOpenPerName;
    }

    public Integer getMinIdlePerName() {
        return minIdlePerName;
    }

    public void setMinIdlePerName(Integer minIdlePerName) {
        this.minIdlePerName = minIdlePerName;
    }

    public List<String> getWarmUpNames() {
        return warmUpNames;
    }

    public void setWarmUpNames(List<String> warmUpNames) {
        this.warmUpNames = warmUpNames;
    }

    public Integer getMaxIdleInPool() {
        return maxIdleInPool;
    }

    public void setMaxIdleInPool(Integer maxIdleInPool) {
        this.maxIdleInPool = maxIdleInPool;
    }

    public Integer getMaxOpenInPool() {
        return maxOpenInPool;
    }

    public void setMaxOpenInPool(Integer maxOpenInPool) {
        this.maxOpenInPool = maxOpenInPool;
    }

    public Integer getMaxNames() {
        return maxNames;
    }

    public void setMaxNames(Integer maxNames) {
        this.maxNames = maxNames;
    }

    public Integer getMaxSharersPerConnection() {
        return maxSharersPerConnection;
    }

    public void setMaxSharersPerConnection(Integer maxSharersPerConnection) {
        this.maxSharersPerConnection = maxSharersPerConnection;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getMaxLifetime() {
        return maxLifetime;
    }

    public void setMaxLifetime(Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    public Duration getAcquireTimeout() {
        return acquireTimeout;
    }

    public void setAcquireTimeout(Duration acquireTimeout) {
        this.acquireTimeout = acquireTimeout;
    }

    public Integer getMaxWaitersPerName() {
        return maxWaitersPerName;
    }

    public void setMaxWaitersPerName(Integer maxWaitersPerName) {
        this.maxWaitersPerName = maxWaitersPerName;
    }

    public Duration getLeakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
    }

    public IdleOrder getIdleOrder() {
        return idleOrder;
    }

    public void setIdleOrder(IdleOrder idleOrder) {
        this.idleOrder = idleOrder;
    }

    public Duration getProbeAfterIdle() {
        return probeAfterIdle;
    }

    public void setProbeAfterIdle(Duration probeAfterIdle) {
        this.probeAfterIdle = probeAfterIdle;
    }

    public Connect getConnect() {
        return connect;
    }

    public void setConnect(Connect connect) {
        this.connect = connect;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Boolean getTcpNoDelay() {
        return tcpNoDelay;
    }

    public void setTcpNoDelay(Boolean tcpNoDelay) {
        this.tcpNoDelay = tcpNoDelay;
    }

    public Boolean getKeepAlive() {
        return keepAlive;
    }

    public void setKeepAlive(Boolean keepAlive) {
        this.keepAlive = keepAlive;
    }

    public Duration getSoTimeout() {
        return soTimeout;
    }

    public void setSoTimeout(Duration soTimeout) {
        this.soTimeout = soTimeout;
    }

    public Duration getConnectBackoff() {
        return connectBackoff;
    }

    public void setConnectBackoff(Duration connectBackoff) {
        this.connectBackoff = connectBackoff;
    }

    public Duration getConnectBackoffMax() {
        return connectBackoffMax;
    }

    public void setConnectBackoffMax(Duration connectBackoffMax) {
        this.connectBackoffMax = connectBackoffMax;
    }

    public String getSslBundle() {
        return sslBundle;
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle;
    }

    public Boolean getVerifyHostname() {
        return verifyHostname;
    }

    public void setVerifyHostname(Boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
    }

    public Duration getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    /** The connection types a configured pool can hold, each with the core's built-in adapter. */
    public enum ConnectionType {

        /** {@link Socket}s. */
        SOCKET(ConnectionAdapter.sockets()),

        /** {@link SocketChannel}s. */
        SOCKET_CHANNEL(ConnectionAdapter.socketChannels());

        private final ConnectionAdapter<?> adapter;

        ConnectionType(ConnectionAdapter<?> adapter) {
            this.adapter = adapter;
        }

        /** The core adapter for this type. */
        public ConnectionAdapter<?> adapter() {
            return adapter;
        }

        /** The Java type of the connections. */
        public Class<?> javaType() {
            return adapter.connectionType();
        }
    }

    /** How a pool opens connections in "acquire". */
    public enum Connect {

        /** The pool opens no connections: only those given to it with "add" are handed out. */
        NONE,

        /** The core's TcpConnectionFactory opens sockets to names of the form host:port. */
        TCP,

        /** The core's TlsConnectionFactory opens TLS sockets to names of the form host:port, with the SSL bundle of ssl-bundle. */
        TLS,

        /** The core's UnixDomainConnectionFactory opens socket channels to names that are Unix domain socket paths. */
        UNIX
    }
}
