package io.intakehub.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.faults.FaultHarness;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * B5 (README: Benchmarks): Kafka → Artemis dispatch, persistent. The packaged hub runs as its own process
 * against Kafka, Artemis and the store in this JVM (the fault suite's servers). Each hub round: with
 * {@code deliver-dispatch-orders} stopped (ops API), N canonical orders are written to the orders topic;
 * the route is started and timed from the first message on the queue (the consumer's joining its group
 * is start-up, not dispatch) until the ERP queue holds all N, then stopped; the queue is drained
 * and every message id counted (exactly once each). Baseline, alternating: a plain JMS producer sending
 * the same messages — the same text, properties and priority, persistent, one send at a time as the
 * route does — to the same queue. Then the hub again with one record in ten poison (not JSON, no
 * message id, or a type with no queue), timed until the good ones are on the queue and the poison ones
 * on the dead-letter queue. Arguments: records per round, rounds (after a warm-up round of a quarter of
 * the records; 0 for the warm-up alone at full size, as the smoke test does).
 */
public final class DispatchBenchmark {

    static final String TOPIC = "intake.orders.v1";
    static final String QUEUE = "intake.orders.erp";
    static final String DEAD_LETTERS = "intake.dead-letters";
    static final String ROUTE = "deliver-dispatch-orders";

    private DispatchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ObjectNode sample = (ObjectNode) CanonicalJson.mapper().readTree(Files.readAllBytes(
                Path.of("src/test/resources/samples/web/order-en.canonical.json")));
        try (FaultHarness h = FaultHarness.started("b5")) {
            h.route(ROUTE, "stop");
            List<Double> hub = new ArrayList<>();
            List<Double> jms = new ArrayList<>();
            List<Double> poisoned = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                int size = round == 0 && rounds > 0 ? n / 4 : n;
                double hr = hubRound(h, sample, size, 0);
                double jr = jmsRound(h, sample, size);
                double pr = hubRound(h, sample, size, 10);
                System.out.printf("  %s: hub dispatch %.0f msg/s, plain JMS producer %.0f msg/s, hub with 10 %% poison %.0f records/s%n",
                        round == 0 ? "warm-up" : "round " + round, hr, jr, pr);
                if (round > 0 || rounds == 0) { // rounds = 0: the warm-up round alone (the smoke test)
                    hub.add(hr);
                    jms.add(jr);
                    poisoned.add(pr);
                }
            }
            double mh = median(hub);
            double mj = median(jms);
            double mp = median(poisoned);
            System.out.printf("%n| B5, %,d records a round | messages/s (median of %d) | ratio | target |%n|---|---:|---:|---|%n", n, hub.size());
            System.out.printf("| plain JMS producer, persistent, one send at a time (baseline) | %.0f | 1.00x | baseline |%n", mj);
            System.out.printf("| hub: Kafka -> Artemis dispatch | %.0f | %.2fx | >= 0.7x |%n", mh, mh / mj);
            System.out.printf("| hub with 1 record in 10 poison (records/s) | %.0f | %.2fx of the clean hub | >= 0.8x |%n", mp, mp / mh);
            System.out.printf("%nB5 dispatch: %.2fx of a plain JMS producer (target >= 0.7x): %s; with 10%% poison %.2fx of clean (target >= 0.8x): %s%n",
                    mh / mj, mh / mj >= 0.7 ? "MET" : "MISSED", mp / mh, mp / mh >= 0.8 ? "MET" : "MISSED");
        }
    }

    /** Records on the topic, the route started and timed until all are on their queue (and the dead-letter queue). */
    static double hubRound(FaultHarness h, ObjectNode sample, int n, int poisonEvery) throws Exception {
        List<Map.Entry<String, byte[]>> records = new ArrayList<>(n);
        List<String> good = new ArrayList<>();
        int poison = 0;
        for (int i = 1; i <= n; i++) {
            if (poisonEvery > 0 && i % poisonEvery == 0) {
                poison++;
                String id = "poison-" + UUID.randomUUID();
                byte[] bad = switch (poison % 3) {
                    case 0 -> "not a canonical message {".getBytes(StandardCharsets.UTF_8);
                    case 1 -> "{\"type\":\"order\"}".getBytes(StandardCharsets.UTF_8);
                    default -> ("{\"messageId\":\"" + id + "\",\"type\":\"teapot\"}").getBytes(StandardCharsets.UTF_8);
                };
                records.add(Map.entry(id, bad));
            } else {
                String id = UUID.randomUUID().toString();
                good.add(id);
                records.add(Map.entry(id, message(sample, id).getBytes(StandardCharsets.UTF_8)));
            }
        }
        long deadBefore = h.queueDepth(DEAD_LETTERS);
        h.produceAll(TOPIC, records);
        h.route(ROUTE, "start");
        // timed from the first record through: the consumer's joining its group is start-up, not dispatch
        waitFor(() -> h.queueDepth(QUEUE) + h.queueDepth(DEAD_LETTERS) - deadBefore >= 1, "the first record");
        long t0 = System.nanoTime();
        int expectedDead = poison;
        waitFor(() -> h.queueDepth(QUEUE) >= good.size() && h.queueDepth(DEAD_LETTERS) - deadBefore >= expectedDead,
                "the hub to dispatch " + n + " records");
        double seconds = (System.nanoTime() - t0) / 1e9;
        h.route(ROUTE, "stop");
        n--; // the first record started the clock
        check(h.drainCounts(QUEUE), good);
        if (h.queueDepth(DEAD_LETTERS) - deadBefore != poison) {
            throw new IllegalStateException("dead letters: " + (h.queueDepth(DEAD_LETTERS) - deadBefore) + ", expected " + poison);
        }
        h.drainCounts(DEAD_LETTERS);
        return n / seconds;
    }

    /** The same messages sent by a plain JMS producer, one persistent send at a time. */
    static double jmsRound(FaultHarness h, ObjectNode sample, int n) throws Exception {
        List<String> ids = new ArrayList<>(n);
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            texts.add(message(sample, id));
        }
        int priority = sample.path("intake").path("priority").asInt(4);
        long t0;
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(h.artemisUrl()); var conn = cf.createConnection()) {
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(QUEUE));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                TextMessage m = s.createTextMessage(texts.get(i));
                m.setJMSCorrelationID(ids.get(i));
                m.setStringProperty("_AMQ_DUPL_ID", ids.get(i));
                m.setStringProperty("HubMessageId", ids.get(i));
                m.setStringProperty("HubMessageType", "order");
                m.setStringProperty("HubCorrelationId", ids.get(i));
                m.setStringProperty("HubChannel", "web");
                m.setStringProperty("HubSourceRef", "bench:" + ids.get(i));
                m.setStringProperty("HubTargetQueue", QUEUE);
                m.setStringProperty("HubEscalated", "false");
                p.send(m, DeliveryMode.PERSISTENT, priority, 0);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        check(h.drainCounts(QUEUE), ids);
        return n / seconds;
    }

    static String message(ObjectNode sample, String id) {
        ObjectNode m = sample.deepCopy();
        m.put("messageId", id);
        m.put("correlationId", id);
        ((ObjectNode) m.path("source")).put("reference", "bench:" + id);
        return m.toString();
    }

    /** Every id exactly once on the queue, nothing else. */
    static void check(Map<String, Integer> counts, List<String> ids) {
        long twice = counts.values().stream().filter(c -> c > 1).count();
        if (counts.size() != ids.size() || twice > 0 || !counts.keySet().containsAll(ids)) {
            throw new IllegalStateException("queue held " + counts.size() + " ids (" + twice + " more than once), expected " + ids.size());
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void waitFor(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
