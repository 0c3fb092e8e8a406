package io.intakehub.ops;

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

import io.intakehub.config.HubProperties;
import io.intakehub.ingest.web.Problems;
import io.intakehub.shared.ReasonCode;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
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
 * The dead-letter queue as the IT team reads it (issue 7, the reading half): list with filters (channel, reason,
 * partner, route, time) and one dead letter in full — original bytes, decoded text, every header and the reason
 * code's explanation (what it means, what to do). Reading only browses: nothing is taken off the queue.
 */
@RestController
@RequestMapping("/ops/v1/dead-letters")
public class DeadLetterController {

    private static final int MAX_LIST = 1000;

    private final JmsTemplate jms;
    private final String queue;
    private final OpsAudit audit;
    /** Transacted sessions: a discard takes the message and writes the audit, or does neither. */
    private final JmsTemplate transacted;

    public DeadLetterController(JmsTemplate jms, HubProperties props, OpsAudit audit) {
        this.jms = jms;
        this.transacted = new JmsTemplate(jms.getConnectionFactory());
        this.transacted.setSessionTransacted(true);
        this.queue = props.getQueues().getDeadLetters();
        this.audit = audit;
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
        if (!id.matches("[A-Za-z0-9:._-]{1,200}")) {
            return notFound(id, request);
        }
        OpsUsers.User user = (OpsUsers.User) request.getAttribute(OpsGuardFilter.USER);
        Map<String, Object> taken = transacted.execute(session -> {
            try (jakarta.jms.MessageConsumer consumer = session.createConsumer(session.createQueue(queue), "JMSMessageID = '" + id + "'")) {
                Message m = consumer.receive(2000);
                if (m == null) {
                    return null;
                }
                Map<String, Object> s = summary(m);
                audit.record(user.name(), "dead-letter-discard", id, "OK", why.strip() + " [" + s.get("reasonCode") + ", message "
                        + s.get("messageId") + ", " + s.get("channel") + "]");
                session.commit();
                return s;
            } catch (RuntimeException | JMSException e) {
                session.rollback();
                throw e;
            }
        }, true);
        if (taken == null) {
            return notFound(id, request);
        }
        taken.put("discarded", true);
        taken.put("by", user.name());
        taken.put("why", why.strip());
        return ResponseEntity.ok(taken);
    }

    @GetMapping
    public Map<String, Object> list(@RequestParam(name = "channel", required = false) String channel,
            @RequestParam(name = "reason", required = false) String reason,
            @RequestParam(name = "partner", required = false) String partner,
            @RequestParam(name = "route", required = false) String route,
            @RequestParam(name = "since", required = false) OffsetDateTime since,
            @RequestParam(name = "until", required = false) OffsetDateTime until,
            @RequestParam(name = "limit", defaultValue = "100") int limit) {
        StringBuilder selector = new StringBuilder();
        and(selector, "HubChannel", channel);
        and(selector, "HubReasonCode", reason);
        and(selector, "HubPartner", partner);
        and(selector, "HubRouteId", route);
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
        if (!id.matches("[A-Za-z0-9:._-]{1,200}")) {
            return notFound(id, request);
        }
        Map<String, Object> detail = jms.browseSelected(queue, "JMSMessageID = '" + id + "'", (session, browser) -> {
            var e = browser.getEnumeration();
            return e.hasMoreElements() ? detail((Message) e.nextElement()) : null;
        });
        return detail == null ? notFound(id, request) : ResponseEntity.ok(detail);
    }

    private static Map<String, Object> summary(Message m) throws JMSException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", m.getJMSMessageID());
        s.put("deadLetteredAt", m.getStringProperty("HubDeadLetteredAt"));
        for (String h : List.of("HubChannel", "HubPartner", "HubRouteId", "HubReasonCode", "HubSourceRef", "HubMessageId", "HubFileName")) {
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
        byte[] body = body(m);
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

    private static byte[] body(Message m) throws JMSException {
        if (m instanceof BytesMessage b) {
            b.reset();
            byte[] data = new byte[(int) b.getBodyLength()];
            b.readBytes(data);
            return data;
        }
        if (m instanceof TextMessage t && t.getText() != null) {
            return t.getText().getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
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
        return Problems.entity(HttpStatus.NOT_FOUND, ReasonCode.UNKNOWN_DEAD_LETTER, "no dead letter '" + id.replaceAll("[^A-Za-z0-9:._-]", "?")
                + "' on the queue", request.getRequestURI(), null, new HttpHeaders());
    }
}
