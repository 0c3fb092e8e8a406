package io.intakehub.delivery;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.config.HubHeaders;
import io.intakehub.mapping.CanonicalStage;
import io.intakehub.rules.RulesStage;
import io.intakehub.store.Journal;
import io.intakehub.store.JournalEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/**
 * Step {@code prepare-kafka-record} of {@code deliver-accept}: the canonical message as UTF-8 JSON
 * bytes, keyed by business key, carrying only the envelope headers (nothing else from the input
 * reaches Kafka).
 */
@Component("acceptance")
public class Acceptance {

    private final Journal journal;

    public Acceptance(Journal journal) {
        this.journal = journal;
    }

    public void prepare(Exchange exchange) {
        Message m = exchange.getMessage();
        JsonNode canonical = m.getBody(JsonNode.class);
        Map<String, Object> headers = m.getHeaders();
        headers.keySet().removeIf(h -> !HubHeaders.ENVELOPE_HEADERS.contains(h) && !h.equals(HubHeaders.BUSINESS_KEY));
        m.setHeader(KafkaConstants.KEY, m.removeHeader(HubHeaders.BUSINESS_KEY));
        m.setBody(CanonicalJson.bytes(canonical));
    }

    /** Step {@code prepare-follow-on}: one follow-on message (a new customer's registration) as an exchange of its own. */
    public void followOn(Exchange exchange) {
        Message m = exchange.getMessage();
        ObjectNode followOn = m.getBody(ObjectNode.class);
        exchange.removeProperty(RulesStage.FOLLOW_ONS);
        m.removeHeader(HubHeaders.DUPLICATE_OF);
        m.setHeader(HubHeaders.MESSAGE_ID, followOn.path("messageId").asText());
        m.setHeader(HubHeaders.MESSAGE_TYPE, followOn.path("type").asText());
        m.setHeader(HubHeaders.CORRELATION_ID, followOn.path("correlationId").asText());
        m.setHeader(HubHeaders.BUSINESS_KEY, CanonicalStage.businessKey(followOn));
    }

    /**
     * Step {@code journal-duplicate}: the duplicate guard stopped the message; the journal links it to the first
     * (destination {@code duplicate-of:<id>}), so its tracking id answers "duplicate of …".
     */
    public void duplicate(Exchange exchange) {
        Message m = exchange.getMessage();
        JsonNode canonical = m.getBody(JsonNode.class);
        String first = m.getHeader(HubHeaders.DUPLICATE_OF, String.class);
        String type = m.getHeader(HubHeaders.MESSAGE_TYPE, String.class);
        journal.record(JournalEvent.duplicate(m.getHeader(HubHeaders.MESSAGE_ID, String.class), first, type,
                m.getHeader(HubHeaders.CHANNEL, String.class), m.getHeader(HubHeaders.PARTNER, String.class),
                m.getHeader(HubHeaders.SOURCE_REF, String.class), m.getHeader(HubHeaders.CORRELATION_ID, String.class),
                canonical.path("customer").path("id").asText(null), m.getHeader(HubHeaders.DUPLICATE_KEY, String.class)));
    }
}
