package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.intakehub.canonical.MessageIds;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Mail;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * The per-input time budget on the email channel, with a budget no mail can meet: each mail is given up, dead-lettered
 * as PROCESSING_TIMEOUT with its raw bytes and quarantined, never reaches Kafka, and the poller takes the next one.
 */
@TestPropertySource(properties = "hub.limits.processing-timeout=1ms")
class EmailWatchdogFlowTest extends HubFlowTestSupport {

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
}
