package io.intakehub.local;

import io.intakehub.config.ArtemisTopology;
import io.intakehub.config.HubProperties;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded Artemis broker (started by Spring Boot, {@code spring.artemis.mode=embedded}): the
 * hub connects in-VM, other tools on localhost over TCP; every address has its dead-letter address.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.embedded.enabled", havingValue = "true", matchIfMissing = true)
public class EmbeddedArtemisConfig {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedArtemisConfig.class);

    @Bean
    ArtemisConfigurationCustomizer hubArtemisTopology(HubProperties props) {
        return config -> {
            int port = props.getEmbedded().getArtemisPort();
            try {
                config.addAcceptorConfiguration("tcp", "tcp://localhost:" + port
                        + "?protocols=CORE");
            } catch (Exception e) {
                throw new IllegalStateException("cannot configure the Artemis acceptor on port " + port, e);
            }
            config.setIDCacheSize(100_000);
            config.setPersistIDCache(true);
            for (ArtemisTopology.Address a : ArtemisTopology.addresses(props.getQueues())) {
                config.addAddressSetting(a.name(), new AddressSettings()
                        .setDeadLetterAddress(SimpleString.of(a.deadLetterAddress()))
                        .setMaxDeliveryAttempts(a.maxDeliveryAttempts())
                        .setRedeliveryDelay(1000));
                config.addQueueConfiguration(QueueConfiguration.of(a.name())
                        .setAddress(a.name())
                        .setRoutingType(RoutingType.ANYCAST)
                        .setDurable(true));
            }
            LOG.info("Embedded Artemis listening on tcp://localhost:{} (the hub connects in-VM); queues {}",
                    port, ArtemisTopology.addresses(props.getQueues()).stream().map(ArtemisTopology.Address::name).toList());
        };
    }
}
