package io.intakehub.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The 202 answer the web controller writes itself as JSON bytes (instead of through a message converter). */
class AcceptedAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode body(ResponseEntity<Object> answer) throws Exception {
        return JSON.readTree(new String((byte[]) answer.getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void acceptedCarriesTheTrackingIdStatusUrlAndLocation() throws Exception {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Correlation-Id", "c-1");
        ResponseEntity<Object> answer = WebIntakeController.accepted("web-abc123", "order", headers, null);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(answer.getHeaders().getLocation()).hasToString("/api/v1/intake/web-abc123");
        assertThat(answer.getHeaders().getFirst("X-Correlation-Id")).isEqualTo("c-1");
        JsonNode b = body(answer);
        assertThat(List.of(b.fieldNames().next(), b.size())).containsExactly("trackingId", 4);
        assertThat(b.get("trackingId").asText()).isEqualTo("web-abc123");
        assertThat(b.get("type").asText()).isEqualTo("order");
        assertThat(b.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(b.get("statusUrl").asText()).isEqualTo("/api/v1/intake/web-abc123");
        assertThat(b.has("duplicateOf")).isFalse();
    }

    @Test
    void aDuplicateNamesTheFirstMessage() throws Exception {
        JsonNode b = body(WebIntakeController.accepted("web-2", "complaint", new HttpHeaders(), "email-1"));
        assertThat(b.get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(b.get("duplicateOf").asText()).isEqualTo("email-1");
        assertThat(b.get("type").asText()).isEqualTo("complaint");
    }

    @Test
    void valuesAreEscapedAndAMissingTypeIsNull() throws Exception {
        String odd = "a\"b\\c\u0001d\u00e9\u4e2d";
        JsonNode b = body(WebIntakeController.accepted(odd, null, new HttpHeaders(), odd));
        assertThat(b.get("trackingId").asText()).isEqualTo(odd);
        assertThat(b.get("duplicateOf").asText()).isEqualTo(odd);
        assertThat(b.get("type").isNull()).isTrue();
    }
}
