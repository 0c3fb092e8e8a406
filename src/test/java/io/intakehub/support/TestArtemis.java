package io.intakehub.support;

import java.io.IOException;
import java.nio.file.Files;

import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The test hubs' embedded Artemis keeps at most 16 MB of messages in memory and pages the rest to a temporary folder.
 * A non-persistent broker otherwise holds every message in the heap up to half of it (Artemis's default global size),
 * and the test JVM holds several cached hub contexts, each with a broker whose queues nobody in the tests drains (the
 * ERP and desk queues, the dead letters): the JVM ran out of heap late in the suite.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestArtemis {

    static final long GLOBAL_MAX_BYTES = 16L * 1024 * 1024;

    @Bean
    ArtemisConfigurationCustomizer pagedTestBroker() {
        return config -> {
            try {
                java.nio.file.Path pages = Files.createTempDirectory("intake-hub-artemis-paging");
                config.setPagingDirectory(pages.toString());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> org.springframework.util.FileSystemUtils.deleteRecursively(pages.toFile())));
            } catch (IOException e) {
                throw new IllegalStateException("no temporary folder for the test broker's pages", e);
            }
            config.setGlobalMaxSize(GLOBAL_MAX_BYTES);
        };
    }
}
