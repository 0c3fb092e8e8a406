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
 * Issue 8, case 7: poison in the middle of a batch stops nothing and skips nothing — bad rows spread through a phone
 * export, and records that are not canonical messages between good ones on an intake topic (so in the middle of
 * a dispatch poll), against the packaged hub in its own process.
 */
class PoisonFaultIT {

    static final int ROWS = 10_000;
    static final int EVERY = 1_000;
    static final int RECORDS = 20;

    @Test
    void poisonMidBatchIsDeadLetteredAndEverythingAroundItGoesThrough() throws Exception {
        try (FaultHarness h = new FaultHarness("poison")) {
            h.startAll();
            h.startHub();
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

    /** A minimal valid canonical order, as another producer on the topic would write it. */
    static byte[] envelope(String id) {
        return ("{\"messageId\":\"" + id + "\",\"type\":\"order\",\"schemaVersion\":1,\"correlationId\":\"" + id + "\","
                + "\"source\":{\"channel\":\"web\",\"format\":\"json\",\"reference\":\"fault:" + id + "\",\"receivedAt\":\"2026-11-22T10:00:00+08:00\"},"
                + "\"customer\":{\"name\":\"Test\"},\"intake\":{\"priority\":4},\"order\":{}}").getBytes(StandardCharsets.UTF_8);
    }
}
