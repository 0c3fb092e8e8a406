package io.intakehub.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.config.HubProperties;
import jakarta.jms.Message;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of every end-to-end test: the whole hub with its real in-process Kafka, Artemis and H2,
 * and helpers that look at the topics and queues the way an outside system would.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
// the Prometheus registry as in production (Spring Boot's tests leave metrics export off by default)
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
@org.springframework.context.annotation.Import(TestArtemis.class)
public abstract class HubFlowTestSupport {

    public static final String LOCAL_KEY = "local-dev-key";
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected HubProperties props;

    @Autowired
    protected JmsTemplate jms;

    @Autowired
    protected io.intakehub.shared.IntakeMetrics intakeMetrics;

    /**
     * The reconciliation, after every flow: every input a channel received has settled under exactly one outcome
     * (received = accepted + duplicate + recorded + rejected + dead-lettered + returned + handed over + skipped), so
     * nothing is left in flight once the hub is quiet.
     */
    @org.junit.jupiter.api.AfterEach
    void everyInputReceivedHasSettled() {
        if (!inputsSettle()) {
            return;
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String channel : io.intakehub.shared.IntakeMetrics.CHANNELS) {
                org.assertj.core.api.Assertions.assertThat(intakeMetrics.inFlight(channel))
                        .as("%s: received %s, in flight", channel, intakeMetrics.receivedCount(channel)).isZero();
            }
        });
    }

    /**
     * False for a test whose inputs are meant never to settle (a hub whose Kafka never comes back re-reads its inbox
     * for ever): the reconciliation after each test is then skipped, with the reason where it is overridden.
     */
    protected boolean inputsSettle() {
        return true;
    }

    /** A POST with the local API key and the given content type; extra headers as name/value pairs. */
    protected HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        boolean keyGiven = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            keyGiven |= headers[i].equalsIgnoreCase("X-Api-Key");
        }
        if (!keyGiven) {
            b.header("X-Api-Key", LOCAL_KEY);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    protected HttpResponse<String> postJson(String path, String json, String... headers) throws Exception {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    protected HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("X-Api-Key", LOCAL_KEY).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    protected static JsonNode json(String text) throws Exception {
        return CanonicalJson.mapper().readTree(text);
    }

    /** Every record on a topic (all partitions, from the start) that passes the filter. */
    protected List<ConsumerRecord<String, byte[]>> records(String topic, Predicate<ConsumerRecord<String, byte[]>> filter) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, props.getKafka().getBrokers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (filter.test(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    /** Records on a topic whose canonical messageId is the given one. */
    protected List<ConsumerRecord<String, byte[]>> recordsWithMessageId(String topic, String messageId) {
        return records(topic, r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"messageId\":\"" + messageId + "\""));
    }

    /** Writes a record to a topic as an outside producer would (acks=all); returns where it landed. */
    protected RecordMetadata produce(String topic, String key, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, props.getKafka().getBrokers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** The offset the consumer group has committed for one partition (-1 when none). */
    protected long committed(String group, String topic, int partition) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", props.getKafka().getBrokers()))) {
            var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var o = offsets.get(new TopicPartition(topic, partition));
            return o == null ? -1 : o.offset();
        }
    }

    /** Takes the message with this HubMessageId off a queue, waiting up to the timeout. */
    protected Message receive(String queue, String messageId, Duration timeout) {
        JmsTemplate t = new JmsTemplate(jms.getConnectionFactory());
        t.setReceiveTimeout(timeout.toMillis());
        return t.receiveSelected(queue, "HubMessageId = '" + messageId + "'");
    }

    /** Counts the messages with this HubMessageId on a queue without taking them. */
    protected int count(String queue, String messageId) {
        Integer n = jms.browseSelected(queue, "HubMessageId = '" + messageId + "'", (s, browser) -> {
            int c = 0;
            var e = browser.getEnumeration();
            while (e.hasMoreElements()) {
                e.nextElement();
                c++;
            }
            return c;
        });
        return n == null ? 0 : n;
    }

    /**
     * The part of a canonical message its mapping made, to compare with a mapping golden file: the intake rules'
     * additions are taken out — the customer's class and member flag (checked to be there), a customer number the
     * directory supplied where the golden has none, and every intake field, flag and priority the golden does not
     * state. What the golden does state must still be there.
     */
    protected static ObjectNode mappedPart(JsonNode message, JsonNode golden) {
        ObjectNode out = message.deepCopy();
        ObjectNode customer = (ObjectNode) out.get("customer");
        org.assertj.core.api.Assertions.assertThat(customer.has("class") && customer.has("member"))
                .as("the rules put the customer's class and member flag on " + out.path("messageId")).isTrue();
        customer.remove(List.of("class", "member"));
        if (!golden.path("customer").has("id")) {
            customer.remove("id");
        }
        ObjectNode intake = (ObjectNode) out.get("intake");
        JsonNode want = golden.path("intake");
        List<String> stated = new ArrayList<>();
        want.fieldNames().forEachRemaining(stated::add);
        intake.retain(stated);
        if (want.has("priority")) {
            intake.set("priority", want.get("priority"));
        }
        if (want.has("flags")) {
            List<String> wanted = new ArrayList<>();
            want.get("flags").forEach(f -> wanted.add(f.asText()));
            com.fasterxml.jackson.databind.node.ArrayNode kept = intake.putArray("flags");
            message.path("intake").path("flags").forEach(f -> {
                if (wanted.contains(f.asText())) {
                    kept.add(f);
                }
            });
        }
        return out;
    }

    /**
     * A sample's body under a purchase-order number of its own: the duplicate guard delivers one order per customer
     * and order number, so a test that posts a sample again (and is not about duplicates) needs a new number.
     */
    protected static String withNewOrderNumber(String body) {
        return body.replace("4500012345", "45" + (10_000_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(89_999_999)));
    }

    /** A request to the ops API or the actuator as an ops user ({@code name:password}, HTTP Basic; null for none). */
    protected HttpResponse<String> asOps(String method, String path, String credentials) throws Exception {
        return asOps(method, path, credentials, null);
    }

    /** The same with a request body (bytes as they are, {@code application/octet-stream}). */
    protected HttpResponse<String> asOps(String method, String path, String credentials, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", "application/octet-stream");
        }
        if (credentials != null) {
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
