package io.poolrepos.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The pool-repos demo: an embedded line-protocol backend, an exclusive pool ({@code echo}) and a
 * sharable pool ({@code multiplex}) configured in {@code application.yml} through the starter, REST
 * endpoints under {@code /api}, a bounded traffic generator and a dashboard at {@code /}.
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
