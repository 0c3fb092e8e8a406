package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.MessageIds;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Mail;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * The per-input time budget on every channel, with a budget (1 ms) that no mail, post or EDI transaction can meet: each
 * is given up, refused as PROCESSING_TIMEOUT with its raw bytes, never reaches Kafka, and the channel takes the next
 * one. Phone rows are mapped within 1 ms most of the time, so there the budget is met by some rows and missed by others:
 * each row settles once either way. (BatchMappingTest gives up a phone row that never returns.)
 */
@TestPropertySource(properties = "hub.limits.processing-timeout=1ms")
class InputBudgetFlowTest extends HubFlowTestSupport {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Value("${hub.embedded.smtp-port}")
    int smtp;

    @Value("${hub.embedded.imap-port}")
    int imap;

    @Test
    void aMailPastItsBudgetIsDeadLetteredAndQuarantinedAndTheNextMailIsTaken() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 2; i++) {
            String id = "slow-" + i + "-" + run + "@customer.example";
            String mail = "From: slow@customer.example\r\nTo: intake@localhost\r\nSubject: Complaint " + run + "\r\nMessage-ID: <" + id
                    + ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDescription: broken carton " + i + "\r\n";
            Mail.send(smtp, "slow@customer.example", List.of("intake@localhost"), mail.getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 2; i++) {
            String id = "slow-" + i + "-" + run + "@customer.example";
            await().atMost(WAIT).until(() -> Mail.messageIds(imap, "intake@localhost", "intake", "Quarantine").contains("<" + id + ">"));
            await().atMost(WAIT).until(() -> Boolean.TRUE.equals(jms.browseSelected(props.getQueues().getDeadLetters(),
                    "HubReasonCode = 'PROCESSING_TIMEOUT' AND HubSourceRef = '<" + id + ">'", (s, b) -> b.getEnumeration().hasMoreElements())));
        }
        Thread.sleep(1000);
        for (int i = 0; i < 2; i++) {
            String messageId = MessageIds.of("email", null, "slow-" + i + "-" + run + "@customer.example", 0);
            assertThat(recordsWithMessageId(props.getKafka().getTopics().getComplaints(), messageId)).as("never on Kafka").isEmpty();
        }
    }

    private boolean deadLettered(String selector) {
        return Boolean.TRUE.equals(jms.browseSelected(props.getQueues().getDeadLetters(), selector,
                (s, b) -> b.getEnumeration().hasMoreElements()));
    }

    private byte[] deadLetterBody(String selector) {
        return jms.browseSelected(props.getQueues().getDeadLetters(), selector, (s, b) -> {
            jakarta.jms.BytesMessage m = (jakarta.jms.BytesMessage) b.getEnumeration().nextElement();
            byte[] body = new byte[(int) m.getBodyLength()];
            m.readBytes(body);
            return body;
        });
    }

    /**
     * A warm hub may read, map and judge a small post within 1 ms, and then the post is accepted: every post settles
     * once either way (202 and once on Kafka, or 500 PROCESSING_TIMEOUT, dead-lettered with its bytes and never on
     * Kafka), and the first posts, on a cold path, miss the budget.
     */
    @Test
    void aWebPostPastItsBudgetIsAnsweredAsOurFailureAndDeadLetteredWithItsBytes() throws Exception {
        String sample = Files.readString(Path.of("src/test/resources/samples/web/complaint-en.json"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        int givenUp = 0;
        for (int i = 0; i < 4; i++) {
            String body = sample.replace("Three cartons arrived wet", "Carton " + i + " of run " + run + " arrived wet");
            HttpResponse<String> res = postJson("/api/v1/complaints", body);
            JsonNode answer = json(res.body());
            String trackingId = answer.path("trackingId").asText();
            if (res.statusCode() == 202) {
                await().atMost(WAIT).until(() -> recordsWithMessageId(props.getKafka().getTopics().getComplaints(), trackingId).size() == 1);
                continue;
            }
            givenUp++;
            assertThat(res.statusCode()).as(res.body()).isEqualTo(500);
            assertThat(answer.path("reasonCode").asText()).isEqualTo("PROCESSING_TIMEOUT");
            String selector = "HubReasonCode = 'PROCESSING_TIMEOUT' AND HubMessageId = '" + trackingId + "'";
            await().atMost(WAIT).until(() -> deadLettered(selector));
            assertThat(new String(deadLetterBody(selector), StandardCharsets.UTF_8)).as("the post's own bytes").isEqualTo(body);
            Thread.sleep(300);
            assertThat(recordsWithMessageId(props.getKafka().getTopics().getComplaints(), trackingId)).as("never on Kafka").isEmpty();
        }
        assertThat(givenUp).as("posts given up").isPositive();
    }

    /**
     * Each transaction of a file settles once: rejected in the 997 and dead-lettered as PROCESSING_TIMEOUT (never on
     * Kafka), or accepted (AK5*A, once on Kafka) when a warm hub met the budget; the file is done either way.
     */
    @Test
    void eachEdiTransactionPastItsBudgetIsRejectedInTheAcknowledgementAndDeadLetteredAndTheFileIsDone() throws Exception {
        int control = 700_000_000 + new java.util.Random().nextInt(90_000_000);
        String run = UUID.randomUUID().toString().substring(0, 6);
        int transactions = 4;
        Path partner = Path.of(props.getEdi().getRoot(), "ACME");
        Files.createDirectories(partner.resolve("in"));
        String name = "budget-" + run + ".edi";
        Path part = partner.resolve("in").resolve(name + ".part");
        Files.writeString(part, io.intakehub.faults.FaultHarness.x12(run, control, transactions), StandardCharsets.ISO_8859_1);
        Files.move(part, partner.resolve("in").resolve(name), StandardCopyOption.ATOMIC_MOVE);

        String ack = await().atMost(WAIT).until(() -> EdiChannelFlowTest.ackFor(partner, "997_", String.format("%09d", control)),
                a -> a != null);
        List<String> segments = List.of(ack.split("~\\s*"));
        int rejected = 0;
        for (int t = 1; t <= transactions; t++) {
            int n = t;
            String st02 = String.format("%09d", n);
            String ak5 = segments.get(segments.indexOf("AK2*850*" + st02) + 1);
            String id = io.intakehub.faults.FaultHarness.x12MessageId(control, n);
            if (ak5.equals("AK5*A")) {
                await().atMost(WAIT).until(() -> recordsWithMessageId("intake.orders.v1", id).size() == 1);
                continue;
            }
            rejected++;
            assertThat(ak5).startsWith("AK5*R");
            await().atMost(WAIT).until(() -> deadLettered("HubReasonCode = 'PROCESSING_TIMEOUT' AND HubChannel = 'edi' AND HubSourceRef LIKE '%/"
                    + control + "/" + st02 + "'"));
            assertThat(recordsWithMessageId("intake.orders.v1", id)).as("never on Kafka").isEmpty();
        }
        assertThat(rejected).as("transactions given up").isPositive();
        await().atMost(WAIT).until(() -> EdiChannelFlowTest.list(partner.resolve("done")).stream().anyMatch(f -> f.startsWith(name)));
    }

    @Test
    void everyPhoneRowSettlesOnceWhetherOrNotItMeetsItsBudget() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        int rows = 40;
        Path in = Path.of(props.getPhone().getRoot(), "in");
        String name = "budget-" + run + ".csv";
        Path part = in.resolve(name + ".part");
        Files.writeString(part, io.intakehub.faults.FaultHarness.export(run, rows));
        Files.move(part, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Path receipt = Path.of(props.getPhone().getRoot(), "done", name + ".ack.csv");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(receipt) && !Files.exists(in.resolve(name)));
        List<String> lines = Files.readAllLines(receipt, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(rows + 1);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", 5);
            String id = f[2];
            int onTopic = recordsWithMessageId(props.getKafka().getTopics().getOrders(), id).size();
            if (f[1].equals("ACCEPTED")) {
                assertThat(onTopic).as(line).isEqualTo(1);
            } else {
                assertThat(f[3]).as(line).isEqualTo("PROCESSING_TIMEOUT");
                assertThat(onTopic).as(line).isZero();
                await().atMost(WAIT).until(() -> deadLettered("HubReasonCode = 'PROCESSING_TIMEOUT' AND HubMessageId = '" + id + "'"));
            }
        }
    }
}
