package io.intakehub.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.config.HubProperties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * The embedded default plays the CRM: at start it publishes the sample customers
 * ({@code hub.customers.seed}, one JSON customer per line) to the compacted customers topic, keyed by
 * customer number, as the CRM would. Publishing them again at the next start changes nothing.
 */
@Component
@ConditionalOnProperty(name = "hub.embedded.enabled", havingValue = "true", matchIfMissing = true)
public class CustomerSeed {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerSeed.class);

    private final HubProperties props;
    private final String seed;

    public CustomerSeed(HubProperties props, @Value("${hub.customers.seed:}") String seed) {
        this.props = props;
        this.seed = seed;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void publish() throws IOException, InterruptedException, java.util.concurrent.ExecutionException {
        if (seed == null || seed.isBlank()) {
            return;
        }
        Resource r = new DefaultResourceLoader().getResource(seed);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, props.getKafka().getBrokers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        int n = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.getInputStream(), StandardCharsets.UTF_8));
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode c = CanonicalJson.mapper().readTree(line);
                producer.send(new ProducerRecord<>(props.getKafka().getTopics().getCustomers(), c.path("customerNumber").asText(),
                        line.getBytes(StandardCharsets.UTF_8))).get();
                n++;
            }
        }
        LOG.info("Sample customers: {} published to {} from {} (the embedded default's stand-in for the CRM)", n,
                props.getKafka().getTopics().getCustomers(), seed);
    }
}
