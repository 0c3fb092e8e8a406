package io.intakehub.tools;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.CanonicalJson;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Looks at a topic or a queue without taking anything off it, for "try it" and first-line support:
 * <pre>
 *   peek topic intake.orders.v1 [count]     the newest records, with key and headers
 *   peek queue intake.orders.erp [count]    the oldest waiting messages (browse), with properties
 * </pre>
 * Addresses from HUB_KAFKA_BROKERS and HUB_ARTEMIS_URL (default: the embedded default's).
 */
public final class Peek {

    private Peek() {}

    public static void main(String[] args) throws Exception {
        // a command-line tool: the clients' own INFO chatter would bury the answer
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        if (args.length < 2) {
            System.out.println("usage: peek topic <name> [count] | peek queue <name> [count]");
            return;
        }
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        switch (args[0]) {
            case "topic" -> topic(args[1], count);
            case "queue" -> queue(args[1], count);
            default -> System.out.println("unknown kind '" + args[0] + "': use topic or queue");
        }
    }

    static void topic(String topic, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env("HUB_KAFKA_BROKERS", "localhost:9092"));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Deque<ConsumerRecord<String, byte[]>> newest = new ArrayDeque<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            for (TopicPartition tp : parts) {
                c.seek(tp, Math.max(0, end.get(tp) - count));
            }
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    newest.add(r);
                }
            }
        }
        List<ConsumerRecord<String, byte[]>> sorted = new java.util.ArrayList<>(newest);
        sorted.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        List<ConsumerRecord<String, byte[]>> last = sorted.subList(Math.max(0, sorted.size() - count), sorted.size());
        System.out.printf("%s: showing %d of the newest records%n", topic, last.size());
        for (ConsumerRecord<String, byte[]> r : last) {
            System.out.printf("%n--- partition %d offset %d at %s key %s%n", r.partition(), r.offset(),
                    Instant.ofEpochMilli(r.timestamp()), r.key());
            for (Header h : r.headers()) {
                System.out.printf("    %s: %s%n", h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            System.out.println(pretty(r.value()));
        }
    }

    static void queue(String queue, int count) throws Exception {
        String url = env("HUB_ARTEMIS_URL", "tcp://localhost:61616");
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url, env("HUB_ARTEMIS_USER", null),
                env("HUB_ARTEMIS_PASSWORD", null)); Connection conn = cf.createConnection()) {
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            conn.start();
            QueueBrowser browser = s.createBrowser(s.createQueue(queue));
            List<?> all = Collections.list(browser.getEnumeration());
            System.out.printf("%s: %d message(s) waiting; showing up to %d%n", queue, all.size(), count);
            for (Object o : all.subList(0, Math.min(count, all.size()))) {
                Message m = (Message) o;
                System.out.printf("%n--- %s priority %d persistent %s%n", m.getJMSMessageID(), m.getJMSPriority(),
                        m.getJMSDeliveryMode() == jakarta.jms.DeliveryMode.PERSISTENT);
                for (Object n : Collections.list(m.getPropertyNames())) {
                    System.out.printf("    %s: %s%n", n, m.getObjectProperty((String) n));
                }
                System.out.println(pretty(body(m)));
            }
        }
    }

    private static byte[] body(Message m) throws Exception {
        if (m instanceof TextMessage t) {
            return t.getText().getBytes(StandardCharsets.UTF_8);
        }
        if (m instanceof BytesMessage b) {
            byte[] out = new byte[(int) b.getBodyLength()];
            b.readBytes(out);
            return out;
        }
        return new byte[0];
    }

    private static String pretty(byte[] value) {
        try {
            JsonNode n = CanonicalJson.mapper().readTree(value);
            return CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (Exception e) {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
