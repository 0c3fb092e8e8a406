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
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packaged hub killed with SIGKILL in the middle of a phone export, in the middle of an EDI
 * interchange and in the middle of an IMAP poll, restarted; afterwards every input is counted by its message id — on the receipt, on the topic, on the
 * work queue, in the dead-letter queue — and the numbers are printed.
 */
class HubKilledFaultIT {

    static final int ROWS = 30_000;
    static final int TRANSACTIONS = 3_000;
    static final int MAILS = 200;

    @Test
    void killedInTheMiddleOfAPhoneExportNothingIsLostAndNothingReachesTheQueueTwice() throws Exception {
        try (FaultHarness h = FaultHarness.started("killed-phone")) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            String name = "export-" + run + ".csv";
            long before = h.topicEnd(h.ordersTopic);
            h.dropExport(name, FaultHarness.export(run, ROWS));

            // kill it once a part of the file is on the topic and the rest is not
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.topicEnd(h.ordersTopic) - before >= ROWS / 5);
            long atKill = h.topicEnd(h.ordersTopic) - before;
            h.killHub();
            assertThat(Files.exists(h.phoneIn().resolve(name))).as("killed before the file was done").isTrue();

            h.startHub();
            List<String> ids = h.receiptIds(name, ROWS, Duration.ofSeconds(300));
            long taken = Files.readAllLines(h.phoneDone().resolve(name + ".ack.csv"), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains(",DUPLICATE,")).count();
            FaultHarness.Tally t = h.reconcile(ids, h.ordersTopic, h.queues.getOrders());
            System.out.printf("FAULT case 3a (kill -9 mid phone export): %d rows, %d on the topic at the kill, %d receipted after the restart "
                    + "as taken before | %s%n", ROWS, atKill, taken, t.line());
            t.assertEveryInputOnceOnTheQueue();
            // the topic is exactly once too: the batches Kafka took before the kill, whose rows the hub had not yet
            // remembered, were in the delivery ledger; the restart found them on the topic and did not write them again
            assertThat(t.twiceOnTopic()).as("on the topic twice").isZero();
        }
    }

    @Test
    void killedInTheMiddleOfAnEdiInterchangeEveryTransactionIsTakenOnceAndAcknowledgedOnce() throws Exception {
        try (FaultHarness h = FaultHarness.started("killed-edi")) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            int control = 100_000 + ThreadLocalRandom.current().nextInt(800_000);
            String name = "po-" + run + ".edi";
            long before = h.topicEnd(h.ordersTopic);
            h.dropEdi("ACME", name, FaultHarness.x12(run, control, TRANSACTIONS));

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.topicEnd(h.ordersTopic) - before >= TRANSACTIONS / 5);
            long atKill = h.topicEnd(h.ordersTopic) - before;
            h.killHub();
            assertThat(Files.exists(h.ediIn("ACME").resolve(name))).as("killed before the file was done").isTrue();

            h.startHub();
            Path out = h.work.resolve("edi/ACME/out");
            String isa13 = String.format("%09d", control);
            await().atMost(Duration.ofSeconds(600)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !Files.exists(h.ediIn("ACME").resolve(name)) && acks(out, isa13).size() == 1);
            String ack = Files.readString(acks(out, isa13).get(0), StandardCharsets.ISO_8859_1);
            List<String> ids = new ArrayList<>();
            for (int n = 1; n <= TRANSACTIONS; n++) {
                ids.add(FaultHarness.x12MessageId(control, n));
            }
            FaultHarness.Tally t = h.reconcile(ids, h.ordersTopic, h.queues.getOrders());
            System.out.printf("FAULT case 3b (kill -9 mid EDI interchange): %d transactions, %d on the topic at the kill, one 997 (%s) | %s%n",
                    TRANSACTIONS, atKill, ack.contains("AK9*A*" + TRANSACTIONS + "*" + TRANSACTIONS + "*" + TRANSACTIONS) ? "all accepted" : "NOT all accepted",
                    t.line());
            assertThat(ack).contains("AK9*A*" + TRANSACTIONS + "*" + TRANSACTIONS + "*" + TRANSACTIONS);
            t.assertEveryInputOnceOnTheQueue();
            // the transactions written before the kill were in the ledger until the interchange was recorded: found on
            // the topic after the restart, not written again
            assertThat(t.twiceOnTopic()).as("on the topic twice").isZero();
        }
    }

    @Test
    void killedInTheMiddleOfAnImapPollEveryMailIsTakenOnceAndNoneIsLeftInTheInbox() throws Exception {
        try (FaultHarness h = new FaultHarness("killed-imap")) {
            h.startAll();
            h.startMail();
            h.startHub(h.mailOptions());
            String run = UUID.randomUUID().toString().substring(0, 8);
            String sample = Files.readString(Path.of("src/test/resources/samples/email/complaint-qp-english.eml"), StandardCharsets.UTF_8);
            long before = h.topicEnd(h.complaintsTopic);
            List<String> ids = MailServerFaultIT.send(h, sample, run, MAILS);

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20))
                    .until(() -> h.topicEnd(h.complaintsTopic) - before >= MAILS / 5);
            long atKill = h.topicEnd(h.complaintsTopic) - before;
            h.killHub();
            int waiting = h.inboxCount();
            assertThat(waiting).as("killed before the inbox was read through").isPositive();

            h.startHub(h.mailOptions());
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> h.inboxCount() == 0 && h.topicCounts(h.complaintsTopic).keySet().containsAll(ids));
            FaultHarness.Tally t = h.reconcile(ids, h.complaintsTopic, h.queues.getComplaints());
            System.out.printf("FAULT case 3c (kill -9 mid IMAP poll): %d mails, %d on the topic at the kill, %d in the inbox after it, "
                    + "0 left after the restart | %s%n", MAILS, atKill, waiting, t.line());
            t.assertEveryInputOnceOnTheQueue();
            assertThat(t.twiceOnTopic()).as("on the topic twice").isZero();
        }
    }

    private static List<Path> acks(Path out, String isa13) throws Exception {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().endsWith("_for_" + isa13 + ".edi")).toList();
        }
    }
}
