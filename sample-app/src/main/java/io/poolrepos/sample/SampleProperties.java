package io.poolrepos.sample;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the demo itself (prefix {@code sample}); the pools are configured under
 * {@code pool-repos}. Immutable and thread-safe.
 *
 * @param backend where the backend runs
 * @param client how the clients wait
 * @param traffic the traffic generator
 * @param history the dashboard's history of the pools
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue Backend backend, @DefaultValue Client client,
        @DefaultValue Traffic traffic, @DefaultValue History history) {

    /**
     * @param external {@code host:port} of backends to use instead of the embedded ones; empty starts
     *     the embedded ones
     * @param ports ports of the embedded backends, one backend per entry; 0 takes any free port
     * @param externalTls {@code host:port} of TLS backends to use instead of the embedded TLS ones; the
     *     {@code secure} pool's SSL bundle must trust their certificates
     * @param tlsPorts ports of the embedded TLS backends, one backend per entry; 0 takes any free port
     * @param sslBundle SSL bundle with the certificate and private key the embedded TLS backends present
     * @param maxDelay longest random delay of the embedded backends before they answer
     */
    public record Backend(@DefaultValue({}) List<String> external, @DefaultValue({"0", "0"}) List<Integer> ports,
            @DefaultValue({}) List<String> externalTls, @DefaultValue("0") List<Integer> tlsPorts,
            @DefaultValue("sample-backend-server") String sslBundle, @DefaultValue("20ms") Duration maxDelay) {
    }

    /**
     * @param timeout how long a multiplexed request waits for its reply
     */
    public record Client(@DefaultValue("5s") Duration timeout) {
    }

    /**
     * @param onStartup how long to run traffic once the app is ready; 0 runs none
     * @param workers concurrent callers of a traffic run started on start-up
     * @param trouble whether a traffic run started on start-up also makes trouble (a pool exhausted
     *     until an acquire times out, the TLS backend stopped for a few seconds)
     */
    public record Traffic(@DefaultValue("0s") Duration onStartup, @DefaultValue("8") int workers,
            @DefaultValue("true") boolean trouble) {
    }

    /**
     * @param period how often the pools are sampled into the history
     * @param span how far back the history reaches; older samples are dropped
     * @param maxNamesPerPool most names per pool with a history of their own (the pool's totals count every name)
     * @param maxPools most pools with a history
     */
    public record History(@DefaultValue("1s") Duration period, @DefaultValue("10m") Duration span,
            @DefaultValue("16") int maxNamesPerPool, @DefaultValue("8") int maxPools) {
    }
}
