package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.config.ArtemisTopology;
import io.intakehub.config.HubHeaders;
import io.intakehub.support.HubFlowTestSupport;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Dispatch (Kafka to Artemis) and dead letters, end to end: priority from the envelope, duplicate
 * detection on the message id, poison records dead-lettered with every header without stopping the
 * records behind them, a dead-letter address on every Artemis address, every expected route loaded.
 */
class DispatchAndDeadLetterFlowTest extends HubFlowTestSupport {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    CamelContext camel;

    @Autowired
    EmbeddedActiveMQ artemis;

    @Test
    void everyExpectedRouteIsLoadedWithADescription() {
        List<String> expected = List.of("ingest-web", "canonical-map", "deliver-accept", "deliver-dispatch-orders",
                "deliver-dispatch-complaints", "deliver-dispatch-registrations", "shared-dead-letter",
                "shared-journal-index", "ingest-edi", "ingest-edi-transaction", "ingest-email", "ingest-email-message",
                "ingest-phone", "deliver-accept-batch", "ingest-customers", "ops-replay");
        assertThat(camel.getRoutes()).extracting(Route::getRouteId).containsAll(expected);
        for (Route r : camel.getRoutes()) {
            assertThat(r.getDescription()).as("description of " + r.getRouteId()).isNotBlank();
            if (r.getEndpoint().getEndpointUri().startsWith("direct:")) {
                assertThat(r.getEndpoint().getEndpointUri()).as("direct name of " + r.getRouteId())
                        .isEqualTo("direct://" + r.getRouteId());
            }
        }
    }

    @Test
    void jmsPriorityComesFromTheEnvelope() throws Exception {
        String key = "prio-" + UUID.randomUUID();
        String urgent = UUID.randomUUID().toString();
        String low = UUID.randomUUID().toString();
        produce("intake.orders.v1", key, envelope(urgent, "order", 9));
        produce("intake.orders.v1", key, envelope(low, "order", 1));
        Message a = receive("intake.orders.erp", urgent, WAIT);
        Message b = receive("intake.orders.erp", low, WAIT);
        assertThat(a.getJMSPriority()).isEqualTo(9);
        assertThat(b.getJMSPriority()).isEqualTo(1);
    }

    @Test
    void aRecordReadTwiceLandsOnceOnItsQueue() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        String twice = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        produce("intake.complaints.v1", key, envelope(twice, "complaint", 4));
        produce("intake.complaints.v1", key, envelope(twice, "complaint", 4));
        produce("intake.complaints.v1", key, envelope(marker, "complaint", 4));
        // same key, same partition: once the marker is there, both copies have been dispatched
        await().atMost(WAIT).until(() -> count("intake.complaints.desk", marker) == 1);
        assertThat(count("intake.complaints.desk", twice)).isEqualTo(1);
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithAllItsHeadersAndTheRecordsBehindItFlow() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        byte[] poison = ("not json at all " + key + " \u00ff").getBytes(StandardCharsets.ISO_8859_1);
        String after = UUID.randomUUID().toString();
        produce("intake.customer-registrations.v1", key, poison);
        produce("intake.customer-registrations.v1", key, envelope(after, "customer-registration", 4));

        assertThat(receive("intake.registrations.crm", after, WAIT)).as("the record after the poison").isNotNull();
        Message dead = receiveDeadLetter(
                "HubReasonCode = 'POISON_RECORD' AND HubOriginalTopic = 'intake.customer-registrations.v1'");
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty(HubHeaders.REASON_CODE)).isEqualTo("POISON_RECORD");
        assertThat(dead.getStringProperty(HubHeaders.ROUTE_ID)).isEqualTo("deliver-dispatch-registrations");
        assertThat(dead.getStringProperty(HubHeaders.CHANNEL)).isEqualTo("kafka");
        assertThat(dead.getStringProperty(HubHeaders.ORIGINAL_TOPIC)).isEqualTo("intake.customer-registrations.v1");
        assertThat(dead.getStringProperty(HubHeaders.EXCEPTION_CLASS)).isEqualTo("io.intakehub.shared.HubException");
        assertThat(dead.getStringProperty(HubHeaders.EXCEPTION_MESSAGE)).contains("is not JSON");
        assertThat(dead.getStringProperty(HubHeaders.REASON_TEXT)).isNotBlank();
        assertThat(dead.getStringProperty("HubAction")).isNotBlank();
        assertThat(dead.getIntProperty(HubHeaders.ATTEMPTS)).isEqualTo(1);
        assertThat(dead.getStringProperty(HubHeaders.DEAD_LETTERED_AT)).isNotBlank();
        assertThat(dead.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
        assertThat(body(dead)).isEqualTo(poison);
    }

    @Test
    void aWebPostWithNoMappingIsDeadLetteredWithItsOriginalBytesAndTracked() throws Exception {
        byte[] raw = "{\"customerName\": \"Acme\", \"text\": \"谢谢\"}".getBytes(StandardCharsets.UTF_8);
        var res = post("/api/v1/feedback", "application/json", raw, "X-Correlation-Id", "corr-feedback-1");
        assertThat(res.statusCode()).isEqualTo(500);
        JsonNode problem = json(res.body());
        assertThat(problem.get("reasonCode").asText()).isEqualTo("NO_MAPPING");
        String id = problem.get("trackingId").asText();

        Message dead = receiveDeadLetter("HubMessageId = '" + id + "'");
        assertThat(dead).isNotNull();
        assertThat(body(dead)).isEqualTo(raw);
        assertThat(dead.getStringProperty(HubHeaders.REASON_CODE)).isEqualTo("NO_MAPPING");
        assertThat(dead.getStringProperty(HubHeaders.ROUTE_ID)).isEqualTo("ingest-web");
        assertThat(dead.getStringProperty(HubHeaders.FAILED_ENDPOINT)).isEqualTo("direct://canonical-map");
        assertThat(dead.getStringProperty(HubHeaders.CHANNEL)).isEqualTo("web");
        assertThat(dead.getStringProperty(HubHeaders.CORRELATION_ID)).isEqualTo("corr-feedback-1");
        assertThat(dead.getStringProperty(HubHeaders.SOURCE_REF)).startsWith("request:");
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(json(get("/api/v1/intake/" + id).body()).path("status").asText()).isEqualTo("DEAD_LETTERED"));
    }

    @Test
    void everyArtemisAddressTheHubUsesHasADeadLetterAddress() {
        ActiveMQServer server = artemis.getActiveMQServer();
        List<String> used = new java.util.ArrayList<>(props.getQueues().work());
        used.add(props.getQueues().getDeadLetters());
        for (String address : used) {
            AddressSettings s = server.getAddressSettingsRepository().getMatch(address);
            assertThat(s.getDeadLetterAddress().toString()).as("DLA of " + address).isNotNull();
            assertThat(server.locateQueue(s.getDeadLetterAddress())).as("queue behind the DLA of " + address).isNotNull();
            assertThat(server.locateQueue(SimpleString.of(address))).as("queue " + address).isNotNull();
        }
        assertThat(ArtemisTopology.addresses(props.getQueues())).extracting(ArtemisTopology.Address::name)
                .containsAll(used);
    }

    @Test
    void everyProducerTheHubUsesWaitsForEveryReplicaIsIdempotentAndSendsPersistentMessages() {
        int kafka = 0;
        int jms = 0;
        for (org.apache.camel.Endpoint e : camel.getEndpoints()) {
            if (e instanceof org.apache.camel.component.kafka.KafkaEndpoint k) {
                kafka++;
                assertThat(k.getConfiguration().getRequestRequiredAcks()).as("acks of " + e.getEndpointUri()).isEqualTo("all");
                assertThat(k.getConfiguration().isEnableIdempotence()).as("idempotence of " + e.getEndpointUri()).isTrue();
            } else if (e instanceof org.apache.camel.component.jms.JmsEndpoint j) {
                jms++;
                assertThat(j.getConfiguration().isDeliveryPersistent()).as("persistent delivery of " + e.getEndpointUri()).isTrue();
            }
        }
        // the acceptance, batch, replay and dispatch topics; the work queues, escalations, flags and the dead-letter queue
        assertThat(kafka).isGreaterThanOrEqualTo(4);
        assertThat(jms).isGreaterThanOrEqualTo(4);
    }

    @Test
    void everyKafkaConsumerRetriesAFailedPollFromWhereItWasInsteadOfSeekingPastRecords() {
        int consumers = 0;
        for (org.apache.camel.Route r : camel.getRoutes()) {
            if (r.getEndpoint() instanceof org.apache.camel.component.kafka.KafkaEndpoint k) {
                consumers++;
                // Camel's default (ERROR_HANDLER) seeks every assigned partition to one offset after a failed poll:
                // records of the other partitions were skipped, never dispatched (a minute's outage)
                assertThat(k.getConfiguration().getPollOnError()).as("pollOnError of " + r.getRouteId())
                        .isEqualTo(org.apache.camel.component.kafka.PollOnError.RETRY);
            }
        }
        assertThat(consumers).as("dispatch x3, journal index, customer directory").isGreaterThanOrEqualTo(5);
    }

    @Test
    void productionBrokerConfigDeclaresTheSameDeadLetterAddresses() throws Exception {
        String brokerXml = Files.readString(Path.of("deploy/artemis/broker.xml"));
        for (ArtemisTopology.Address a : ArtemisTopology.addresses(props.getQueues())) {
            assertThat(brokerXml).as("address-setting of " + a.name())
                    .containsPattern("<address-setting match=\"" + java.util.regex.Pattern.quote(a.name())
                            + "\">\\s*<dead-letter-address>" + java.util.regex.Pattern.quote(a.deadLetterAddress())
                            + "</dead-letter-address>");
            assertThat(brokerXml).as("queue " + a.name()).contains("<address name=\"" + a.name() + "\">");
        }
    }

    private Message receiveDeadLetter(String selector) {
        var t = new org.springframework.jms.core.JmsTemplate(jms.getConnectionFactory());
        t.setReceiveTimeout(WAIT.toMillis());
        return t.receiveSelected(props.getQueues().getDeadLetters(), selector);
    }

    private static byte[] body(Message m) throws Exception {
        BytesMessage b = (BytesMessage) m;
        b.reset();
        byte[] out = new byte[(int) b.getBodyLength()];
        b.readBytes(out);
        return out;
    }

    static byte[] envelope(String messageId, String type, int priority) {
        String payloadField = type.equals("customer-registration") ? "registration" : type;
        return ("{\"messageId\":\"" + messageId + "\",\"type\":\"" + type + "\",\"schemaVersion\":1,"
                + "\"correlationId\":\"" + messageId + "\",\"source\":{\"channel\":\"web\",\"format\":\"json\","
                + "\"reference\":\"test:" + messageId + "\",\"receivedAt\":\"2026-11-22T10:00:00+08:00\"},"
                + "\"customer\":{\"name\":\"Test\"},\"intake\":{\"priority\":" + priority + "},\""
                + payloadField + "\":{}}").getBytes(StandardCharsets.UTF_8);
    }
}
