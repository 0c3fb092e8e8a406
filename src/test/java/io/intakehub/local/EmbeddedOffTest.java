package io.intakehub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.intakehub.config.HubProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** With {@code hub.embedded.enabled=false} (the prod profile) the hub starts no server of its own. */
class EmbeddedOffTest {

    @Test
    void noEmbeddedKafkaAddressIsPublished() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "hub.embedded.enabled", "false", "hub.kafka.brokers", "kafka.prod.example:9092")));
        new EmbeddedServers().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(
                new DefaultBootstrapContext(), new SpringApplication(), new String[0], env));
        assertThat(env.getPropertySources().contains("hubEmbeddedServers")).isFalse();
        assertThat(env.getProperty("hub.kafka.brokers")).isEqualTo("kafka.prod.example:9092");
    }

    @Test
    void noEmbeddedArtemisTopologyIsConfigured() {
        new ApplicationContextRunner()
                .withBean(HubProperties.class)
                .withUserConfiguration(EmbeddedArtemisConfig.class)
                .withPropertyValues("hub.embedded.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(ArtemisConfigurationCustomizer.class));
        new ApplicationContextRunner()
                .withBean(HubProperties.class)
                .withUserConfiguration(EmbeddedArtemisConfig.class)
                .run(ctx -> assertThat(ctx).hasSingleBean(ArtemisConfigurationCustomizer.class));
    }
}
