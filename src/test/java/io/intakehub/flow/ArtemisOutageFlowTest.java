package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import io.intakehub.store.Journal;
import io.intakehub.support.HubFlowTestSupport;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Artemis down during dispatch is transient: the record is retried with back-off, never
 * dead-lettered, its offset is not committed until the send succeeds, and dispatch resumes by
 * itself when the broker is back.
 */
@TestPropertySource(properties = "hub.kafka.dispatch-group=outage-test-dispatch")
class ArtemisOutageFlowTest extends HubFlowTestSupport {

    static final String GROUP = "outage-test-dispatch";

    @Autowired
    EmbeddedActiveMQ artemis;

    @Autowired
    Journal journal;

    @Test
    void dispatchWaitsOutAnArtemisOutageAndCommitsOnlyAfterTheSend() throws Exception {
        String key = "outage-" + UUID.randomUUID();
        String before = UUID.randomUUID().toString();
        RecordMetadata first = produce("intake.orders.v1", key, DispatchAndDeadLetterFlowTest.envelope(before, "order", 4));
        assertThat(receive("intake.orders.erp", before, Duration.ofSeconds(60))).as("dispatch is running").isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                committed(GROUP, "intake.orders.v1", first.partition()) > first.offset());

        artemis.getActiveMQServer().stop();
        String during = UUID.randomUUID().toString();
        RecordMetadata rec = produce("intake.orders.v1", key, DispatchAndDeadLetterFlowTest.envelope(during, "order", 4));
        try {
            // several retry rounds while the broker is away: nothing committed past the record, nothing journaled
            Thread.sleep(4000);
            assertThat(committed(GROUP, "intake.orders.v1", rec.partition())).isLessThanOrEqualTo(rec.offset());
            journal.flush();
            assertThat(journal.history(during)).noneMatch(e -> e.event().name().equals("DISPATCHED")
                    || e.event().name().equals("DEAD_LETTERED"));
        } finally {
            artemis.getActiveMQServer().start();
        }

        assertThat(receive("intake.orders.erp", during, Duration.ofSeconds(60))).as("dispatched after the outage").isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                committed(GROUP, "intake.orders.v1", rec.partition()) > rec.offset());
        var dlq = new org.springframework.jms.core.JmsTemplate(jms.getConnectionFactory());
        dlq.setReceiveTimeout(500);
        assertThat(dlq.receiveSelected(props.getQueues().getDeadLetters(), "HubMessageId = '" + during + "'"))
                .as("not dead-lettered").isNull();
    }
}
