package io.poolrepos.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The pool-repos demo: embedded line-protocol backends (plain and TLS), an exclusive pool
 * ({@code echo}), a sharable pool ({@code multiplex}) and an exclusive TLS pool ({@code secure}, trust
 * from an SSL bundle) configured in {@code application.yml} through the starter, REST endpoints under
 * {@code /api}, a bounded traffic generator and a dashboard at {@code /}.
 *
 * <p>Holds no state of its own and is used by Spring only while the context starts: thread-safety does
 * not arise.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
