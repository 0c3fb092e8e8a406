package io.intakehub.ops;

import io.intakehub.config.HubHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.intakehub.ingest.web.Problems;
import io.intakehub.shared.ReasonCode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dead-letter queue as the IT team reads it: list with filters (channel, reason,
 * partner, route, time) and one dead letter in full — original bytes, decoded text, every header and the reason
 * code's explanation (what it means, what to do). Reading only browses: nothing is taken off the queue.
 */
@RestController
@RequestMapping("/ops/v1/dead-letters")
public class DeadLetterController {

    private static final com.google.re2j.Pattern NOT_JMS_ID = com.google.re2j.Pattern.compile("[^A-Za-z0-9:._-]");

    private static final int MAX_LIST = 1000;

    private final JmsTemplate jms;
    private final DeadLetterQueue deadLetters;
    private final String queue;
    private final OpsAudit audit;
    private final Replays replays;

    public DeadLetterController(JmsTemplate jms, DeadLetterQueue deadLetters, OpsAudit audit, Replays replays) {
        this.jms = jms;
        this.deadLetters = deadLetters;
        this.queue = deadLetters.name();
        this.audit = audit;
        this.replays = replays;
    }

    /**
     * Discards one dead letter (operators only), with the reason why: it is taken off the queue and the audit
     * trail keeps who, when, which (with its reason code and message id) and why. Taking it and writing the audit
     * are one JMS transaction: if the audit cannot be written, the dead letter stays.
     */
    @org.springframework.web.bind.annotation.PostMapping("/discard")
    public ResponseEntity<Object> discard(@RequestParam("id") String id, @RequestParam(name = "reason", required = false) String why,
            HttpServletRequest request) {
        if (why == null || why.isBlank() || why.length() > 500) {
            return Problems.entity(HttpStatus.BAD_REQUEST, ReasonCode.REASON_REQUIRED, "say why in 'reason' (1 to 500 characters)",
                    request.getRequestURI(), null, new HttpHeaders());
        }
        if (!DeadLetterQueue.isId(id)) {
            return notFound(id, request);
        }
        OpsUsers.User user = (OpsUsers.User) request.getAttribute(OpsGuardFilter.USER);
        Map<String, Object> taken = deadLetters.take(id, m -> {
            if (m == null) {
                return null;
            }
            Map<String, Object> s = summary(m);
            audit.record(user.name(), "dead-letter-discard", id, "OK", why.strip() + " [" + s.get("reasonCode") + ", message "
                    + s.get("messageId") + ", " + s.get("channel") + "]");
            return s;
        });
        if (taken == null) {
            return notFound(id, request);
        }
        taken.put("discarded", true);
        taken.put("by", user.name());
        taken.put("why", why.strip());
        return ResponseEntity.ok(taken);
    }

    /**
     * Replays one dead letter (operators only) — as it is, or with the request body as its corrected body — through
     * its channel and the duplicate guard. 200 with the outcome (ACCEPTED, DUPLICATE, REQUEUED; the dead letter is then
     * off the queue) or FAILED with the reason (it stays); 404 when there is no such dead letter.
     */
    @org.springframework.web.bind.annotation.PostMapping("/replay")
    public ResponseEntity<Object> replay(@RequestParam("id") String id, @RequestParam(name = "reason", required = false) String why,
            @org.springframework.web.bind.annotation.RequestBody(required = false) byte[] edited, HttpServletRequest request) {
        if (!DeadLetterQueue.isId(id)) {
            return notFound(id, request);
        }
        OpsUsers.User user = (OpsUsers.User) request.getAttribute(OpsGuardFilter.USER);
        Map<String, Object> result = replays.replay(id, edited == null || edited.length == 0 ? null : edited, user.name(), why);
        return result == null ? notFound(id, request) : ResponseEntity.ok(result);
    }

    /**
     * Replays the dead letters a filter selects (the list's filters; {@code max} of them, at most
     * {@code hub.ops.replay.bulk-max}), one after the other at {@code hub.ops.replay.rate-per-second}, with a result
     * per dead letter and the totals by outcome.
     */
    @org.springframework.web.bind.annotation.PostMapping("/replay-bulk")
    public ResponseEntity<Object> replayBulk(@org.springframework.web.bind.annotation.ModelAttribute Filter filter,
            @RequestParam(name = "max", defaultValue = "100") int max,
            @RequestParam(name = "why", required = false) String why, HttpServletRequest request) {
        OpsUsers.User user = (OpsUsers.User) request.getAttribute(OpsGuardFilter.USER);
        int limit = Math.max(1, Math.min(replays.bulkMax(), max));
        List<String> ids = new ArrayList<>();
        for (Object d : (List<?>) list(filter, limit).get("deadLetters")) {
            ids.add((String) ((Map<?, ?>) d).get("id"));
        }
        List<Map<String, Object>> results = replays.replayAll(ids, user.name(), why);
        Map<String, Object> totals = new TreeMap<>();
        results.forEach(r -> totals.merge((String) r.get("outcome"), 1, (a, b) -> (Integer) a + (Integer) b));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("selected", ids.size());
        out.put("ratePerSecond", replays.ratePerSecond());
        out.put("totals", totals);
        out.put("results", results);
        return ResponseEntity.ok(out);
    }

    /** Which dead letters: by the headers each carries (all optional) and the time it was dead-lettered. */
    public record Filter(String channel, String reason, String partner, String route, String file, OffsetDateTime since,
            OffsetDateTime until) {}

    @GetMapping
    public Map<String, Object> list(@org.springframework.web.bind.annotation.ModelAttribute Filter filter,
            @RequestParam(name = "limit", defaultValue = "100") int limit) {
        StringBuilder selector = new StringBuilder();
        and(selector, "HubChannel", filter.channel());
        and(selector, "HubReasonCode", filter.reason());
        and(selector, "HubPartner", filter.partner());
        and(selector, "HubRouteId", filter.route());
        and(selector, "HubFileName", filter.file());
        OffsetDateTime since = filter.since();
        OffsetDateTime until = filter.until();
        int max = Math.max(1, Math.min(MAX_LIST, limit));
        List<Map<String, Object>> found = new ArrayList<>();
        int[] matching = {0};
        jms.browseSelected(queue, selector.length() == 0 ? null : selector.toString(), (session, browser) -> {
            var e = browser.getEnumeration();
            while (e.hasMoreElements()) {
                Message m = (Message) e.nextElement();
                OffsetDateTime at = at(m);
                if ((since != null && (at == null || at.isBefore(since))) || (until != null && (at == null || at.isAfter(until)))) {
                    continue;
                }
                matching[0]++;
                if (found.size() < max) {
                    found.add(summary(m));
                }
            }
            return null;
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queue", queue);
        out.put("matching", matching[0]);
        out.put("shown", found.size());
        out.put("deadLetters", found);
        return out;
    }

    @GetMapping("/one")
    public ResponseEntity<Object> one(@RequestParam("id") String id, HttpServletRequest request) {
        if (!DeadLetterQueue.isId(id)) {
            return notFound(id, request);
        }
        Map<String, Object> detail = deadLetters.browse(id, m -> m == null ? null : detail(m));
        return detail == null ? notFound(id, request) : ResponseEntity.ok(detail);
    }

    private static Map<String, Object> summary(Message m) throws JMSException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", m.getJMSMessageID());
        s.put("deadLetteredAt", m.getStringProperty("HubDeadLetteredAt"));
        for (String h : List.of(HubHeaders.CHANNEL, HubHeaders.PARTNER, HubHeaders.ROUTE_ID, HubHeaders.REASON_CODE, HubHeaders.SOURCE_REF,
                HubHeaders.MESSAGE_ID, HubHeaders.FILE_NAME, HubHeaders.JOURNAL_ID, HubHeaders.INPUT_SHA256)) {
            String v = m.getStringProperty(h);
            if (v != null) {
                s.put(h.substring(3, 4).toLowerCase() + h.substring(4), v);
            }
        }
        s.put("reasonText", m.getStringProperty("HubReasonText"));
        return s;
    }

    private static Map<String, Object> detail(Message m) throws JMSException {
        Map<String, Object> d = summary(m);
        String code = m.getStringProperty("HubReasonCode");
        try {
            ReasonCode rc = ReasonCode.valueOf(code);
            Map<String, Object> why = new LinkedHashMap<>();
            why.put("meaning", rc.meaning());
            why.put("action", rc.action());
            d.put("explanation", why);
        } catch (IllegalArgumentException | NullPointerException unknown) {
            d.put("explanation", Map.of("meaning", "reason code '" + code + "' is not one of this hub's"));
        }
        Map<String, Object> headers = new TreeMap<>();
        for (Object name : Collections.list(m.getPropertyNames())) {
            headers.put(name.toString(), String.valueOf(m.getObjectProperty(name.toString())));
        }
        d.put("headers", headers);
        byte[] body = DeadLetterQueue.body(m);
        d.put("size", body.length);
        d.put("bodyBase64", Base64.getEncoder().encodeToString(body));
        try {
            d.put("text", StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException notUtf8) {
            d.put("text", null);
            d.put("textNote", "the original bytes are not UTF-8 (e.g. GBK or binary): see bodyBase64");
        }
        return d;
    }

    private static OffsetDateTime at(Message m) throws JMSException {
        String at = m.getStringProperty("HubDeadLetteredAt");
        try {
            return at == null ? null : OffsetDateTime.parse(at);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static void and(StringBuilder selector, String header, String value) {
        if (value != null && !value.isBlank()) {
            if (selector.length() > 0) {
                selector.append(" AND ");
            }
            selector.append(header).append(" = '").append(value.replace("'", "''")).append('\'');
        }
    }

    private static ResponseEntity<Object> notFound(String id, HttpServletRequest request) {
        return Problems.entity(HttpStatus.NOT_FOUND, ReasonCode.UNKNOWN_DEAD_LETTER, "no dead letter '" + NOT_JMS_ID.matcher(id).replaceAll("?")
                + "' on the queue", request.getRequestURI(), null, new HttpHeaders());
    }
}
