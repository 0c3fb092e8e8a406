package io.intakehub.canonical;

import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;

/**
 * Wraps what a mapping produced ({@code type}, {@code customer}, the payload, optionally
 * {@code intake}) in the canonical envelope and validates the whole against its schema.
 */
public final class CanonicalAssembler {

    /** JMS priority when no rule has set one. */
    public static final int DEFAULT_PRIORITY = 4;

    private final SchemaValidator validator;

    public CanonicalAssembler(SchemaValidator validator) {
        this.validator = validator;
    }

    /**
     * @param mapped the mapping's output
     * @param source the input's origin
     * @return the canonical message, fields in the documented order
     * @throws HubException {@code MAPPING_FAILED} when the mapping produced no known type,
     *     {@code INVALID_INPUT} with every field error when the result breaks the schema
     */
    public ObjectNode assemble(JsonNode mapped, SourceInfo source) {
        if (mapped == null || !mapped.isObject()) {
            throw new HubException(ReasonCode.MAPPING_FAILED, "the mapping did not produce a JSON object");
        }
        String typeName = mapped.path("type").asText("");
        CanonicalType type = CanonicalType.fromWireName(typeName).orElseThrow(() -> new HubException(
                ReasonCode.MAPPING_FAILED, "the mapping produced type '" + typeName
                        + "'; expected order, complaint or customer-registration"));
        ObjectNode out = CompactObjectNode.FACTORY.objectNode();
        out.put("messageId", source.messageId());
        out.put("type", type.wireName());
        out.put("schemaVersion", CanonicalType.SCHEMA_VERSION);
        out.put("correlationId", source.correlationId() != null ? source.correlationId() : source.messageId());
        out.set("source", sourceNode(source));
        out.set("customer", mapped.path("customer").isObject()
                ? mapped.get("customer") : CompactObjectNode.FACTORY.objectNode());
        out.set("intake", intakeNode(mapped.path("intake")));
        JsonNode payload = mapped.get(type.payloadField());
        if (payload != null) {
            numberLines(payload.get("lines"));
            out.set(type.payloadField(), payload);
        }
        List<FieldError> errors = validator.validate(type, out);
        if (!errors.isEmpty()) {
            throw new HubException(ReasonCode.INVALID_INPUT,
                    errors.size() + " field(s) of the " + type.wireName() + " are missing or invalid", errors, null);
        }
        return out;
    }

    /** Lines a mapping left unnumbered get their position (1, 2, …); numbers the source gave are kept. */
    public static void numberLines(JsonNode lines) {
        if (lines == null || !lines.isArray()) {
            return;
        }
        for (int i = 0; i < lines.size(); i++) {
            // a new node, never the line itself: it may be a literal of the mapping, shared by every message
            if (lines.get(i) instanceof ObjectNode line && !line.has("lineNumber")) {
                ObjectNode numbered = CompactObjectNode.FACTORY.objectNode();
                numbered.put("lineNumber", i + 1);
                numbered.setAll(line);
                ((com.fasterxml.jackson.databind.node.ArrayNode) lines).set(i, numbered);
            }
        }
    }

    private static ObjectNode sourceNode(SourceInfo s) {
        ObjectNode n = CompactObjectNode.FACTORY.objectNode();
        n.put("channel", s.channel());
        n.put("format", s.format());
        if (s.partner() != null && !s.partner().isEmpty()) {
            n.put("partner", s.partner());
        }
        n.put("reference", s.reference());
        n.put("receivedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(s.receivedAt()));
        if (s.fileName() != null) {
            n.put("fileName", s.fileName());
        }
        if (s.line() != null) {
            n.put("line", s.line());
        }
        return n;
    }

    private static ObjectNode intakeNode(JsonNode fromMapping) {
        ObjectNode n = CompactObjectNode.FACTORY.objectNode();
        n.put("priority", DEFAULT_PRIORITY);
        if (fromMapping.isObject()) {
            // a mapping may state flags it learned from the input (e.g. CHARSET_SUSPECT)
            n.setAll((ObjectNode) fromMapping);
        }
        return n;
    }
}
