package io.intakehub.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Poison against the packaged hub in its own process: poison in the middle of a batch stops nothing
 * and skips nothing — bad rows spread through a phone export, records that are not canonical messages between good
 * ones on an intake topic (in the middle of a dispatch poll); and bad rows while the dead-letter queue is unavailable
 * leave their file unacknowledged until it is back.
 */
class PoisonFaultIT {

    static final int ROWS = 10_000;
    static final int EVERY = 1_000;
    static final int RECORDS = 20;

    @Test
    void poisonMidBatchIsDeadLetteredAndEverythingAroundItGoesThrough() throws Exception {
        try (FaultHarness h = FaultHarness.started("poison")) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            String name = "export-" + run + ".csv";
            // every 1,000th row has a quantity that is not a number
            h.dropExport(name, FaultHarness.export(run, ROWS).replaceAll("(?m)^(K" + run + "-\\d*000,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)\\d+,", "$1x,"));

            // on the orders topic: canonical records with two poison records among them
            List<String> records = new ArrayList<>();
            for (int i = 1; i <= RECORDS; i++) {
                String id = UUID.randomUUID().toString();
                records.add(id);
                h.produce(h.ordersTopic, id, envelope(id));
                if (i == RECORDS / 2) {
                    h.produce(h.ordersTopic, null, "not a canonical message {".getBytes(StandardCharsets.UTF_8));
                    h.produce(h.ordersTopic, "poison-" + run, ("{\"messageId\":\"poison-" + run + "\",\"type\":\"teapot\"}").getBytes(StandardCharsets.UTF_8));
                }
            }

            Path receipt = h.phoneDone().resolve(name + ".ack.csv");
            await().atMost(Duration.ofSeconds(300)).until(() -> Files.exists(receipt) && !Files.exists(h.phoneIn().resolve(name)));
            List<String> good = new ArrayList<>(records);
            List<String> bad = new ArrayList<>();
            List<String> lines = Files.readAllLines(receipt, StandardCharsets.UTF_8);
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split(",", 5);
                (f[1].equals("ACCEPTED") ? good : bad).add(f[2]);
                if (!f[1].equals("ACCEPTED")) {
                    assertThat(f[3]).as(l).isEqualTo("INVALID_INPUT");
                }
            }
            assertThat(bad).hasSize(ROWS / EVERY);
            FaultHarness.Tally t = h.reconcile(good, h.ordersTopic, h.queues.getOrders());
            long badDeadLettered = bad.stream().filter(t.deadLetters()::containsKey).count();
            // a record that is not a canonical message has no message id of ours: counted by its dead letters without one
            long poison = t.deadLetters().getOrDefault("?", 0) + t.deadLetters().getOrDefault("poison-" + run, 0);
            System.out.printf("FAULT case 7 (poison mid-batch): %d export rows with %d bad ones spread through, %d records with 2 poison ones "
                    + "among them | good: %s | bad rows dead-lettered %d, poison records dead-lettered %d%n", ROWS, bad.size(), RECORDS,
                    t.line(), badDeadLettered, poison);
            t.assertEveryInputOnceOnTheQueue();
            assertThat(badDeadLettered).isEqualTo(bad.size());
            assertThat(poison).isEqualTo(2);
        }
    }

    /**
     * Case 5: the dead-letter destination is unavailable (Artemis stopped) when bad rows need dead-lettering — the
     * export is not acknowledged (it stays in in/, no receipt) and health says why; once Artemis is back the file is
     * done: the bad rows dead-lettered once, the good ones taken once.
     */
    @Test
    void aPermanentFailureWhileTheDeadLetterQueueIsUnavailableLeavesTheInputInItsSource() throws Exception {
        try (FaultHarness h = FaultHarness.started("dlq-unavailable")) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            String name = "export-" + run + ".csv";
            h.stopArtemis();
            h.dropExport(name, FaultHarness.export(run, 2_000).replaceAll("(?m)^(K" + run + "-\\d*00,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)\\d+,", "$1x,"));
            Thread.sleep(20_000);
            assertThat(Files.exists(h.phoneIn().resolve(name))).as("not acknowledged: still in in/").isTrue();
            assertThat(Files.exists(h.phoneDone().resolve(name + ".ack.csv"))).as("no receipt yet").isFalse();
            com.fasterxml.jackson.databind.JsonNode health = new com.fasterxml.jackson.databind.ObjectMapper().readTree(h.health());
            assertThat(health.at("/components/jms/status").asText()).as("visible in health").isEqualTo("DOWN");
            h.startArtemis();

            Path receipt = h.phoneDone().resolve(name + ".ack.csv");
            await().atMost(Duration.ofSeconds(300)).until(() -> Files.exists(receipt) && !Files.exists(h.phoneIn().resolve(name)));
            List<String> good = new ArrayList<>();
            List<String> bad = new ArrayList<>();
            List<String> lines = Files.readAllLines(receipt, StandardCharsets.UTF_8);
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split(",", 5);
                (f[1].equals("REJECTED") ? bad : good).add(f[2]);
            }
            assertThat(bad).hasSize(20);
            FaultHarness.Tally t = h.reconcile(good, h.ordersTopic, h.queues.getOrders());
            long badOnce = bad.stream().filter(id -> t.deadLetters().getOrDefault(id, 0) == 1).count();
            System.out.printf("FAULT case 5 (dead-letter queue unavailable for 20 s): 2,000 rows with 20 bad | the file stayed in in/ without a "
                    + "receipt, health jms DOWN | good: %s | bad rows dead-lettered once %d%n", t.line(), badOnce);
            t.assertEveryInputOnceOnTheQueue();
            assertThat(badOnce).isEqualTo(bad.size());
        }
    }

    /** A minimal valid canonical order, as another producer on the topic would write it. */
    static byte[] envelope(String id) {
        return ("{\"messageId\":\"" + id + "\",\"type\":\"order\",\"schemaVersion\":1,\"correlationId\":\"" + id + "\","
                + "\"source\":{\"channel\":\"web\",\"format\":\"json\",\"reference\":\"fault:" + id + "\",\"receivedAt\":\"2026-11-22T10:00:00+08:00\"},"
                + "\"customer\":{\"name\":\"Test\"},\"intake\":{\"priority\":4},\"order\":{}}").getBytes(StandardCharsets.UTF_8);
    }
}
