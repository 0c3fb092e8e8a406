package io.intakehub.ingest.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.re2j.Pattern;
import io.intakehub.canonical.MessageIds;
import io.intakehub.config.HubHeaders;
import io.intakehub.config.HubProperties;
import io.intakehub.delivery.DeliveryLedger;
import io.intakehub.shared.DeadLetters;
import io.intakehub.shared.Failures;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import io.intakehub.store.IdempotencyStore;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP edge of the web channel: {@code POST /api/v1/orders|complaints|registrations}. It checks
 * what only HTTP can (media type, size, idempotency), then hands the raw bytes to route
 * {@code ingest-web} with an allow-listed set of headers it builds itself: no request header, query
 * parameter or form field ever becomes a Camel or {@code Hub*} header.
 */
@RestController
@RequestMapping("/api/v1")
public class WebIntakeController {

    private static final Logger LOG = LoggerFactory.getLogger(WebIntakeController.class);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final String ROUTE = "direct:ingest-web";
    static final String MAPPING_FORMAT = "web-form";
    /** A reservation older than any send can take (delivery timeout plus margin) is a crashed attempt's. */
    static final java.time.Duration STALE_RESERVATION = java.time.Duration.ofMinutes(2);

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final IdempotencyStore idempotency;
    private final HubProperties props;
    private final io.intakehub.rules.RulesStage rules;
    private final DeliveryLedger ledger;
    private final io.intakehub.shared.InputBudget budget;
    /** Route {@code ingest-web}'s endpoint, looked up once: by URI on every post it was parsed and resolved again. */
    private final org.apache.camel.Endpoint route;

    public WebIntakeController(CamelContext camel, ProducerTemplate producer, IdempotencyStore idempotency,
            HubProperties props, io.intakehub.rules.RulesStage rules, DeliveryLedger ledger, io.intakehub.shared.InputBudget budget) {
        this.ledger = ledger;
        this.budget = budget;
        this.camel = camel;
        this.route = camel.getEndpoint(ROUTE);
        this.producer = producer;
        this.idempotency = idempotency;
        this.props = props;
        this.rules = rules;
    }

    @PostMapping("/{form}")
    public ResponseEntity<Object> submit(@PathVariable("form") String form, HttpServletRequest request) throws IOException {
        String path = request.getRequestURI();
        String sourceType = props.getWeb().getFormTypes().get(form);
        if (sourceType == null) {
            return ResponseEntity.notFound().build();
        }
        String clientId = (String) request.getAttribute(ApiGuardFilter.CLIENT_ID);
        MediaType mediaType;
        try {
            mediaType = request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType());
        } catch (InvalidMediaTypeException e) {
            mediaType = null;
        }
        String format = formatOf(mediaType);
        if (format == null) {
            HttpHeaders h = new HttpHeaders();
            h.set("Accept-Post", "application/json, application/x-www-form-urlencoded");
            return Problems.entity(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ReasonCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type '" + request.getContentType() + "' is not accepted", path, null, h);
        }
        byte[] body = readBounded(request.getInputStream(), props.getWeb().getMaxBodyBytes());
        if (body == null) {
            HttpHeaders h = new HttpHeaders();
            h.setConnection("close");
            return Problems.entity(HttpStatus.PAYLOAD_TOO_LARGE, ReasonCode.PAYLOAD_TOO_LARGE,
                    "body exceeds the limit of " + props.getWeb().getMaxBodyBytes() + " bytes", path, null, h);
        }

        String key = request.getHeader("Idempotency-Key");
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            return Problems.entity(HttpStatus.BAD_REQUEST, ReasonCode.MALFORMED_INPUT,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters", path, null, new HttpHeaders());
        }
        String scope = "web:" + clientId;
        String requestHash = key == null ? null : hash(form, format, body);
        String reference = key != null ? "idempotency-key:" + key : "request:" + UUID.randomUUID();
        String messageId = MessageIds.of("web", clientId, reference, 0);
        if (key != null) {
            // reserve the key before sending: a concurrent request with it must not send a second copy
            Optional<IdempotencyStore.Entry> holder;
            try {
                holder = idempotency.reserve(scope, key, messageId, requestHash, STALE_RESERVATION);
            } catch (org.springframework.dao.DataAccessException storeDown) {
                return storeUnavailable(storeDown, messageId, path, new HttpHeaders());
            }
            if (holder.isPresent()) {
                return replay(holder.get(), requestHash, sourceType, path);
            }
        }

        String correlation = request.getHeader("X-Correlation-Id");
        if (correlation == null || !CORRELATION_ID.matcher(correlation).matches()) {
            correlation = messageId;
        }
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(HubHeaders.CHANNEL, "web");
        exchange.getMessage().setHeader(HubHeaders.FORMAT, format);
        exchange.getMessage().setHeader(HubHeaders.MAPPING_FORMAT, MAPPING_FORMAT);
        exchange.getMessage().setHeader(HubHeaders.SOURCE_TYPE, sourceType);
        exchange.getMessage().setHeader(HubHeaders.PARTNER, clientId);
        exchange.getMessage().setHeader(HubHeaders.SOURCE_REF, reference);
        exchange.getMessage().setHeader(HubHeaders.MESSAGE_ID, messageId);
        exchange.getMessage().setHeader(HubHeaders.CORRELATION_ID, correlation);
        exchange.getMessage().setHeader(HubHeaders.RECEIVED_AT, OffsetDateTime.now().toString());
        String charset = mediaType.getCharset() == null ? null : mediaType.getCharset().name();
        if (charset == null && mediaType.getParameter("charset") != null) {
            charset = mediaType.getParameter("charset");
        }
        exchange.getMessage().setHeader(Exchange.CHARSET_NAME, charset);
        // with a key, the write stays in the delivery ledger until the key is marked accepted: a crash in between
        // and the client's retry find the message on the topic instead of writing it again
        String ledgerInput = key == null ? null : DeliveryLedger.input("web", messageId);
        exchange.setProperty(DeliveryLedger.INPUT, ledgerInput);

        MDC.put("correlationId", correlation);
        try {
            Exchange done = budget.send(route, exchange.copy());
            if (done == null) {
                timedOut(exchange);
            } else {
                exchange = done;
            }
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            MDC.remove("correlationId");
        }
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Correlation-Id", correlation);
        if (exchange.getException() != null) {
            ledger.abandon(ledgerInput);
            try {
                if (key != null) {
                    idempotency.release(scope, key); // the client's retry may use the key again
                }
                rules.failed(exchange); // and its order number or complaint text too
            } catch (org.springframework.dao.DataAccessException storeDown) {
                // the store is down: the reservation and claims lapse on their own (stale after a while)
                LOG.warn("Could not release the key or claims of {}: {}", messageId, storeDown.toString());
            }
            return failure(exchange.getException(), messageId, path, headers);
        }
        if (key != null) {
            try {
                idempotency.accepted(scope, key);
                ledger.settle(ledgerInput);
            } catch (org.springframework.dao.DataAccessException storeDown) {
                ledger.abandon(ledgerInput);
                // accepted on Kafka all the same; a retry with the key (after the reservation lapses) gets the same id
                LOG.warn("Could not mark key of {} accepted: {}", messageId, storeDown.toString());
            }
        }
        String type = exchange.getMessage().getHeader(HubHeaders.MESSAGE_TYPE, String.class);
        // a duplicate (the same order or complaint came before, by any channel) is taken and journaled, not delivered again
        return accepted(messageId, type, headers, exchange.getMessage().getHeader(HubHeaders.DUPLICATE_OF, String.class));
    }

    /** The post was given up past its time budget: dead-lettered with its bytes, answered as a failure of ours (500). */
    private void timedOut(Exchange exchange) {
        HubException why = budget.timeout("the post");
        LOG.warn("Web request {} not read within {}; dead-lettered as PROCESSING_TIMEOUT",
                exchange.getMessage().getHeader(HubHeaders.MESSAGE_ID), budget.budget());
        try {
            DeadLetters.send(producer, exchange.copy(), why, "ingest-web");
        } catch (Exception e) {
            LOG.error("Could not dead-letter web request {}: {}", exchange.getMessage().getHeader(HubHeaders.MESSAGE_ID), e.toString());
        }
        exchange.setException(why);
    }

    private ResponseEntity<Object> replay(IdempotencyStore.Entry seen, String requestHash, String sourceType, String path) {
        if (!seen.requestHash().equals(requestHash)) {
            return Problems.entity(HttpStatus.UNPROCESSABLE_ENTITY, ReasonCode.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used for a different request (tracking id " + seen.messageId() + ")",
                    path, null, new HttpHeaders());
        }
        if (!seen.accepted()) {
            HttpHeaders h = new HttpHeaders();
            h.set(HttpHeaders.RETRY_AFTER, "1");
            return Problems.entity(HttpStatus.CONFLICT, ReasonCode.IDEMPOTENCY_KEY_IN_USE,
                    "a request with this Idempotency-Key is being processed (tracking id " + seen.messageId() + ")",
                    path, null, h);
        }
        HttpHeaders h = new HttpHeaders();
        h.set("Idempotent-Replayed", "true");
        return accepted(seen.messageId(), sourceType.equals("registration") ? "customer-registration" : sourceType, h, null);
    }

    /**
     * 202 with the tracking id, written here as JSON bytes: the answer to every accepted post, and a generic message
     * converter (type look-ups, a serializer per map entry) had a tenth of the request threads' samples in the B3
     * profile.
     */
    static ResponseEntity<Object> accepted(String messageId, String type, HttpHeaders headers, String duplicateOf) {
        String statusUrl = "/api/v1/intake/" + messageId;
        headers.set(HttpHeaders.LOCATION, statusUrl);
        headers.setContentType(MediaType.APPLICATION_JSON);
        StringBuilder json = new StringBuilder(160).append("{\"trackingId\":");
        quoted(json, messageId).append(",\"type\":");
        quoted(json, type).append(",\"status\":\"").append(duplicateOf == null ? "ACCEPTED" : "DUPLICATE").append("\",\"statusUrl\":");
        quoted(json, statusUrl);
        if (duplicateOf != null) {
            quoted(json.append(",\"duplicateOf\":"), duplicateOf);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).headers(headers).body(json.append('}').toString().getBytes(StandardCharsets.UTF_8));
    }

    private static StringBuilder quoted(StringBuilder json, String value) {
        if (value == null) {
            return json.append("null");
        }
        json.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, json);
        return json.append('"');
    }

    private ResponseEntity<Object> failure(Exception e, String messageId, String path, HttpHeaders headers) {
        HubException hub = Failures.cause(e, HubException.class);
        if (hub != null && hub.reason().isSenderFault()) {
            return Problems.entity(HttpStatus.BAD_REQUEST, hub.reason(), hub.getMessage(), path, hub.errors(), headers);
        }
        RecordTooLargeException tooLarge = Failures.cause(e, RecordTooLargeException.class);
        if (tooLarge != null) {
            return Problems.entity(HttpStatus.PAYLOAD_TOO_LARGE, ReasonCode.PAYLOAD_TOO_LARGE,
                    "the message is larger than Kafka accepts", path, null, headers);
        }
        if (io.intakehub.shared.TransientFailures.isStoreUnavailable(e) && hub == null) {
            return storeUnavailable(e, messageId, path, headers);
        }
        KafkaException kafka = Failures.cause(e, KafkaException.class);
        if (kafka != null && hub == null) {
            LOG.warn("Kafka did not accept message {}: {}", messageId, kafka.toString());
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(props.getWeb().getRetryAfter().toSeconds()));
            // the retry (same Idempotency-Key) will be accepted under this same id
            return problemWithTrackingId(HttpStatus.SERVICE_UNAVAILABLE, ReasonCode.KAFKA_UNAVAILABLE,
                    "the message was not accepted; retry with the same Idempotency-Key", path, messageId, headers);
        }
        // the route has dead-lettered the request with its original bytes; ops can replay it
        ReasonCode reason = hub != null ? hub.reason() : ReasonCode.INTERNAL_ERROR;
        LOG.error("Web request {} failed with {}: {}", messageId, reason, e.toString());
        return problemWithTrackingId(HttpStatus.INTERNAL_SERVER_ERROR, reason,
                (hub != null ? hub.getMessage() : "unexpected error") + "; the request is kept as dead letter " + messageId,
                path, messageId, headers);
    }

    /** 503 STORE_UNAVAILABLE: the store did not answer, so nothing was taken (it would not be de-duplicated). */
    private ResponseEntity<Object> storeUnavailable(Exception e, String messageId, String path, HttpHeaders headers) {
        LOG.warn("The store did not answer for message {}: {}", messageId, e.toString());
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(props.getWeb().getRetryAfter().toSeconds()));
        return problemWithTrackingId(HttpStatus.SERVICE_UNAVAILABLE, ReasonCode.STORE_UNAVAILABLE,
                "the message was not accepted; retry with the same Idempotency-Key", path, messageId, headers);
    }

    private static ResponseEntity<Object> problemWithTrackingId(HttpStatus status, ReasonCode reason, String detail,
            String path, String messageId, HttpHeaders headers) {
        Map<String, Object> body = Problems.body(status, reason, detail, path, List.of());
        body.put("trackingId", messageId);
        return ResponseEntity.status(status).headers(headers).contentType(Problems.PROBLEM_JSON).body(body);
    }

    static String formatOf(MediaType t) {
        if (t == null) {
            return null;
        }
        if (t.isCompatibleWith(MediaType.APPLICATION_JSON)
                || "application".equals(t.getType()) && t.getSubtype().endsWith("+json")) {
            return WebBodyParser.FORMAT_JSON;
        }
        if (t.isCompatibleWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            return WebBodyParser.FORMAT_FORM;
        }
        return null;
    }

    /** The body, or null when it is longer than {@code max} (a chunked body declares no length). */
    static byte[] readBounded(InputStream in, long max) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        return data.length > max ? null : data;
    }

    private static String hash(String form, String format, byte[] body) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((form + '\n' + format + '\n').getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
