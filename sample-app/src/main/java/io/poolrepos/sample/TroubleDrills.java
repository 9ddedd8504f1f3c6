package io.poolrepos.sample;

import io.poolrepos.ConnectionPool;
import io.poolrepos.ConnectionRejectedException;
import io.poolrepos.PoolReposException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Trouble made on purpose, so that the dashboard has some to show: an exclusive pool exhausted until an
 * {@code acquire} times out, and a backend stopped for a few seconds. Each drill runs on the caller's
 * thread, takes a few seconds at most and leaves the pools and backends working afterwards.
 * Thread-safe: the drills share nothing but the pools and backends, which are.
 */
final class TroubleDrills {

    /** The deadline of the one {@code acquire} that the exhausted pool must time out. */
    static final Duration SHORT_ACQUIRE = Duration.ofMillis(300);

    private final ConnectionPool<Socket> exclusive;
    private final ConnectionPool<Socket> secure;
    private final Backends backends;

    /**
     * @param exclusive the pool to exhaust (one with a {@code max-open-per-name})
     * @param secure the pool whose TLS backend the outage stops
     */
    TroubleDrills(ConnectionPool<Socket> exclusive, ConnectionPool<Socket> secure, Backends backends) {
        this.exclusive = exclusive;
        this.secure = secure;
        this.backends = backends;
    }

    /**
     * Takes every connection the exclusive pool allows for {@code name}, then asks once more with a
     * deadline of {@link #SHORT_ACQUIRE}, which times out (an acquire timeout); gives one back under
     * {@code wrongName}, which the pool rejects (a rejected add: the caller's bug, caught); holds the
     * rest for {@code hold} (callers of that name wait meanwhile) and gives them all back, where those
     * beyond {@code max-idle-per-name} are closed as overflow. Skipped when the pool has no open limit.
     *
     * @param wrongName another name of the pool, or {@code name} itself to leave the rejected add out
     * @return what happened, for the traffic status
     */
    String exhaust(String name, String wrongName, Duration hold) throws InterruptedException {
        int max = exclusive.settings().maxOpenPerName();
        if (max == 0) {
            return "pool '" + exclusive.poolName() + "' has no max-open-per-name to exhaust";
        }
        List<Socket> held = new ArrayList<>(max);
        StringBuilder done = new StringBuilder();
        try {
            for (int i = 0; i < max; i++) {
                held.add(exclusive.acquire(name));
            }
            done.append(exclusive.poolName()).append(' ').append(name).append(": held all ").append(max);
            try {
                held.add(exclusive.acquire(name, SHORT_ACQUIRE));
                done.append(", yet one more acquire got a connection");
            } catch (PoolReposException expected) {
                done.append(", one more acquire failed: ").append(expected.getClass().getSimpleName());
            }
            if (!wrongName.equals(name)) {
                try {
                    exclusive.add(wrongName, held.get(0));
                    done.append(", an add under the wrong name was accepted");
                } catch (ConnectionRejectedException expected) {
                    done.append(", an add under the wrong name was rejected");
                }
            }
            Thread.sleep(hold.toMillis());
        } finally {
            for (Socket socket : held) {
                exclusive.add(name, socket);
            }
        }
        return done.toString();
    }

    /**
     * Stops the embedded TLS backend {@code name} for {@code down} and starts it again on its port.
     * Meanwhile the {@code secure} pool finds its idle connections dead, a connect fails, and the next
     * {@code acquire} fails at once in connect backoff; the pool's health turns DOWN until a connect
     * succeeds after the restart. Skipped for an external backend.
     *
     * @return what happened, for the traffic status
     */
    String outage(String name, Duration down) throws InterruptedException {
        if (!backends.stop(name)) {
            return name + " is not an embedded backend: no outage";
        }
        StringBuilder done = new StringBuilder(secure.poolName() + ' ' + name + ": stopped for " + down.toSeconds() + " s");
        try {
            for (int i = 0; i < 2; i++) {
                try {
                    Socket unexpected = secure.acquire(name);
                    secure.discard(name, unexpected);
                    done.append(", an acquire got a connection");
                } catch (PoolReposException expected) {
                    done.append(", acquire failed: ").append(expected.getClass().getSimpleName());
                }
            }
            Thread.sleep(down.toMillis());
        } finally {
            backends.restart(name);
        }
        return done.append(", started again").toString();
    }
}
