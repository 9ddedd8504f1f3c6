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
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue Backend backend, @DefaultValue Client client,
        @DefaultValue Traffic traffic) {

    /**
     * @param external {@code host:port} of backends to use instead of the embedded one; empty starts
     *     the embedded backend
     * @param ports ports of the embedded backend, one backend per entry; 0 takes any free port
     * @param maxDelay longest random delay of the embedded backend before it answers
     */
    public record Backend(@DefaultValue({}) List<String> external, @DefaultValue({"0", "0"}) List<Integer> ports,
            @DefaultValue("20ms") Duration maxDelay) {
    }

    /**
     * @param timeout how long a multiplexed request waits for its reply
     */
    public record Client(@DefaultValue("5s") Duration timeout) {
    }

    /**
     * @param onStartup how long to run traffic once the app is ready; 0 runs none
     * @param workers concurrent callers of a traffic run started on start-up
     */
    public record Traffic(@DefaultValue("0s") Duration onStartup, @DefaultValue("8") int workers) {
    }
}
