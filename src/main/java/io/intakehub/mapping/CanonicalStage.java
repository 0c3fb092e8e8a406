package io.intakehub.mapping;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.SourceInfo;
import io.intakehub.config.HubHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Route {@code canonical-map}'s step: neutral tree in, validated canonical message out, plus the
 * headers the delivery routes need (id, type); the business key follows from the customer the rules
 * stage finds ({@code RulesStage} sets it).
 */
@Component("canonicalStage")
public class CanonicalStage {

    private final CanonicalMapper mapper;

    public CanonicalStage(CanonicalMapper mapper) {
        this.mapper = mapper;
    }

    public void map(Exchange exchange) {
        Message in = exchange.getMessage();
        String channel = in.getHeader(HubHeaders.CHANNEL, String.class);
        String partner = in.getHeader(HubHeaders.PARTNER, String.class);
        String mappingFormat = in.getHeader(HubHeaders.MAPPING_FORMAT, String.class);
        SourceInfo source = new SourceInfo(
                channel,
                in.getHeader(HubHeaders.FORMAT, String.class),
                partner,
                in.getHeader(HubHeaders.SOURCE_REF, String.class),
                OffsetDateTime.parse(in.getHeader(HubHeaders.RECEIVED_AT, String.class)),
                in.getHeader(HubHeaders.FILE_NAME, String.class),
                null,
                0,
                in.getHeader(HubHeaders.CORRELATION_ID, String.class));
        MappingKey key = new MappingKey(channel, mappingFormat, partner, in.getHeader(HubHeaders.SOURCE_TYPE, String.class));
        ObjectNode canonical = mapper.toCanonical(key, in.getBody(JsonNode.class), source);
        in.setHeader(HubHeaders.MESSAGE_ID, canonical.get("messageId").asText());
        in.setHeader(HubHeaders.MESSAGE_TYPE, canonical.get("type").asText());
        in.setBody(canonical);
    }

    /**
     * The Kafka record key, so that everything about one customer stays in order on one partition:
     * the customer id when known, else the customer's own order number, else a contact, else the
     * message id.
     */
    public static String businessKey(ObjectNode canonical) {
        JsonNode customer = canonical.path("customer");
        JsonNode payload = canonical.path(canonical.path("type").asText().equals("order") ? "order" : "complaint");
        for (JsonNode candidate : new JsonNode[] {customer.path("id"), payload.path("customerOrderNumber"),
                payload.path("orderNumber"), customer.path("phone"), customer.path("email")}) {
            if (candidate.isTextual()) {
                return candidate.asText();
            }
        }
        return canonical.get("messageId").asText();
    }
}
