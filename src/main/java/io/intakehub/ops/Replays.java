package io.intakehub.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.CanonicalType;
import io.intakehub.canonical.FieldError;
import io.intakehub.canonical.SchemaValidator;
import io.intakehub.config.HubHeaders;
import io.intakehub.config.HubProperties;
import io.intakehub.mapping.CanonicalStage;
import io.intakehub.shared.DeadLetters;
import io.intakehub.shared.Failures;
import io.intakehub.shared.Hashes;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import io.intakehub.store.Journal;
import io.intakehub.store.JournalEvent;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultExchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Dead-letter replay: one dead letter — as it was, or with a corrected body — goes back into its
 * channel through route {@code ops-replay}, and so through the same checks, mapping, intake rules and duplicate
 * guard as the first time: a replay can never make a second order. The dead letter is only browsed while the replay
 * runs and taken off the queue (with the audit entry, in one JMS transaction) once the replay has succeeded; a replay
 * that fails again leaves it where it was and says why. Bulk replay takes the dead letters a filter selects, at most
 * {@code hub.ops.replay.rate-per-second}, and reports a result per message.
 */
@Component("replays")
public class Replays {

    private static final com.google.re2j.Pattern PARTNER = com.google.re2j.Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final com.google.re2j.Pattern REPLAY_PREFIX = com.google.re2j.Pattern.compile("^replay-\\d{17}-");
    private static final com.google.re2j.Pattern UNSAFE_IN_NAME = com.google.re2j.Pattern.compile("[^A-Za-z0-9._-]");

    /** Exchange property on a replay: the dead letter's JMS id. */
    public static final String REPLAY_OF = "HubReplayOf";
    static final String FAILED_AGAIN = "HubReplayFailedAgain";
    static final String REQUEUED_AS = "HubReplayRequeuedAs";

    /** What describes the failure, not the input: not carried into a replay. */
    private static final Set<String> FAILURE_HEADERS = Set.of(HubHeaders.REASON_CODE, HubHeaders.REASON_TEXT, DeadLetters.ACTION,
            HubHeaders.ROUTE_ID, HubHeaders.FAILED_ENDPOINT, HubHeaders.EXCEPTION_CLASS, HubHeaders.EXCEPTION_MESSAGE,
            HubHeaders.ATTEMPTS, HubHeaders.DEAD_LETTERED_AT, DeadLetters.ERRORS, HubHeaders.DUPLICATE_OF, HubHeaders.DUPLICATE_KEY,
            HubHeaders.JOURNAL_ID, HubHeaders.INPUT_SHA256);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    /** How one replay ended. */
    public enum Outcome { ACCEPTED, DUPLICATE, REQUEUED, FAILED }

    private final CamelContext camel;
    private final ProducerTemplate template;
    private final DeadLetterQueue deadLetters;
    private final OpsAudit audit;
    private final Journal journal;
    private final SchemaValidator schemas = new SchemaValidator();
    private final Path phoneIn;
    private final Path ediRoot;
    private final double ratePerSecond;
    private final int bulkMax;
    /** Dead letters being replayed on this instance: the same one twice at once is refused. */
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();

    public Replays(CamelContext camel, DeadLetterQueue deadLetters, HubProperties props, OpsAudit audit, Journal journal,
            @Value("${hub.ops.replay.rate-per-second:10}") double ratePerSecond, @Value("${hub.ops.replay.bulk-max:500}") int bulkMax) {
        this.camel = camel;
        this.template = camel.createProducerTemplate();
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.journal = journal;
        this.phoneIn = Path.of(props.getPhone().getRoot(), "in");
        this.ediRoot = Path.of(props.getEdi().getRoot());
        this.ratePerSecond = ratePerSecond <= 0 ? 10 : ratePerSecond;
        this.bulkMax = bulkMax;
    }

    public int bulkMax() {
        return bulkMax;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    /**
     * Replays one dead letter. {@code edited} replaces its body when not null. Returns null when there is no such
     * dead letter; otherwise the result (outcome, message id, duplicate-of, reason), which is also audited and journaled.
     */
    public Map<String, Object> replay(String id, byte[] edited, String user, String why) {
        if (!inProgress.add(id)) {
            return result(id, null, null, Outcome.FAILED, null, ReasonCode.UNKNOWN_DEAD_LETTER,
                    "this dead letter is being replayed right now by another request", edited != null);
        }
        try {
            Snapshot dl = deadLetters.browse(id, m -> m == null ? null : Snapshot.of(m));
            if (dl == null) {
                return null;
            }
            return run(dl, edited, user, why);
        } finally {
            inProgress.remove(id);
        }
    }

    private Map<String, Object> run(Snapshot dl, byte[] edited, String user, String why) {
        OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
        Exchange ex = new DefaultExchange(camel);
        ex.setProperty(REPLAY_OF, dl.id);
        ex.getMessage().getHeaders().putAll(dl.headers);
        ex.getMessage().setBody(edited != null ? edited : dl.body);
        template.send("direct:ops-replay", ex);

        Outcome outcome;
        ReasonCode reason = null;
        String detail;
        String messageId = ex.getMessage().getHeader(HubHeaders.MESSAGE_ID, String.class);
        String duplicateOf = ex.getMessage().getHeader(HubHeaders.DUPLICATE_OF, String.class);
        Throwable failure = ex.getException() != null ? ex.getException() : ex.getProperty(FAILED_AGAIN, Throwable.class);
        if (failure != null) {
            HubException hub = Failures.cause(failure, HubException.class);
            reason = hub != null ? hub.reason() : ReasonCode.INTERNAL_ERROR;
            outcome = Outcome.FAILED;
            detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        } else if (ex.getProperty(REQUEUED_AS) != null) {
            outcome = Outcome.REQUEUED;
            detail = "put back into the channel as " + ex.getProperty(REQUEUED_AS) + "; its outcome follows in the channel's own way";
        } else if (duplicateOf != null) {
            outcome = Outcome.DUPLICATE;
            detail = "already accepted as " + duplicateOf + "; not delivered again";
        } else {
            outcome = Outcome.ACCEPTED;
            detail = "accepted as " + messageId;
        }
        boolean taken = false;
        if (outcome != Outcome.FAILED) {
            // the dead letter has done its work: taken off the queue together with the audit entry
            taken = take(dl.id, user, outcome, detail, edited, why);
        } else {
            audit.record(user, "dead-letter-replay", dl.id, "FAILED", reason + ": " + detail + auditNote(edited, why));
        }
        journalReplay(dl, messageId, started, user, outcome, reason, detail);
        io.micrometer.core.instrument.Metrics.globalRegistry.counter("hub.replays", "channel", String.valueOf(dl.headers.get(HubHeaders.CHANNEL)),
                "outcome", outcome.name().toLowerCase()).increment();
        Map<String, Object> r = result(dl.id, dl.journalId(), messageId, outcome, duplicateOf, reason, detail, edited != null);
        r.put("channel", dl.headers.get(HubHeaders.CHANNEL));
        if (ex.getProperty(REQUEUED_AS) != null) {
            r.put("requeuedAs", ex.getProperty(REQUEUED_AS));
        }
        if (outcome != Outcome.FAILED) {
            r.put("deadLetterRemoved", taken);
        }
        return r;
    }

    /** Bulk replay of the given dead letters, one after the other at the configured rate. */
    public List<Map<String, Object>> replayAll(List<String> ids, String user, String why) {
        List<Map<String, Object>> results = new ArrayList<>(ids.size());
        long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
        long next = System.nanoTime();
        for (String id : ids) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    results.add(result(id, null, null, Outcome.FAILED, null, ReasonCode.INTERNAL_ERROR, "interrupted; not replayed", false));
                    break;
                }
            }
            next = Math.max(next, System.nanoTime()) + intervalNanos;
            Map<String, Object> r = replay(id, null, user, why);
            results.add(r != null ? r : result(id, null, null, Outcome.FAILED, null, ReasonCode.UNKNOWN_DEAD_LETTER,
                    "no longer on the queue (replayed or discarded since it was listed)", false));
        }
        return results;
    }

    private boolean take(String id, String user, Outcome outcome, String detail, byte[] edited, String why) {
        Boolean taken = deadLetters.take(id, m -> {
            audit.record(user, "dead-letter-replay", id, outcome.name(), detail + auditNote(edited, why)
                    + (m == null ? " (the dead letter had already left the queue)" : ""));
            return m != null;
        });
        return Boolean.TRUE.equals(taken);
    }

    private static String auditNote(byte[] edited, String why) {
        return (edited == null ? "" : "; body edited (" + edited.length + " bytes, sha256 " + Hashes.sha256Hex(edited).substring(0, 16) + ")")
                + (why == null || why.isBlank() ? "" : "; why: " + why.strip());
    }

    private void journalReplay(Snapshot dl, String messageId, OffsetDateTime at, String user, Outcome outcome, ReasonCode reason,
            String detail) {
        String destination = "replay:" + dl.id + "@" + STAMP.format(at);
        List<JournalEvent> events = new ArrayList<>(2);
        for (String id : new java.util.LinkedHashSet<>(java.util.Arrays.asList(dl.journalId(), messageId))) {
            if (id != null) {
                events.add(new JournalEvent(id, JournalEvent.Kind.REPLAYED, destination, at, dl.headers.getOrDefault(HubHeaders.MESSAGE_TYPE, null) == null
                        ? null : dl.headers.get(HubHeaders.MESSAGE_TYPE).toString(), str(dl.headers.get(HubHeaders.CHANNEL)),
                        str(dl.headers.get(HubHeaders.PARTNER)), str(dl.headers.get(HubHeaders.SOURCE_REF)), str(dl.headers.get(HubHeaders.CORRELATION_ID)),
                        null, null, reason == null ? null : reason.name(), outcome + " by " + user + ": " + detail));
            }
        }
        journal.recordNow(events);
    }

    private static Map<String, Object> result(String id, String journalId, String messageId, Outcome outcome, String duplicateOf,
            ReasonCode reason, String detail, boolean edited) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("outcome", outcome.name());
        if (messageId != null) {
            r.put("messageId", messageId);
        }
        if (journalId != null && !journalId.equals(messageId)) {
            r.put("deadLetterMessageId", journalId);
        }
        if (duplicateOf != null) {
            r.put("duplicateOf", duplicateOf);
        }
        if (reason != null) {
            r.put("reasonCode", reason.name());
            r.put("action", reason.action());
        }
        r.put("detail", detail);
        r.put("edited", edited);
        return r;
    }

    // ---- steps of route ops-replay and of shared-dead-letter ----

    /** Predicate: an EDI transaction's dead letter (its body the JSON record with the mapping input under 'segments'). */
    public boolean isEdiTransaction(Exchange exchange) {
        return "edi".equals(exchange.getMessage().getHeader(HubHeaders.CHANNEL)) && ediRecord(exchange) != null;
    }

    /** Step {@code replay-edi-mapping-input}: the (corrected) mapping input of the EDI transaction. */
    public void ediMappingInput(Exchange exchange) {
        exchange.getMessage().setBody(ediRecord(exchange).get("segments"));
    }

    private static JsonNode ediRecord(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        try {
            JsonNode record = body == null ? null : CanonicalJson.mapper().readTree(body);
            return record != null && record.path("segments").isObject() ? record : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /**
     * Step {@code replay-canonical-record}: a record that failed dispatch goes back onto its topic once it is a valid
     * canonical message (dispatch's Artemis duplicate detection keeps the work queue from holding it twice).
     */
    public void canonicalRecord(Exchange exchange) {
        org.apache.camel.Message m = exchange.getMessage();
        byte[] body = m.getBody(byte[].class);
        JsonNode env;
        try {
            env = body == null ? null : CanonicalJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new HubException(ReasonCode.MALFORMED_INPUT, "the record is not JSON: " + e.getMessage(), e);
        }
        CanonicalType type = env == null ? null : CanonicalType.fromWireName(env.path("type").asText()).orElse(null);
        if (type == null || !env.path("messageId").isTextual()) {
            throw new HubException(ReasonCode.POISON_RECORD, "the record is not a canonical message (no messageId or an unknown type)");
        }
        List<FieldError> errors = schemas.validate(type, env);
        if (!errors.isEmpty()) {
            throw new HubException(ReasonCode.INVALID_INPUT, "the record breaks the " + type.wireName() + " schema", errors, null);
        }
        String topic = m.getHeader(HubHeaders.ORIGINAL_TOPIC, String.class);
        if (topic == null) {
            throw new HubException(ReasonCode.REPLAY_NOT_POSSIBLE, "the dead letter does not say which topic the record came from");
        }
        m.getHeaders().clear();
        m.setHeader(HubHeaders.MESSAGE_ID, env.get("messageId").asText());
        m.setHeader(HubHeaders.MESSAGE_TYPE, type.wireName());
        m.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
        m.setHeader(KafkaConstants.KEY, CanonicalStage.businessKey((com.fasterxml.jackson.databind.node.ObjectNode) env));
    }

    /**
     * Step {@code replay-to-folder}: inputs that are files go back into their channel's in/ folder under a new name
     * ({@code replay-<time>-<name>}) — a phone row as a one-row export with its file's header row, a refused phone
     * export or EDI file whole. The channel then treats it as any drop (receipt, 997/CONTRL, duplicate checks).
     */
    public void requeue(Exchange exchange) throws IOException {
        org.apache.camel.Message m = exchange.getMessage();
        String channel = m.getHeader(HubHeaders.CHANNEL, String.class);
        String name = plainName(m.getHeader(HubHeaders.FILE_NAME, String.class));
        byte[] body = m.getBody(byte[].class);
        Path folder;
        byte[] content;
        if ("phone".equals(channel)) {
            folder = phoneIn;
            String header = m.getHeader(HubHeaders.HEADER_ROW, String.class);
            if (m.getHeader(HubHeaders.LINE) != null) {
                String row = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8).stripTrailing();
                content = ((header == null ? "" : header.stripTrailing() + "\r\n") + row + "\r\n").getBytes(StandardCharsets.UTF_8);
            } else {
                content = original(m, body);
            }
        } else if ("edi".equals(channel)) {
            String partner = m.getHeader(HubHeaders.PARTNER, String.class);
            if (partner == null || !PARTNER.matcher(partner).matches() || !Files.isDirectory(ediRoot.resolve(partner))) {
                throw new HubException(ReasonCode.REPLAY_NOT_POSSIBLE, "the EDI file came from no known partner's folder ("
                        + partner + "); it cannot be put back (have the partner send it again once the profile is right)");
            }
            folder = ediRoot.resolve(partner).resolve("in");
            content = original(m, body);
        } else {
            throw new HubException(ReasonCode.REPLAY_NOT_POSSIBLE, "a dead letter of channel '" + channel + "' has no way back into it");
        }
        String target = "replay-" + STAMP.format(Instant.now()) + "-" + name;
        Files.createDirectories(folder);
        Path tmp = folder.resolve(target + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, folder.resolve(target), StandardCopyOption.ATOMIC_MOVE);
        exchange.setProperty(REQUEUED_AS, channel + ":" + target);
    }

    private static byte[] original(org.apache.camel.Message m, byte[] body) throws IOException {
        if (body != null && body.length > 0) {
            return body;
        }
        String kept = m.getHeader(DeadLetters.ORIGINAL_FILE, String.class);
        if (kept != null && Files.isRegularFile(Path.of(kept))) {
            return Files.readAllBytes(Path.of(kept));
        }
        throw new HubException(ReasonCode.REPLAY_NOT_POSSIBLE, "the dead letter holds no bytes and the original file is no longer where it was kept ("
                + kept + ")");
    }

    private static String plainName(String name) {
        // a replay of a replay keeps one prefix: replay-<time>-<original name>
        String plain = name == null ? "input" : UNSAFE_IN_NAME.matcher(REPLAY_PREFIX.matcher(name).replaceFirst("")).replaceAll("_");
        return plain.length() > 120 ? plain.substring(plain.length() - 120) : plain;
    }

    /** Step {@code replay-failure} of shared-dead-letter: a replay that failed again is reported, not dead-lettered twice. */
    public void failedAgain(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.setProperty(FAILED_AGAIN, failure != null ? failure : new HubException(ReasonCode.INTERNAL_ERROR, "failed again"));
        exchange.setProperty(DeadLetters.DEAD_LETTERED, Boolean.TRUE);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** A dead letter as browsed; {@code journalId} is the id it is journaled under (as DeadLetters.journal names it). */
    private record Snapshot(String id, byte[] body, Map<String, Object> headers, String journalId) {

        static Snapshot of(Message m) throws JMSException {
            Map<String, Object> headers = new LinkedHashMap<>();
            for (Object n : Collections.list(m.getPropertyNames())) {
                String name = n.toString();
                if (name.startsWith(HubHeaders.PREFIX) && !FAILURE_HEADERS.contains(name)) {
                    headers.put(name, m.getObjectProperty(name));
                }
            }
            // the journal id is the dead letter's own (not carried into the replayed input with the other headers)
            String journalId = m.getStringProperty(HubHeaders.JOURNAL_ID);
            if (journalId == null) {
                journalId = m.getStringProperty(HubHeaders.MESSAGE_ID);
            }
            return new Snapshot(m.getJMSMessageID(), DeadLetterQueue.body(m), headers, journalId);
        }

    }
}
