package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.config.HubHeaders;
import io.intakehub.support.HubFlowTestSupport;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.skyscreamer.jsonassert.Customization;
import org.skyscreamer.jsonassert.comparator.CustomComparator;

/**
 * The web channel end to end through the real embedded Kafka, Artemis and store: every form type,
 * every refusal the issue lists, idempotency and header hygiene.
 */
class WebChannelFlowTest extends HubFlowTestSupport {

    static final Path SAMPLES = Path.of("src/test/resources/samples/web");
    static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
        "orders, order-en.json, intake.orders.v1, intake.orders.erp",
        "orders, order-zh.json, intake.orders.v1, intake.orders.erp",
        "orders, order-form-zh.form, intake.orders.v1, intake.orders.erp",
        "complaints, complaint-en.json, intake.complaints.v1, intake.complaints.desk",
        "complaints, complaint-zh.json, intake.complaints.v1, intake.complaints.desk",
        "registrations, registration-en.json, intake.customer-registrations.v1, intake.registrations.crm",
        "registrations, registration-zh.json, intake.customer-registrations.v1, intake.registrations.crm"})
    void eachFormIsAcceptedOnItsTopicDispatchedToItsQueueAndTracked(String form, String sample, String topic,
            String queue) throws Exception {
        byte[] body = Files.readAllBytes(SAMPLES.resolve(sample));
        String type = sample.endsWith(".form") ? "application/x-www-form-urlencoded" : "application/json; charset=utf-8";
        HttpResponse<String> res = post("/api/v1/" + form, type, sample.endsWith(".form") ? trim(body) : body);

        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        JsonNode receipt = json(res.body());
        String id = receipt.get("trackingId").asText();
        assertThat(res.headers().firstValue("Location")).contains("/api/v1/intake/" + id);

        // on the topic: the golden canonical message (but for the per-request source fields)
        List<ConsumerRecord<String, byte[]>> onTopic = recordsWithMessageId(topic, id);
        assertThat(onTopic).hasSize(1);
        String golden = Files.readString(SAMPLES.resolve(sample.replaceAll("\\.(json|form)$", "") + ".canonical.json"));
        JSONAssert.assertEquals(golden, mappedPart(json(new String(onTopic.get(0).value(), StandardCharsets.UTF_8)), json(golden)).toString(),
                new CustomComparator(JSONCompareMode.STRICT,
                        new Customization("messageId", (a, b) -> true),
                        new Customization("correlationId", (a, b) -> true),
                        new Customization("source.partner", (a, b) -> "local".equals(a)),
                        new Customization("source.reference", (a, b) -> a.toString().startsWith("request:")),
                        new Customization("source.receivedAt", (a, b) -> true)));
        assertThat(headerNames(onTopic.get(0))).containsExactlyInAnyOrderElementsOf(HubHeaders.ENVELOPE_HEADERS);
        assertThat(onTopic.get(0).key()).isNotBlank();

        // on the work queue: persistent, the priority the intake rules gave, duplicate-detection id = message id
        Message m = receive(queue, id, WAIT);
        assertThat(m).as("message on " + queue).isNotNull();
        assertThat(m.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
        assertThat(m.getJMSPriority()).isEqualTo(json(new String(onTopic.get(0).value(), StandardCharsets.UTF_8)).at("/intake/priority").asInt());
        assertThat(m.getStringProperty(HubHeaders.ARTEMIS_DUPLICATE_ID)).isEqualTo(id);
        assertThat(json(((TextMessage) m).getText()).get("messageId").asText()).isEqualTo(id);

        // the status endpoint follows it to the queue (and an escalated complaint to the escalations queue too)
        boolean escalated = json(new String(onTopic.get(0).value(), StandardCharsets.UTF_8)).at("/intake/flags").toString().contains("ESCALATED");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = json(get("/api/v1/intake/" + id).body());
            assertThat(status.path("status").asText()).isEqualTo("DISPATCHED");
            if (escalated) {
                assertThat(status.path("events").findValuesAsText("event")).containsExactly("RECEIVED", "ACCEPTED", "DISPATCHED", "DISPATCHED");
                assertThat(status.path("events").findValuesAsText("destination")).containsExactlyInAnyOrder(topic, queue,
                        props.getQueues().getEscalations());
            } else {
                assertThat(status.path("events").findValuesAsText("event")).containsExactly("RECEIVED", "ACCEPTED", "DISPATCHED");
                assertThat(status.path("events").findValuesAsText("destination")).containsExactly(topic, queue);
            }
        });
    }

    @Test
    void invalidInputIs400WithEveryBadFieldAndNothingOnTheTopic() throws Exception {
        HttpResponse<String> res = post("/api/v1/orders", "application/json",
                Files.readAllBytes(SAMPLES.resolve("order-invalid.json")), "Idempotency-Key", "invalid-1");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode p = json(res.body());
        assertThat(p.get("reasonCode").asText()).isEqualTo("INVALID_INPUT");
        assertThat(p.get("type").asText()).isEqualTo("https://intakehub.io/problems/invalid-input");
        assertThat(p.get("errors").findValuesAsText("pointer")).contains(
                "/order/orderType", "/order/requiredDelivery", "/customer/email", "/order/lines/0/quantity",
                "/order/lines/0/unitPrice/amount", "/order/lines/1");
        assertThat(p.get("errors").findValuesAsText("message")).allSatisfy(msg -> assertThat(msg).isNotBlank());
        // a sender error is not kept as a key: the corrected body may reuse it
        String fixed = withNewOrderNumber(Files.readString(SAMPLES.resolve("order-en.json")));
        assertThat(postJson("/api/v1/orders", fixed, "Idempotency-Key", "invalid-1").statusCode()).isEqualTo(202);
    }

    @Test
    void malformedJsonAndWrongCharsetAre400MalformedInput() throws Exception {
        HttpResponse<String> res = postJson("/api/v1/complaints", "{\"customerName\": \"x\", ");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json(res.body()).get("reasonCode").asText()).isEqualTo("MALFORMED_INPUT");
        assertThat(json(res.body()).get("detail").asText()).contains("not valid JSON at line 1");

        res = postJson("/api/v1/complaints", "{\"a\": 1, \"a\": 2}");
        assertThat(json(res.body()).get("detail").asText()).contains("Duplicate field 'a'");

        byte[] gbk = "{\"customerName\": \"王伟\"}".getBytes("GBK");
        res = post("/api/v1/complaints", "application/json", gbk);
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json(res.body()).get("detail").asText()).contains("not valid UTF-8");
    }

    @Test
    void sameIdempotencyKeyGivesTheSameTrackingIdAndOneMessage() throws Exception {
        String key = "order-" + UUID.randomUUID();
        String body = withNewOrderNumber(Files.readString(SAMPLES.resolve("order-en.json")));
        HttpResponse<String> first = postJson("/api/v1/orders", body, "Idempotency-Key", key);
        HttpResponse<String> second = postJson("/api/v1/orders", body, "Idempotency-Key", key);
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        String id = json(first.body()).get("trackingId").asText();
        assertThat(json(second.body()).get("trackingId").asText()).isEqualTo(id);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(recordsWithMessageId("intake.orders.v1", id)).hasSize(1);

        // another client's identical key is another message
        HttpResponse<String> other = postJson("/api/v1/orders", body, "Idempotency-Key", key, "X-Api-Key", "acme-test-key-0001");
        assertThat(json(other.body()).get("trackingId").asText()).isNotEqualTo(id);

        // the same key with another body is refused, not silently answered with the old id
        HttpResponse<String> reused = postJson("/api/v1/orders", withNewOrderNumber(Files.readString(SAMPLES.resolve("order-en.json"))), "Idempotency-Key", key);
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(json(reused.body()).get("reasonCode").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyWriteOneMessage() throws Exception {
        String key = "race-" + UUID.randomUUID();
        String body = withNewOrderNumber(Files.readString(SAMPLES.resolve("order-en.json")));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> postJson("/api/v1/orders", body, "Idempotency-Key", key)));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var c : calls) {
                HttpResponse<String> r = c.get();
                assertThat(r.statusCode()).as(r.body()).isIn(202, 409);
                if (r.statusCode() == 409) {
                    assertThat(json(r.body()).get("reasonCode").asText()).isEqualTo("IDEMPOTENCY_KEY_IN_USE");
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                } else {
                    ids.add(json(r.body()).get("trackingId").asText());
                }
            }
            assertThat(ids).hasSize(1);
            assertThat(recordsWithMessageId("intake.orders.v1", ids.iterator().next())).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oversizedBodyIs413BeforeItIsRead() throws Exception {
        byte[] big = ("{\"remarks\": \"" + "x".repeat(20_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> res = post("/api/v1/orders", "application/json", big);
        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(json(res.body()).get("reasonCode").asText()).isEqualTo("PAYLOAD_TOO_LARGE");

        // a chunked body declares no length: it is cut off while reading
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/orders"))
                .header("X-Api-Key", LOCAL_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
        HttpResponse<String> res2 = HTTP.send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(res2.statusCode()).isEqualTo(413);
    }

    @Test
    void unknownContentTypeIs415AndMissingOrWrongKeyIs401() throws Exception {
        HttpResponse<String> res = post("/api/v1/orders", "text/csv", "a,b".getBytes(StandardCharsets.UTF_8));
        assertThat(res.statusCode()).isEqualTo(415);
        assertThat(res.headers().firstValue("Accept-Post")).contains("application/json, application/x-www-form-urlencoded");
        assertThat(json(res.body()).get("reasonCode").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(post("/api/v1/orders", null, "{}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(415);

        HttpResponse<String> wrong = postJson("/api/v1/orders", "{}", "X-Api-Key", "not-a-key-at-all");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong.body()).get("reasonCode").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();
        HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/intake/x"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
    }

    @Test
    void noRequestHeaderQueryParameterOrFormFieldBecomesACamelOrHubHeader() throws Exception {
        String form = Files.readString(SAMPLES.resolve("order-form-zh.form")).trim().replace("orderNumber=MD-7781", "orderNumber=MD-" + UUID.randomUUID())
                + "&HubMessageType=complaint&HubPriority=9&CamelHttpUri=http%3A%2F%2Fevil&JMSPriority=9&_AMQ_DUPL_ID=x";
        HttpResponse<String> res = post("/api/v1/orders?HubMessageType=complaint&CamelJmsDestinationName=intake.dead-letters",
                "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8),
                "HubMessageType", "complaint", "HubPriority", "9", "CAmelExecCommandExecutable", "/bin/sh",
                "camelJmsDestinationName", "intake.dead-letters", "JMSPriority", "9", "X-Correlation-Id", "bad id <script>");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        String id = json(res.body()).get("trackingId").asText();
        assertThat(json(res.body()).get("type").asText()).isEqualTo("order");
        assertThat(res.headers().firstValue("X-Correlation-Id")).contains(id);

        ConsumerRecord<String, byte[]> rec = recordsWithMessageId("intake.orders.v1", id).get(0);
        assertThat(headerNames(rec)).allMatch(h -> HubHeaders.ENVELOPE_HEADERS.contains(h));
        assertThat(new String(rec.headers().lastHeader(HubHeaders.MESSAGE_TYPE).value(), StandardCharsets.UTF_8)).isEqualTo("order");
        // unknown form fields do not reach the canonical message either (the schema forbids extra fields)
        assertThat(CanonicalJson.mapper().readTree(rec.value()).toString()).doesNotContain("evil", "HubPriority");

        Message m = receive("intake.orders.erp", id, WAIT);
        assertThat(m).isNotNull();
        assertThat(m.getJMSPriority()).isEqualTo(4);
        assertThat(m.propertyExists("CamelExecCommandExecutable")).isFalse();
        assertThat(m.getStringProperty(HubHeaders.MESSAGE_TYPE)).isEqualTo("order");
    }

    @Test
    void unknownFormTypeIs404AndUnknownTrackingIdIs404() throws Exception {
        assertThat(postJson("/api/v1/invoices", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> res = get("/api/v1/intake/" + UUID.randomUUID());
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(json(res.body()).get("reasonCode").asText()).isEqualTo("UNKNOWN_TRACKING_ID");
    }

    private static List<String> headerNames(ConsumerRecord<String, byte[]> r) {
        return java.util.stream.StreamSupport.stream(r.headers().spliterator(), false).map(Header::key).toList();
    }

    private static byte[] trim(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
    }
}
