package io.intakehub.ops;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.intakehub.ingest.web.Problems;
import io.intakehub.shared.ReasonCode;
import io.intakehub.store.Journal;
import io.intakehub.store.JournalEvent;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Message search: {@code GET /ops/v1/messages?q=…[&by=…]} finds messages by tracking id, order
 * number, case number, customer, partner, file name, email Message-ID or EDI control number, follows the
 * duplicate-of links both ways, and answers with one timeline across channels — received, accepted, duplicate-of,
 * receipt sent (the email acknowledgement, the 997/999/CONTRL), dispatched, dead-lettered, replayed — oldest first.
 * Everything comes from the store (journal, email cases and replies, EDI interchanges and acknowledgements), so any
 * instance answers for the whole hub.
 */
@RestController
@RequestMapping("/ops/v1/messages")
public class MessageSearchController {

    private static final com.google.re2j.Pattern ANGLE_BRACKETS = com.google.re2j.Pattern.compile("^<|>$");

    /** What a query can be taken as; {@code auto} tries them all. */
    enum By { AUTO, TRACKING, ORDER, CASE, CUSTOMER, PARTNER, FILE, MAIL, CONTROL }

    private static final int MAX_MESSAGES = 50;

    private final JdbcTemplate jdbc;
    private final Journal journal;

    public MessageSearchController(JdbcTemplate jdbc, Journal journal) {
        this.jdbc = jdbc;
        this.journal = journal;
    }

    @GetMapping
    public ResponseEntity<Object> search(@RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "by", defaultValue = "auto") String byName, HttpServletRequest request) {
        By by;
        try {
            by = By.valueOf(byName.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            by = null;
        }
        if (q == null || q.isBlank() || q.length() > 512 || by == null) {
            return Problems.entity(HttpStatus.BAD_REQUEST, ReasonCode.MALFORMED_INPUT, "give 'q' (1 to 512 characters) and, optionally, 'by' = "
                    + java.util.Arrays.stream(By.values()).map(b -> b.name().toLowerCase()).toList(), request.getRequestURI(), null, new HttpHeaders());
        }
        String term = q.strip();
        Set<String> found = new LinkedHashSet<>();
        for (By b : by == By.AUTO ? List.of(By.values()).subList(1, By.values().length) : List.of(by)) {
            found.addAll(find(b, term));
        }
        Set<String> ids = linked(found);

        List<Map<String, Object>> messages = new ArrayList<>();
        List<JournalEvent> all = new ArrayList<>();
        for (String id : ids) {
            List<JournalEvent> events = new ArrayList<>(journal.history(id));
            events.addAll(receipts(id, events));
            if (events.isEmpty()) {
                continue;
            }
            messages.add(summary(id, events));
            all.addAll(events);
        }
        all.sort(Comparator.comparing(JournalEvent::at));
        List<Map<String, Object>> timeline = all.stream().map(MessageSearchController::hop).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("query", term);
        out.put("by", by.name().toLowerCase());
        out.put("messages", messages);
        out.put("timeline", timeline);
        return ResponseEntity.ok(out);
    }

    private List<String> find(By by, String q) {
        String sql = switch (by) {
            case TRACKING -> "select distinct message_id from journal_event where message_id = ?";
            case ORDER -> "select distinct message_id from journal_event where business_key = ?";
            case CASE -> "select message_id from email_case where case_number = ?";
            case CUSTOMER -> "select message_id from journal_event where customer_id = ? group by message_id order by max(at) desc";
            case PARTNER -> "select message_id from journal_event where partner = ? group by message_id order by max(at) desc";
            case FILE -> """
                    select distinct message_id from journal_event where source_ref = 'file:' || ? or source_ref like 'file:' || ? || '#%'
                      or source_ref like 'file:replay-%-' || ? || '#%' or source_ref like 'file:%/' || ?
                    union select distinct message_id from journal_event where event = 'RECEIVED'
                      and (destination = 'file:' || ? or destination like 'file:replay-%-' || ?)
                    union select distinct j.message_id from edi_interchange i join journal_event j on j.source_ref like i.interchange || '/%'
                      where i.file_name = ? or i.file_name like '%/' || ?""";
            case MAIL -> "select message_id from email_case where mail_message_id in (?, ?, ?) "
                    + "union select distinct message_id from journal_event where channel = 'email' and source_ref in (?, ?, ?)";
            case CONTROL -> "select distinct message_id from journal_event where channel = 'edi' and (source_ref like '%/' || ? || '/%' "
                    + "or source_ref like '%/' || ?)";
            case AUTO -> throw new IllegalArgumentException();
        };
        Object[] args = switch (by) {
            case FILE -> new Object[] {q, likeSafe(q), likeSafe(q), likeSafe(q), q, likeSafe(q), q, likeSafe(q)};
            case MAIL -> {
                String bare = ANGLE_BRACKETS.matcher(q).replaceAll("");
                yield new Object[] {bare, "<" + bare + ">", q, bare, "<" + bare + ">", q};
            }
            case CONTROL -> new Object[] {likeSafe(q), likeSafe(q)};
            default -> new Object[] {q};
        };
        return jdbc.queryForList(sql + " limit " + MAX_MESSAGES, String.class, args);
    }

    /** A term used inside LIKE: its wildcards taken literally would widen the search, so they are refused. */
    private static String likeSafe(String q) {
        return q.replace("%", "").replace("_", "");
    }

    /** The found messages with what they are linked to: the first of a duplicate, and the duplicates of a first. */
    private Set<String> linked(Set<String> found) {
        Set<String> all = new LinkedHashSet<>(found);
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(found);
        while (!todo.isEmpty() && all.size() < MAX_MESSAGES) {
            String id = todo.poll();
            List<String> links = new ArrayList<>();
            links.addAll(jdbc.queryForList("select substring(destination, 14) from journal_event where message_id = ? and event = 'DUPLICATE'",
                    String.class, id));
            links.addAll(jdbc.queryForList("select distinct message_id from journal_event where destination = ?", String.class,
                    "duplicate-of:" + id));
            // a replayed dead letter journaled under another id (an EDI transaction has its message id only once mapped)
            links.addAll(jdbc.queryForList("select distinct message_id from journal_event where event = 'REPLAYED' and destination in "
                    + "(select destination from journal_event where message_id = ? and event = 'REPLAYED')", String.class, id));
            for (String l : links) {
                if (all.size() < MAX_MESSAGES && all.add(l)) {
                    todo.add(l);
                }
            }
        }
        return all;
    }

    /** The receipts the sender got, from the store: the email acknowledgement, the EDI 997/999/CONTRL. */
    private List<JournalEvent> receipts(String id, List<JournalEvent> events) {
        List<JournalEvent> out = new ArrayList<>();
        JournalEvent any = events.isEmpty() ? null : events.get(0);
        for (Map<String, Object> r : jdbc.queryForList("select recipient, reply_message_id, sent_at from email_reply where message_id = ?", id)) {
            out.add(new JournalEvent(id, JournalEvent.Kind.RECEIPT_SENT, "email:" + r.get("recipient"), at(r.get("sent_at")),
                    any == null ? null : any.messageType(), "email", null, any == null ? null : any.sourceRef(), null, null, null, null,
                    "acknowledgement " + r.get("reply_message_id")));
        }
        String ref = any == null ? null : any.sourceRef();
        if (any != null && "edi".equals(any.channel()) && ref != null && ref.chars().filter(c -> c == '/').count() >= 3) {
            String interchange = ref.substring(0, ref.lastIndexOf('/', ref.lastIndexOf('/') - 1));
            for (Map<String, Object> r : jdbc.queryForList(
                    "select doc_type, file_name, sent_at from edi_outbound where acknowledges = ? and partner = ?", interchange, any.partner())) {
                out.add(new JournalEvent(id, JournalEvent.Kind.RECEIPT_SENT, "edi:" + r.get("doc_type"), at(r.get("sent_at")),
                        any.messageType(), "edi", any.partner(), ref, null, null, null, null,
                        r.get("doc_type") + " for interchange " + interchange + " in " + r.get("file_name")));
            }
        }
        return out;
    }

    private static OffsetDateTime at(Object ts) {
        return ts instanceof Timestamp t ? OffsetDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC)
                : ts instanceof OffsetDateTime o ? o : OffsetDateTime.parse(ts.toString());
    }

    private static Map<String, Object> summary(String id, List<JournalEvent> events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", id);
        m.put("status", JournalEvent.status(events).name());
        put(m, "type", events.stream().map(JournalEvent::messageType));
        put(m, "channel", events.stream().map(JournalEvent::channel));
        put(m, "partner", events.stream().map(JournalEvent::partner));
        put(m, "sourceReference", events.stream().map(JournalEvent::sourceRef));
        put(m, "customerId", events.stream().map(JournalEvent::customerId));
        put(m, "businessKey", events.stream().map(JournalEvent::businessKey));
        events.stream().filter(e -> e.event() == JournalEvent.Kind.DUPLICATE).findFirst()
                .ifPresent(e -> m.put("duplicateOf", e.destination().substring("duplicate-of:".length())));
        return m;
    }

    private static void put(Map<String, Object> m, String key, java.util.stream.Stream<String> values) {
        values.filter(v -> v != null && !v.isEmpty()).findFirst().ifPresent(v -> m.put(key, v));
    }

    private static Map<String, Object> hop(JournalEvent e) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("at", e.at().withOffsetSameInstant(ZoneOffset.UTC).toString());
        h.put("event", e.event().name());
        h.put("messageId", e.messageId());
        if (e.channel() != null) {
            h.put("channel", e.channel());
        }
        if (!e.destination().isEmpty()) {
            h.put("destination", e.destination());
        }
        if (e.reasonCode() != null) {
            h.put("reasonCode", e.reasonCode());
        }
        if (e.detail() != null) {
            h.put("detail", e.detail());
        }
        return h;
    }
}
