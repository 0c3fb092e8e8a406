package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.intakehub.canonical.MessageIds;
import io.intakehub.local.FreePorts;
import io.intakehub.store.IdempotencyStore;
import io.intakehub.store.Journal;
import io.intakehub.support.HubFlowTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Kafka unreachable: the web client gets 503 with Retry-After, nothing is recorded as accepted, and
 * a retry with the same Idempotency-Key will produce the same tracking id once Kafka is back.
 */
class KafkaUnavailableFlowTest extends HubFlowTestSupport {

    @DynamicPropertySource
    static void deadKafka(DynamicPropertyRegistry r) {
        // a port where nothing listens: every send times out after max-block-ms
        r.add("camel.component.kafka.brokers", () -> "localhost:" + FreePorts.find());
        r.add("camel.component.kafka.max-block-ms", () -> "1500");
        r.add("hub.web.retry-after", () -> "7s");
    }

    @Autowired
    IdempotencyStore idempotency;

    @Autowired
    Journal journal;

    @Test
    void kafkaDownMeans503WithRetryAfterAndNothingHalfWritten() throws Exception {
        String key = "while-kafka-is-down-1";
        var res = postJson("/api/v1/orders", Files.readString(Path.of("src/test/resources/samples/web/order-en.json")),
                "Idempotency-Key", key);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(503);
        assertThat(res.headers().firstValue("Retry-After")).contains("7");
        assertThat(json(res.body()).get("reasonCode").asText()).isEqualTo("KAFKA_UNAVAILABLE");
        // the key is not remembered, so the retry is processed again ...
        assertThat(idempotency.find("web:local", key)).isEmpty();
        // ... under the id this request was given, so downstream duplicate checks hold
        String id = json(res.body()).get("trackingId").asText();
        assertThat(id).isEqualTo(MessageIds.of("web", "local", "idempotency-key:" + key, 0));
        journal.flush();
        assertThat(journal.history(id)).isEmpty();
    }
}
