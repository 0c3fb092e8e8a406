package io.intakehub.store;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.CanonicalJson;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Route {@code shared-journal-index}: reads the intake topics in batches and records each message
 * as RECEIVED (at the time its channel took it in) and ACCEPTED with its business keys, in one JDBC batch per poll. Runs beside the hot path, never
 * on it: acceptance is the Kafka write, the index follows it.
 */
@Component("journalIndexer")
public class JournalIndexer {

    private static final Logger LOG = LoggerFactory.getLogger(JournalIndexer.class);

    private final Journal journal;

    public JournalIndexer(Journal journal) {
        this.journal = journal;
    }

    public void index(List<Exchange> batch) {
        List<JournalEvent> events = new ArrayList<>(batch.size());
        for (Exchange e : batch) {
            byte[] raw = e.getMessage().getBody(byte[].class);
            try {
                JsonNode env = CanonicalJson.readTree(raw);
                if (env == null || !env.path("messageId").isTextual()) {
                    continue; // not ours: the dispatch route dead-letters it
                }
                JournalEvent accepted = accepted(env, e.getMessage().getHeader(KafkaConstants.TOPIC, String.class),
                        e.getMessage().getHeader(KafkaConstants.TIMESTAMP, Long.class));
                events.add(received(accepted, env));
                events.add(accepted);
            } catch (IOException ex) {
                LOG.debug("Skipping unreadable record at {}@{}", e.getMessage().getHeader(KafkaConstants.PARTITION),
                        e.getMessage().getHeader(KafkaConstants.OFFSET));
            }
        }
        journal.recordNow(events);
    }

    static JournalEvent accepted(JsonNode env, String topic, Long timestamp) {
        String type = env.path("type").asText();
        JsonNode payload = env.path(type.equals("customer-registration") ? "registration" : type);
        String businessKey = firstText(payload.path("customerOrderNumber"), payload.path("orderNumber"),
                payload.path("customerReference"), payload.path("existingCustomerId"));
        OffsetDateTime at = timestamp == null ? OffsetDateTime.now()
                : OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(timestamp), java.time.ZoneOffset.UTC);
        return new JournalEvent(
                env.get("messageId").asText(),
                JournalEvent.Kind.ACCEPTED,
                topic,
                at,
                type,
                env.path("source").path("channel").asText(null),
                env.path("source").path("partner").asText(null),
                env.path("source").path("reference").asText(null),
                env.path("correlationId").asText(null),
                env.path("customer").path("id").asText(null),
                businessKey,
                null,
                null);
    }

    /** When the channel took the input in (the envelope's source.receivedAt), for the message's timeline. */
    static JournalEvent received(JournalEvent accepted, JsonNode env) {
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(env.path("source").path("receivedAt").asText());
        } catch (RuntimeException unreadable) {
            at = accepted.at();
        }
        // Kafka's timestamp has milliseconds only: a message taken and accepted within one millisecond would sort
        // ACCEPTED before RECEIVED (the hub got that fast). Never after its acceptance; a tie keeps insertion order
        if (at.isAfter(accepted.at())) {
            at = accepted.at();
        }
        // a file-born message names its file here, so a search by file name finds it (the destination is indexed)
        String file = env.path("source").path("fileName").asText("");
        return new JournalEvent(accepted.messageId(), JournalEvent.Kind.RECEIVED, file.isEmpty() ? "" : "file:" + file, at, accepted.messageType(), accepted.channel(),
                accepted.partner(), accepted.sourceRef(), accepted.correlationId(), accepted.customerId(), accepted.businessKey(), null,
                null);
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n.isTextual()) {
                return n.asText();
            }
        }
        return null;
    }
}
