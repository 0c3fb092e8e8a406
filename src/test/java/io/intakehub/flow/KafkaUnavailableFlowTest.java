package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

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

    @Autowired
    io.intakehub.store.BusinessKeys businessKeys;

    /** Kafka never comes back in this context: the dropped files are read and returned to their inboxes for ever. */
    @Override
    protected boolean inputsSettle() {
        return false;
    }

    @Test
    void kafkaDownMeans503WithRetryAfterAndNothingHalfWritten() throws Exception {
        String key = "while-kafka-is-down-1";
        String body = withNewOrderNumber(Files.readString(Path.of("src/test/resources/samples/web/order-en.json")));
        double returned = intakeMetrics.settledCount("web", io.intakehub.shared.IntakeMetrics.Outcome.RETURNED);
        var res = postJson("/api/v1/orders", body, "Idempotency-Key", key);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(503);
        assertThat(intakeMetrics.settledCount("web", io.intakehub.shared.IntakeMetrics.Outcome.RETURNED)).as("counted as not taken")
                .isEqualTo(returned + 1);
        assertThat(res.headers().firstValue("Retry-After")).contains("7");
        assertThat(json(res.body()).get("reasonCode").asText()).isEqualTo("KAFKA_UNAVAILABLE");
        // the key is not remembered, so the retry is processed again ...
        assertThat(idempotency.find("web:local", key)).isEmpty();
        // ... under the id this request was given, so downstream duplicate checks hold
        String id = json(res.body()).get("trackingId").asText();
        assertThat(id).isEqualTo(MessageIds.of("web", "local", "idempotency-key:" + key, 0));
        journal.flush();
        assertThat(journal.history(id)).isEmpty();
        // nor is its order number held by the duplicate guard: a retry under a new key (a new id) is not a "duplicate"
        // of an order that never reached Kafka
        String orderNumber = json(body).path("orderNumber").asText();
        assertThat(businessKeys.holder("business-order", "C-10042|" + orderNumber)).isEmpty();
    }

    @Test
    void anEdiFileAndAPhoneExportWaitInTheirInboxesWhileKafkaIsDown() throws Exception {
        Path ediIn = Path.of(props.getEdi().getRoot(), "ACME", "in");
        Path phoneIn = Path.of(props.getPhone().getRoot(), "in");
        Files.createDirectories(ediIn);
        drop(ediIn, "while-kafka-is-down.edi", Files.readAllBytes(Path.of("src/test/resources/samples/edi/x12-850-004010.edi")));
        drop(phoneIn, "while-kafka-is-down.csv", Files.readAllBytes(Path.of("src/test/resources/samples/phone/ticket-en.csv")));
        // several polls, each failing on Kafka (max-block-ms 1.5 s): transient, never the file's fault
        Thread.sleep(8000);
        assertThat(ediIn.resolve("while-kafka-is-down.edi")).as("the EDI file waits in in/").exists();
        assertThat(phoneIn.resolve("while-kafka-is-down.csv")).as("the export waits in in/").exists();
        for (Path folder : List.of(ediIn.resolveSibling("done"), ediIn.resolveSibling("failed"), ediIn.resolveSibling("out"),
                phoneIn.resolveSibling("done"), phoneIn.resolveSibling("failed"))) {
            try (Stream<Path> files = Files.exists(folder) ? Files.list(folder) : Stream.empty()) {
                // (a receipt being written by the attempt under way is a .part file, which nobody takes)
                assertThat(files.filter(f -> !f.toString().endsWith(".part")).toList())
                        .as(folder + ": no acknowledgement, receipt, done or failed file").isEmpty();
            }
        }
        Boolean anyDeadLetter = jms.browse(props.getQueues().getDeadLetters(), (session, browser) -> browser.getEnumeration().hasMoreElements());
        assertThat(anyDeadLetter).as("nothing dead-lettered").isFalse();
    }

    private static void drop(Path folder, String name, byte[] data) throws Exception {
        Path part = folder.resolve(name + ".part");
        Files.write(part, data);
        Files.move(part, folder.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
