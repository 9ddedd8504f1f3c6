package io.poolrepos.spring.lifecycleapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application for the lifecycle tests: the starter plus {@link HoldingController}, kept out of the
 * package that the other web tests' application scans.
 */
@SpringBootApplication
public class LifecycleTestApplication {
}
