package io.poolrepos.spring.it;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A plain application using the starter, as a user would write it; the web tests start it on a random port. */
@SpringBootApplication
public class PoolReposTestApplication {

    public static void main(String[] args) {
        SpringApplication.run(PoolReposTestApplication.class, args);
    }
}
