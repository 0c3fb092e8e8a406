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

import com.fasterxml.jackson.databind.ObjectMapper;
import io.intakehub.canonical.MessageIds;
import io.intakehub.support.Mail;
import org.junit.jupiter.api.Test;

/**
 * The mail server goes away and comes back — the IMAP consumer reports DOWN in health
 * while it is unreachable and recovers by itself; every mail sent before and after is taken once, none twice.
 */
class MailServerFaultIT {

    static final int MAILS = 5;

    @Test
    void theMailServerRestartedTheConsumerIsDownThenRecoversAndNoMailIsReadTwice() throws Exception {
        try (FaultHarness h = new FaultHarness("mail-restart")) {
            h.startAll();
            h.startMail();
            h.startHub(h.mailOptions());
            String run = UUID.randomUUID().toString().substring(0, 8);
            String sample = Files.readString(Path.of("src/test/resources/samples/email/complaint-qp-english.eml"), StandardCharsets.UTF_8);
            List<String> ids = new ArrayList<>();
            ids.addAll(send(h, sample, run + "-before", MAILS));
            await().atMost(Duration.ofSeconds(120)).until(() -> h.topicCounts(h.complaintsTopic).keySet().containsAll(ids));

            h.stopMail();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> "DOWN".equals(
                    new ObjectMapper().readTree(h.health()).at("/components/camelHealth/details/consumer:ingest-email").asText()));
            h.startMail();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> "UP".equals(
                    new ObjectMapper().readTree(h.health()).at("/components/camelHealth/details/consumer:ingest-email").asText()));
            ids.addAll(send(h, sample, run + "-after", MAILS));

            FaultHarness.Tally t = h.reconcile(ids, h.complaintsTopic, h.queues.getComplaints());
            System.out.printf("FAULT case 4 (mail server stopped and started again): consumer:ingest-email DOWN while away, UP after | "
                    + "%d mails before, %d after | %s%n", MAILS, MAILS, t.line());
            t.assertEveryInputOnceOnTheQueue();
            assertThat(t.twiceOnTopic()).as("no mail read twice").isZero();
        }
    }

    /** Sends {@code n} copies of the sample, each under its own Message-ID and complaint text; returns their message ids. */
    static List<String> send(FaultHarness h, String sample, String tag, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String messageId = tag + "-" + i + "@harbourfoods.example";
            String mail = sample.replace("qp-english-0003@harbourfoods.example", messageId)
                    .replace("Twelve cartons arrived crushed", "Twelve cartons (" + tag + " " + i + ") arrived crushed");
            Mail.send(h.smtpPort, "anna.li@harbourfoods.example", List.of("intake@localhost"), mail.getBytes(StandardCharsets.UTF_8));
            ids.add(MessageIds.of("email", null, messageId, 0));
        }
        return ids;
    }
}
