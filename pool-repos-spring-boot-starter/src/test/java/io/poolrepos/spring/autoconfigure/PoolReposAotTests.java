package io.poolrepos.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionFactory;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.InputStreamSource;
import org.springframework.javapoet.ClassName;

/**
 * AOT processing of an application with pools, as {@code spring-boot:process-aot} runs it: the pool
 * beans become generated code (a factory method call on the configured pools, with the pool's
 * qualifier and generic type), and the starter's runtime hints are contributed. That the generated
 * code starts is shown by the sample app's {@code SampleAppAotIT}, which runs the processed jar.
 */
class PoolReposAotTests {

    private final InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
    private final DefaultGenerationContext generation = new DefaultGenerationContext(
            new ClassNameGenerator(ClassName.get(PoolReposAotTests.class.getPackageName(), "AotTest")), files);

    private String process(String... properties) throws IOException {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.register(Application.class);
            TestPropertyValues.of(properties).applyTo(context);
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        }
        generation.writeGeneratedContent();
        StringBuilder sources = new StringBuilder();
        for (Map.Entry<String, InputStreamSource> file : files.getGeneratedFiles(Kind.SOURCE).entrySet()) {
            try (InputStream in = file.getValue().getInputStream()) {
                sources.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return sources.toString();
    }

    @Test
    void poolBeansShouldBecomeFactoryMethodCallsWithQualifierAndGenericType() throws IOException {
        String sources = process("pool-repos.pools.orders.connect=tcp", "pool-repos.pools.feed.connection-type=socket-channel",
                "pool-repos.pools.buffers.max-idle-per-name=2");
        assertThat(sources).contains("ConfiguredPools.class, \"pool\", String.class",
                "new AutowireCandidateQualifier(\"org.springframework.beans.factory.annotation.Qualifier\", \"orders\")",
                "ResolvableType.forClassWithGenerics(ConnectionPool.class, Socket.class)",
                "ResolvableType.forClassWithGenerics(ConnectionPool.class, SocketChannel.class)",
                "ResolvableType.forClassWithGenerics(ConnectionPool.class, StringBuilder.class)",
                "addIndexedArgumentValue(0, \"feed\")");
    }

    @Test
    void processingShouldContributeBindingHintsForEveryPoolProperty() throws IOException {
        process("pool-repos.pools.orders.sharable=true");
        RuntimeHints hints = generation.getRuntimeHints();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(PoolProperties.class)) {
            if (property.getWriteMethod() != null) {
                assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(property.getWriteMethod()))
                        .as(property.getName()).accepts(hints);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PoolReposAutoConfiguration.class)
    static class Application {

        @Bean
        @Qualifier("buffers")
        ConnectionAdapter<StringBuilder> buffersAdapter() {
            return ConnectionAdapter.of(StringBuilder.class, b -> true, b -> { });
        }

        @Bean
        @Qualifier("buffers")
        ConnectionFactory<StringBuilder> buffersFactory() {
            return name -> new StringBuilder(name);
        }
    }
}
