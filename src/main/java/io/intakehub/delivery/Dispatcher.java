package io.intakehub.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.CanonicalAssembler;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.CanonicalType;
import io.intakehub.config.HubHeaders;
import io.intakehub.config.HubProperties;
import io.intakehub.rules.IntakeRules;
import io.intakehub.rules.RulesProperties;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import io.intakehub.store.Journal;
import io.intakehub.store.JournalEvent;
import jakarta.jms.DeliveryMode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/**
 * The dispatch routes' logic: a canonical record from Kafka becomes a persistent JMS message for
 * the work queue of its type, with the JMS priority the rules gave it and the message id as
 * Artemis' duplicate-detection id (so a record read twice lands once).
 */
@Component("dispatcher")
public class Dispatcher {

    private final HubProperties.Queues queues;
    private final Journal journal;
    private final RulesProperties rules;

    public Dispatcher(HubProperties props, Journal journal, RulesProperties rules) {
        this.queues = props.getQueues();
        this.journal = journal;
        this.rules = rules;
    }

    /** Step {@code prepare-jms-message}: headers for the JMS send; throws POISON_RECORD for what is not ours. */
    public void prepare(Exchange exchange) {
        Message m = exchange.getMessage();
        byte[] raw = m.getBody(byte[].class);
        String where = m.getHeader(KafkaConstants.TOPIC) + "/" + m.getHeader(KafkaConstants.PARTITION)
                + "@" + m.getHeader(KafkaConstants.OFFSET);
        JsonNode envelope;
        try {
            envelope = raw == null ? null : CanonicalJson.readTree(raw);
        } catch (IOException e) {
            throw new HubException(ReasonCode.POISON_RECORD, "record " + where + " is not JSON: " + e.getMessage(), e);
        }
        if (envelope == null || !envelope.path("messageId").isTextual()) {
            throw new HubException(ReasonCode.POISON_RECORD, "record " + where + " has no messageId");
        }
        String type = envelope.path("type").asText("");
        String queue = queueFor(type).orElseThrow(() -> new HubException(ReasonCode.POISON_RECORD,
                "record " + where + " has type '" + type + "', which has no work queue"));
        int priority = envelope.path("intake").path("priority").asInt(CanonicalAssembler.DEFAULT_PRIORITY);
        String messageId = envelope.get("messageId").asText();

        Object manualCommit = m.getHeader(KafkaConstants.MANUAL_COMMIT);
        Map<String, Object> headers = m.getHeaders();
        headers.clear();
        if (manualCommit != null) {
            headers.put(KafkaConstants.MANUAL_COMMIT, manualCommit);
        }
        headers.put("JMSPriority", Math.max(0, Math.min(9, priority)));
        headers.put("JMSDeliveryMode", DeliveryMode.PERSISTENT);
        headers.put("JMSCorrelationID", envelope.path("correlationId").asText(messageId));
        headers.put(HubHeaders.ARTEMIS_DUPLICATE_ID, messageId);
        headers.put(HubHeaders.MESSAGE_ID, messageId);
        headers.put(HubHeaders.MESSAGE_TYPE, type);
        headers.put(HubHeaders.CORRELATION_ID, envelope.path("correlationId").asText(messageId));
        headers.put(HubHeaders.CHANNEL, envelope.path("source").path("channel").asText(""));
        headers.put(HubHeaders.SOURCE_REF, envelope.path("source").path("reference").asText(""));
        headers.put(HubHeaders.TARGET_QUEUE, queue);
        boolean escalated = false;
        for (JsonNode flag : envelope.path("intake").path("flags")) {
            escalated |= IntakeRules.ESCALATED.equals(flag.asText());
        }
        headers.put(HubHeaders.ESCALATED, Boolean.toString(escalated));
        m.setBody(new String(raw, StandardCharsets.UTF_8));
    }

    /** Step {@code prepare-jms-escalation}: the same message for the escalations queue, at the escalated priority. */
    public void escalation(Exchange exchange) {
        Message m = exchange.getMessage();
        m.setHeader("JMSPriority", Math.max(0, Math.min(9, Math.max(m.getHeader("JMSPriority", Integer.class), rules.priority().escalated()))));
        m.setHeader(HubHeaders.TARGET_QUEUE, queues.getEscalations());
    }

    /** Step {@code journal-dispatched}: records the hop, off the hot path. */
    public void dispatched(Exchange exchange) {
        Message m = exchange.getMessage();
        journal.record(new JournalEvent(
                m.getHeader(HubHeaders.MESSAGE_ID, String.class),
                JournalEvent.Kind.DISPATCHED,
                m.getHeader(HubHeaders.TARGET_QUEUE, String.class),
                OffsetDateTime.now(),
                m.getHeader(HubHeaders.MESSAGE_TYPE, String.class),
                m.getHeader(HubHeaders.CHANNEL, String.class),
                null,
                m.getHeader(HubHeaders.SOURCE_REF, String.class),
                m.getHeader(HubHeaders.CORRELATION_ID, String.class),
                null, null, null,
                "priority " + m.getHeader("JMSPriority")));
    }

    java.util.Optional<String> queueFor(String type) {
        return CanonicalType.fromWireName(type).map(t -> switch (t) {
            case ORDER -> queues.getOrders();
            case COMPLAINT -> queues.getComplaints();
            case CUSTOMER_REGISTRATION -> queues.getRegistrations();
        });
    }
}
