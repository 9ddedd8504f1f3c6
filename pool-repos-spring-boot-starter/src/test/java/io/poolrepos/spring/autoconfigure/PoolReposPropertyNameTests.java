package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.poolrepos.PoolRepository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

/**
 * Names under {@code pool-repos} that would not bind as written fail start-up: unknown keys, with the
 * closest valid one, and pool names that Boot's map binding would change, with their bracketed form.
 * The valid keys are those of the properties classes, so these tests also prove that every property
 * the configuration processor sees is accepted.
 */
@ExtendWith(OutputCaptureExtension.class)
class PoolReposPropertyNameTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolReposAutoConfiguration.class));

    private String reportFor(String... properties) {
        String[] report = new String[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .isInstanceOf(InvalidPoolPropertyNameException.class);
            report[0] = StartupReport.of(context.getStartupFailure());
        });
        return report[0];
    }

    @Test
    void runWithMisspelledPoolKeyShouldNameItAndSuggestTheClosestKey() {
        String report = reportFor("pool-repos.pools.orders.shareable=true");
        assertThat(report).contains("Property: pool-repos.pools.orders.shareable",
                "Reason: pool-repos.pools.orders has no key 'shareable'; did you mean pool-repos.pools.orders.sharable?");
    }

    @Test
    void runWithSwappedLettersShouldSuggestTheClosestKey() {
        String report = reportFor("pool-repos.pools.orders.max-idle-pre-name=3");
        assertThat(report).contains("Property: pool-repos.pools.orders.max-idle-pre-name",
                "did you mean pool-repos.pools.orders.max-idle-per-name?");
    }

    @Test
    void runWithMisspelledTopLevelKeyShouldSuggestTheClosestKey() {
        String report = reportFor("pool-repos.pool.x.sharable=true");
        assertThat(report).contains("Property: pool-repos.pool.x.sharable",
                "Reason: pool-repos has no key 'pool'; did you mean pool-repos.pools?");
    }

    @Test
    void runWithMisspelledWarmUpAndShutdownKeysShouldSuggestTheRealOnes() {
        String report = reportFor("pool-repos.pools.orders.warm-up-name[0]=127.0.0.1:1",
                "pool-repos.pools.orders.min-idle-per-nam=2", "pool-repos.shutdown-timout=5s",
                "pool-repos.warm-up-timeout=5s", "pool-repos.pools.quotes.warm-up-names[0]=127.0.0.1:2");
        assertThat(report).contains("did you mean pool-repos.pools.orders.warm-up-names?",
                "did you mean pool-repos.pools.orders.min-idle-per-name?", "did you mean pool-repos.shutdown-timeout?")
                .doesNotContain("Property: pool-repos.warm-up-timeout", "Property: pool-repos.pools.quotes.warm-up-names");
    }

    @Test
    void runWithMisspelledKeysInDefaultsAndMetricsShouldReportEveryOneAtOnce() {
        String report = reportFor("pool-repos.defaults.idle-timout=5s", "pool-repos.metrics.max-names=5",
                "pool-repos.housekeeping=1s");
        assertThat(report).contains("did you mean pool-repos.defaults.idle-timeout?",
                "Reason: pool-repos.metrics has no key 'max-names'; valid keys there: max-names-per-pool",
                "did you mean pool-repos.housekeeping-period?");
    }

    @Test
    void runWithAValueWrittenAsNestedKeysShouldSuggestTheDashedKey() {
        String report = reportFor("pool-repos.pools.orders.connect.timeout=2s");
        assertThat(report).contains("Property: pool-repos.pools.orders.connect.timeout",
                "Reason: pool-repos.pools.orders.connect takes a single value, not nested keys; "
                        + "did you mean pool-repos.pools.orders.connect-timeout?");
    }

    @Test
    void runWithRelaxedFormsOfValidKeysShouldStart() {
        runner.withPropertyValues("pool-repos.pools.orders.maxIdlePerName=3", "pool-repos.pools.orders.max_open_per_name=6",
                "pool-repos.pools.orders.IDLE-TIMEOUT=5s", "pool-repos.housekeepingPeriod=1s").run(context -> {
                    assertThat(context).hasNotFailed();
                    var settings = context.getBean(PoolRepository.class).find("orders").orElseThrow().settings();
                    assertThat(settings.maxIdlePerName()).isEqualTo(3);
                    assertThat(settings.maxOpenPerName()).isEqualTo(6);
                });
    }

    @Test
    void everyPropertyTheConfigurationProcessorSeesShouldBeAValidKey() throws IOException {
        // The metadata is generated from the properties classes at compile time, so a property added to
        // them is checked here without being listed anywhere.
        List<String> names = JsonPath.read(Files.readString(Path.of(
                "target/classes/META-INF/spring-configuration-metadata.json")), "$.properties[*].name");
        MockEnvironment environment = new MockEnvironment();
        for (String name : names) {
            // pool-repos.pools.*.<key> comes from the additional metadata, written by hand: the defaults
            // stand for the keys of each pool.
            if (name.startsWith("pool-repos.defaults.")) {
                environment.setProperty(name, "1");
                environment.setProperty(name.replace("pool-repos.defaults.", "pool-repos.pools.orders."), "1");
                environment.setProperty(name.replace("pool-repos.defaults.", "pool-repos.pools[my.pool]."), "1");
            } else if (!name.startsWith("pool-repos.pools")) {
                environment.setProperty(name, "1");
            }
        }
        assertThat(names).contains("pool-repos.defaults.max-idle-per-name", "pool-repos.metrics.max-names-per-pool");
        assertThat(PropertyNameCheck.problems(environment)).isEmpty();
    }

    @Test
    void runWithPoolNameWithUnbracketedDotShouldSayToWriteItInBrackets() {
        String report = reportFor("pool-repos.pools.my.pool.sharable=true");
        assertThat(report).contains("Property: pool-repos.pools.my.pool.sharable",
                "Reason: pool-repos.pools.my has no key 'pool'. If 'my.pool' is one name, write it in brackets",
                "pool-repos.pools[my.pool].sharable (in YAML: \"[my.pool]\":)");
    }

    @Test
    void runWithPoolNamesThatBootWouldChangeShouldSayToWriteThemInBrackets() {
        String report = reportFor("pool-repos.pools.a/b.sharable=true", "pool-repos.pools.pööl.max-idle-per-name=2");
        assertThat(report).contains("Property: pool-repos.pools.a/b.sharable",
                "Reason: Boot's binding reads the name 'a/b' as 'ab'",
                "Write the name in brackets: pool-repos.pools[a/b].sharable (in YAML: \"[a/b]\":)",
                "Property: pool-repos.pools.pööl.max-idle-per-name", "reads the name 'pööl' as 'pl'");
    }

    @Test
    void runWithPoolNameOfOnlyDroppedCharactersShouldSayItDisappears() {
        String report = reportFor("pool-repos.pools.ööö.sharable=true");
        assertThat(report).contains("Boot's binding drops the name 'ööö' altogether",
                "pool-repos.pools[ööö].sharable");
    }

    @Test
    void runWithTheSameNamesInBracketsShouldStartWithThosePools() {
        runner.withPropertyValues("pool-repos.pools[my.pool].sharable=true", "pool-repos.pools[a/b].max-idle-per-name=2",
                "pool-repos.pools[pööl].max-idle-per-name=3").run(context -> {
                    assertThat(context).hasNotFailed();
                    PoolRepository repository = context.getBean(PoolRepository.class);
                    assertThat(repository.find("my.pool").orElseThrow().settings().sharable()).isTrue();
                    assertThat(repository.find("a/b").orElseThrow().settings().maxIdlePerName()).isEqualTo(2);
                    assertThat(repository.find("pööl").orElseThrow().settings().maxIdlePerName()).isEqualTo(3);
                });
    }

    @Test
    void runWithStarterSwitchedOffShouldNotCheck() {
        runner.withPropertyValues("pool-repos.enabled=false", "pool-repos.pools.orders.shareable=true")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void startFromYamlShouldReportEachBadNameWithItsFileAndLine(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(YamlApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.location=classpath:bad-names.yml", "spring.main.banner-mode=off");
        assertThat(NestedExceptionUtils.getMostSpecificCause(catchThrowable(application::run)))
                .isInstanceOf(InvalidPoolPropertyNameException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
                "Property: pool-repos.pools.orders.shareable",
                "Origin: class path resource [bad-names.yml] - 4:18",
                "did you mean pool-repos.pools.orders.sharable?",
                "Property: pool-repos.pools.my.pool.max-idle-per-name",
                "Origin: class path resource [bad-names.yml] - 6:26",
                "pool-repos.pools[my.pool].max-idle-per-name (in YAML: \"[my.pool]\":)",
                "Property: pool-repos.pools.a/b.sharable",
                "Origin: class path resource [bad-names.yml] - 8:17",
                "Rename or remove each property above");
    }

    @Test
    void namesFromOtherSourcesThanFilesShouldBeCheckedToo() {
        MockEnvironment environment = new MockEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("arguments",
                Map.of("pool-repos.pools.orders.sharabel", "true")));
        assertThat(PropertyNameCheck.problems(environment)).singleElement()
                .satisfies(problem -> assertThat(problem.origin()).contains("arguments"));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PoolReposAutoConfiguration.class)
    static class YamlApplication {
    }
}
