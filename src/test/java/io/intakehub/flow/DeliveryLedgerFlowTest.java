package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import io.intakehub.canonical.MessageIds;
import io.intakehub.config.HubHeaders;
import io.intakehub.delivery.DeliveryLedger;
import io.intakehub.support.HubFlowTestSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Exactly once on the topic: what a crashed run left in the delivery ledger (records Kafka took, their
 * input's progress not recorded) is resolved against the topic before anything is written again, so the input's
 * re-reading finds them there instead of writing them twice. The crash is staged as it leaves the store and the
 * topic (records written with their ids, ledger rows nobody holds); the packaged hub killed for real is
 * {@code HubKilledFaultIT}.
 */
class DeliveryLedgerFlowTest extends HubFlowTestSupport {

    @Autowired
    DeliveryLedger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CamelContext camel;

    @Test
    void aWebPostWrittenBeforeACrashIsFoundOnTheTopicWhenTheClientRetriesAndIsNotWrittenAgain() throws Exception {
        String key = "ledger-" + UUID.randomUUID();
        String order = sampleOrder("LEDGER-" + UUID.randomUUID().toString().substring(0, 8));
        var first = postJson("/api/v1/orders", order, "Idempotency-Key", key);
        assertThat(first.statusCode()).isEqualTo(202);
        String messageId = json(first.body()).get("trackingId").asText();
        assertThat(receive(props.getQueues().getOrders(), messageId, Duration.ofSeconds(30))).isNotNull();

        // what a crash between Kafka's acknowledgement and the key's acceptance leaves: the record on the topic, the
        // key still reserved (its reservation lapsed since), the write in the ledger with nobody holding it
        jdbc.update("update idempotency_key set state = 'PENDING', created_at = ? where idem_key = ?",
                Timestamp.from(Instant.now().minus(Duration.ofHours(1))), key);
        inDoubt("web:" + messageId + "#crashed", props.getKafka().getTopics().getOrders(), messageId);
        ledger.recheck(); // as after the restart
        long skipped = ledger.counts().get("skippedOnTopic");

        var retry = postJson("/api/v1/orders", order, "Idempotency-Key", key);

        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(json(retry.body()).get("trackingId").asText()).isEqualTo(messageId);
        assertThat(ledger.counts().get("skippedOnTopic")).as("the retry's record was found, not written").isEqualTo(skipped + 1);
        assertThat(recordsWithMessageId(props.getKafka().getTopics().getOrders(), messageId)).as("once on the topic").hasSize(1);
        assertThat(rows("select count(*) from delivery_in_doubt where message_ids like ?", "%" + messageId + "%")).isZero();
        assertThat(rows("select count(*) from delivery_confirmed where message_id = ?", messageId)).as("used and settled").isZero();
        assertThat(rows("select count(*) from idempotency_key where idem_key = ? and state = 'ACCEPTED'", key)).isEqualTo(1);
        Thread.sleep(1000);
        assertThat(count(props.getQueues().getOrders(), messageId)).as("nothing more for the work queue").isZero();
    }

    @Test
    void aBatchLosesTheRecordsFoundOnTheTopicKeepsTheRestAndSettlesWithItsInput() throws Exception {
        String topic = props.getKafka().getTopics().getOrders();
        String a = "ledger-a-" + UUID.randomUUID();
        String b = "ledger-b-" + UUID.randomUUID();
        String c = "ledger-c-" + UUID.randomUUID();
        String d = "ledger-d-" + UUID.randomUUID();
        write(topic, a);
        write(topic, b);
        inDoubt("phone:crashed.csv#" + UUID.randomUUID(), topic, a, b, c); // c never reached Kafka
        ledger.recheck();

        String input = DeliveryLedger.input("phone", "again.csv");
        Exchange batch = new DefaultExchange(camel);
        batch.setProperty(DeliveryLedger.INPUT, input);
        batch.getMessage().setBody(new java.util.ArrayList<>(List.of(record(topic, a), record(topic, b), record(topic, c), record(topic, d))));
        ledger.open(batch);

        @SuppressWarnings("unchecked")
        List<Message> left = batch.getMessage().getBody(List.class);
        assertThat(left).extracting(m -> m.getHeader(HubHeaders.MESSAGE_ID, String.class)).containsExactly(c, d);
        assertThat(batch.getProperty(DeliveryLedger.ON_TOPIC, Boolean.class)).isFalse();
        assertThat(rows("select count(*) from delivery_confirmed where message_id in (?, ?)", a, b)).isEqualTo(2);
        assertThat(rows("select count(*) from delivery_in_doubt where input_ref = ?", input)).isEqualTo(1);
        assertThat(rows("select count(*) from delivery_in_doubt where input_ref like 'phone:crashed.csv#%'")).isZero();

        ledger.written(batch); // Kafka acknowledged: the rows stay in doubt until the channel has remembered them
        assertThat(rows("select count(*) from delivery_in_doubt where input_ref = ?", input)).isEqualTo(1);
        ledger.settle(input);
        assertThat(rows("select count(*) from delivery_in_doubt where input_ref = ?", input)).isZero();
        assertThat(rows("select count(*) from delivery_confirmed where message_id in (?, ?)", a, b)).isZero();
    }

    @Test
    void aRunningWritersRowsAreLeftAloneAndAnAbandonedInputIsResolvedBeforeTheNextWrite() throws Exception {
        String topic = props.getKafka().getTopics().getOrders();
        String running = DeliveryLedger.input("edi", "ACME/in/long.edi");
        String sent = "ledger-sent-" + UUID.randomUUID();
        Exchange first = new DefaultExchange(camel);
        first.setProperty(DeliveryLedger.INPUT, running);
        first.getMessage().setBody(new java.util.ArrayList<>(List.of(record(topic, sent))));
        ledger.open(first);
        write(topic, sent); // what the route's Kafka write does
        ledger.written(first);

        ledger.recheck();
        ledger.open(batchOf(topic, "ledger-other-" + UUID.randomUUID()));
        assertThat(rows("select count(*) from delivery_in_doubt where input_ref = ?", running)).as("still being written").isEqualTo(1);

        ledger.abandon(running); // the file failed: it stays in in/ and is read again
        Exchange again = batchOf(topic, sent);
        again.setProperty(DeliveryLedger.INPUT, DeliveryLedger.input("edi", "ACME/in/long.edi"));
        ledger.open(again);
        assertThat(again.getProperty(DeliveryLedger.ON_TOPIC, Boolean.class)).as("found on the topic, nothing to write").isTrue();
        assertThat(rows("select count(*) from delivery_in_doubt where input_ref = ?", running)).isZero();
        ledger.settle(again.getProperty(DeliveryLedger.INPUT, String.class));
    }

    private Exchange batchOf(String topic, String... ids) {
        Exchange e = new DefaultExchange(camel);
        List<Message> records = new java.util.ArrayList<>();
        for (String id : ids) {
            records.add(record(topic, id));
        }
        e.getMessage().setBody(records);
        return e;
    }

    private Message record(String topic, String messageId) {
        Message m = new DefaultMessage(camel);
        m.setBody(("{\"messageId\":\"" + messageId + "\"}").getBytes(StandardCharsets.UTF_8));
        m.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
        m.setHeader(HubHeaders.MESSAGE_ID, messageId);
        m.setHeader(HubHeaders.MESSAGE_TYPE, "order");
        return m;
    }

    /** A ledger row as a crashed run of this instance leaves it. */
    private void inDoubt(String input, String topic, String... ids) {
        jdbc.update("insert into delivery_in_doubt (batch_id, chunk, owner, input_ref, topics, started_at, message_ids) values (?, 0, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), props.getInstanceId(), input, topic, Timestamp.from(Instant.now().minusSeconds(2)),
                String.join("\n", ids) + "\n");
    }

    /** A record as the hub writes it: its canonical body and its HubMessageId header. */
    private void write(String topic, String messageId) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, props.getKafka().getBrokers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            String body = "{\"messageId\":\"" + messageId + "\",\"type\":\"order\",\"schemaVersion\":\"order.v1\"}";
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, messageId, body.getBytes(StandardCharsets.UTF_8));
            r.headers().add(HubHeaders.MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
            producer.send(r).get();
        }
    }

    private int rows(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    private static String sampleOrder(String orderNumber) throws Exception {
        String sample = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/samples/web/order-en.json"));
        return sample.replace("\"4500012345\"", "\"" + orderNumber + "\"");
    }
}
