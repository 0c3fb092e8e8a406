package io.intakehub.shared;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.FieldError;
import io.intakehub.config.HubHeaders;
import io.intakehub.store.Journal;
import io.intakehub.store.JournalEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/**
 * Route {@code shared-dead-letter}'s logic: the original bytes, plus headers that say what failed,
 * where, why and what to do, and a journal event. Only {@code Hub*} headers survive onto the queue.
 */
@Component("deadLetters")
public class DeadLetters {

    /** Field-level errors as a JSON array, when the failure has them. */
    public static final String ERRORS = "HubErrors";
    /** What a person should do about it. */
    public static final String ACTION = "HubAction";
    /** Where the original input file was when it was too large to carry in the dead letter. */
    public static final String ORIGINAL_FILE = "HubOriginalFile";
    public static final String ORIGINAL_SIZE = "HubOriginalSize";
    /** Exchange property: the input is on the dead-letter queue (set once the queue has taken it). */
    public static final String DEAD_LETTERED = "HubDeadLettered";

    private final Journal journal;
    private final long maxBodyBytes;

    public DeadLetters(Journal journal, @org.springframework.beans.factory.annotation.Value("${hub.dead-letters.max-body-bytes:10485760}") long maxBodyBytes) {
        this.journal = journal;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Step {@code prepare-dead-letter}. */
    public void prepare(Exchange exchange) throws JsonProcessingException {
        Message m = exchange.getMessage();
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        HubException hub = Failures.cause(failure, HubException.class);
        ReasonCode reason = reasonOf(exchange);
        String routeId = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        Integer redeliveries = m.getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);

        Map<String, Object> keep = new HashMap<>();
        m.getHeaders().forEach((k, v) -> {
            if (k.startsWith(HubHeaders.PREFIX) && (v instanceof String || v instanceof Number || v instanceof Boolean)) {
                keep.put(k, v);
            }
        });
        Object manualCommit = m.getHeader(KafkaConstants.MANUAL_COMMIT);
        Object topic = m.getHeader(KafkaConstants.TOPIC);
        if (topic != null) {
            keep.put(HubHeaders.ORIGINAL_TOPIC, topic.toString());
            keep.putIfAbsent(HubHeaders.SOURCE_REF, "kafka:" + topic + "/" + m.getHeader(KafkaConstants.PARTITION)
                    + "@" + m.getHeader(KafkaConstants.OFFSET));
            keep.putIfAbsent(HubHeaders.CHANNEL, "kafka");
        }
        provenance(exchange, keep);
        m.getHeaders().clear();
        m.getHeaders().putAll(keep);
        if (manualCommit != null) {
            m.setHeader(KafkaConstants.MANUAL_COMMIT, manualCommit);
        }
        String repeated = exchange.getProperty(TransientFailures.REPEATED, String.class);
        String detail = repeated != null ? repeated : failure == null ? reason.meaning() : failure.getMessage();
        m.setHeader(HubHeaders.REASON_CODE, reason.name());
        m.setHeader(HubHeaders.REASON_TEXT, reason.meaning());
        // a channel may add where the original is kept ("The original file is kept in …")
        Object where = keep.get(ACTION);
        m.setHeader(ACTION, where == null || where.toString().isBlank() ? reason.action() : reason.action() + " " + where);
        m.setHeader(HubHeaders.ROUTE_ID, routeId == null ? exchange.getFromRouteId() : routeId);
        String failedAt = exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class);
        if (failedAt != null) {
            m.setHeader(HubHeaders.FAILED_ENDPOINT, failedAt);
        }
        m.setHeader(HubHeaders.EXCEPTION_CLASS, failure == null ? "" : failure.getClass().getName());
        m.setHeader(HubHeaders.EXCEPTION_MESSAGE, cut(detail, 2000));
        m.setHeader(HubHeaders.ATTEMPTS, 1 + (redeliveries == null ? 0 : redeliveries));
        m.setHeader(HubHeaders.DEAD_LETTERED_AT, OffsetDateTime.now().toString());
        List<FieldError> errors = hub == null ? List.of() : hub.errors();
        if (!errors.isEmpty()) {
            m.setHeader(ERRORS, cut(CanonicalJson.mapper().writeValueAsString(errors), 8000));
        }
        m.setHeader("JMSDeliveryMode", jakarta.jms.DeliveryMode.PERSISTENT);
        Object body = m.getBody();
        String contentHash;
        if (body instanceof org.apache.camel.component.file.GenericFile<?> file && file.getFileLength() > maxBodyBytes) {
            // a large input file is kept where it is moved to (failed/); the dead letter points at it
            m.setHeader(ORIGINAL_FILE, file.getAbsoluteFilePath());
            m.setHeader(ORIGINAL_SIZE, file.getFileLength());
            contentHash = contentHashOf(java.nio.file.Path.of(file.getAbsoluteFilePath()));
            m.setBody(new byte[0]);
        } else {
            byte[] original = m.getBody(byte[].class);
            m.setBody(original == null ? new byte[0] : original);
            contentHash = Hashes.sha256Hex(m.getBody(byte[].class));
        }
        m.setHeader(HubHeaders.INPUT_SHA256, contentHash);
        String identity = identity(m, reason, contentHash);
        m.setHeader(HubHeaders.ARTEMIS_DUPLICATE_ID, identity);
        m.setHeader(HubHeaders.JOURNAL_ID, journalId(m.getHeader(HubHeaders.MESSAGE_ID, String.class), identity));
    }

    /**
     * The id a dead letter is journaled and found under: its message's id, or for an input no message was made of
     * (a file refused whole) an id of a fixed length from the dead letter's identity, one per refused input.
     */
    static String journalId(String messageId, String identity) {
        return messageId != null ? messageId : "unidentified:" + identity.substring(identity.indexOf(':') + 1, identity.indexOf(':') + 41);
    }

    /** Why the exchange's input is refused: its HubException's reason, a repeated failure, or an internal error. */
    public static ReasonCode reasonOf(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        HubException hub = Failures.cause(failure, HubException.class);
        if (hub != null) {
            return hub.reason();
        }
        return exchange.getProperty(TransientFailures.REPEATED) != null ? ReasonCode.REPEATED_FAILURE : ReasonCode.INTERNAL_ERROR;
    }

    /**
     * Artemis' duplicate id of a dead letter: one per refused input. The same bytes from the same place failing
     * for the same reason again (re-read after a crash) are one dead letter; different bytes under the same file
     * name, or the same bytes put back into the channel under a new name, are another. The id is a hash so that
     * no outside value can make it long or make two inputs share it.
     */
    static String identity(Message m, ReasonCode reason, String contentHash) {
        String where = String.join("\u0000", String.valueOf(m.getHeader(HubHeaders.CHANNEL)),
                String.valueOf(m.getHeader(HubHeaders.PARTNER)), String.valueOf(m.getHeader(HubHeaders.SOURCE_REF)),
                String.valueOf(m.getHeader(HubHeaders.MESSAGE_ID)), reason.name(), contentHash);
        return "dl:" + Hashes.sha256Hex(where);
    }

    /**
     * Where the input came from, when the channel's own headers were lost: a policy that dead-letters the original
     * message (a whole file refused) sees only what the file or mail consumer set. Channel from the reading route,
     * file name and source reference from the consumer's file headers, an EDI partner from its folder.
     */
    static void provenance(Exchange exchange, Map<String, Object> keep) {
        Message m = exchange.getMessage();
        String fromRoute = exchange.getFromRouteId();
        if (!keep.containsKey(HubHeaders.CHANNEL) && fromRoute != null) {
            String channel = channelOf(fromRoute);
            if (channel != null) {
                keep.put(HubHeaders.CHANNEL, channel);
            }
        }
        String relative = m.getHeader(Exchange.FILE_NAME, String.class);
        if (relative != null) {
            String path = relative.replace('\\', '/');
            keep.putIfAbsent(HubHeaders.FILE_NAME, path.substring(path.lastIndexOf('/') + 1));
            keep.putIfAbsent(HubHeaders.SOURCE_REF, "file:" + path);
            if ("edi".equals(keep.get(HubHeaders.CHANNEL)) && path.indexOf('/') > 0) {
                keep.putIfAbsent(HubHeaders.PARTNER, path.substring(0, path.indexOf('/')));
            }
        }
    }

    /** The channel a reading route belongs to: {@code ingest-edi} and {@code edi-remote-pull} are edi. */
    static String channelOf(String routeId) {
        String rest = routeId.startsWith("ingest-") ? routeId.substring("ingest-".length()) : routeId;
        int dash = rest.indexOf('-');
        String channel = dash < 0 ? rest : rest.substring(0, dash);
        return switch (channel) {
            case "edi", "email", "phone", "web", "customers" -> channel;
            default -> null;
        };
    }

    private static String contentHashOf(java.nio.file.Path file) {
        try {
            return Hashes.sha256Hex(file);
        } catch (java.io.IOException e) {
            // the file is still named in the dead letter; its size and path stand in for its bytes
            return Hashes.sha256Hex(file + "|" + file.toFile().length());
        }
    }

    /**
     * Dead-letters one input from code rather than from a route's error policy (a bad row of a file, a
     * bad record of a batch): the input exchange goes through {@code shared-dead-letter} with the
     * reason as the caught exception. Throws when the dead letter could not be written, so the caller's
     * source is not acknowledged.
     */
    public static void send(org.apache.camel.ProducerTemplate template, Exchange input, HubException why, String routeId)
            throws Exception {
        input.setProperty(Exchange.EXCEPTION_CAUGHT, why);
        input.setProperty(Exchange.FAILURE_ROUTE_ID, routeId);
        Exchange result = template.send("direct:shared-dead-letter", input);
        if (result.getException() != null) {
            throw result.getException();
        }
    }

    /** Step {@code journal-dead-lettered}. */
    public void journal(Exchange exchange) {
        exchange.setProperty(DEAD_LETTERED, Boolean.TRUE);
        Message m = exchange.getMessage();
        String id = m.getHeader(HubHeaders.JOURNAL_ID, String.class);
        // the route and the input: the same input failing again is one event, a replayed copy failing again another
        String where = m.getHeader(HubHeaders.ROUTE_ID, String.class) + " " + m.getHeader(HubHeaders.SOURCE_REF, String.class);
        journal.record(new JournalEvent(id, JournalEvent.Kind.DEAD_LETTERED, Hashes.fitted(where, 200),
                OffsetDateTime.now(), m.getHeader(HubHeaders.MESSAGE_TYPE, String.class),
                m.getHeader(HubHeaders.CHANNEL, String.class), m.getHeader(HubHeaders.PARTNER, String.class),
                Hashes.fitted(m.getHeader(HubHeaders.SOURCE_REF, String.class), 512),
                Hashes.fitted(m.getHeader(HubHeaders.CORRELATION_ID, String.class), 256),
                null, null, m.getHeader(HubHeaders.REASON_CODE, String.class),
                m.getHeader(HubHeaders.EXCEPTION_MESSAGE, String.class)));
    }

    private static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max);
    }
}
