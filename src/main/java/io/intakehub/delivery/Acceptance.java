package io.intakehub.delivery;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.config.HubHeaders;
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

    public void prepare(Exchange exchange) throws JsonProcessingException {
        Message m = exchange.getMessage();
        JsonNode canonical = m.getBody(JsonNode.class);
        Map<String, Object> headers = m.getHeaders();
        headers.keySet().removeIf(h -> !HubHeaders.ENVELOPE_HEADERS.contains(h) && !h.equals(HubHeaders.BUSINESS_KEY));
        m.setHeader(KafkaConstants.KEY, m.removeHeader(HubHeaders.BUSINESS_KEY));
        m.setBody(CanonicalJson.mapper().writeValueAsBytes(canonical));
    }
}
