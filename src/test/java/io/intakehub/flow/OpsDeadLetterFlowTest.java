package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.shared.ReasonCode;
import io.intakehub.support.HubFlowTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Reading the dead-letter queue through the ops API: filtered lists and
 * one dead letter with its original bytes, decoded text, headers and the reason's explanation; nothing taken off
 * the queue by looking.
 */
class OpsDeadLetterFlowTest extends HubFlowTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    io.intakehub.ops.OpsAudit audit;

    private static final String VIEWER = "viewer:viewer-dev";

    private JsonNode ops(String pathAndQuery) throws Exception {
        HttpResponse<String> res = asOps("GET", pathAndQuery, VIEWER);
        JsonNode body = json(res.body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("_status", res.statusCode());
        return body;
    }

    /** A web post with no mapping: dead-lettered NO_MAPPING with its bytes. Returns its tracking id. */
    private String deadLetter(byte[] raw) throws Exception {
        return deadLetter(raw, "application/json");
    }

    private String deadLetter(byte[] raw, String contentType) throws Exception {
        var res = post("/api/v1/feedback", contentType, raw);
        assertThat(res.statusCode()).isEqualTo(500);
        return json(res.body()).get("trackingId").asText();
    }

    private JsonNode listed(String query, String trackingId) throws Exception {
        for (JsonNode d : ops("/ops/v1/dead-letters?" + query + "&limit=1000").path("deadLetters")) {
            if (trackingId.equals(d.path("messageId").asText())) {
                return d;
            }
        }
        return null;
    }

    @Test
    void anOperatorFindsADeadLetterAndReadsItWithItsBytesHeadersAndExplanation() throws Exception {
        String marker = UUID.randomUUID().toString();
        byte[] raw = ("{\"comment\": \"" + marker + " 好\"}").getBytes(StandardCharsets.UTF_8);
        String trackingId = deadLetter(raw);

        JsonNode found = await().atMost(Duration.ofSeconds(30)).until(() -> listed("channel=web&reason=NO_MAPPING", trackingId), d -> d != null);
        assertThat(found.path("routeId").asText()).isEqualTo("ingest-web");
        assertThat(found.path("reasonCode").asText()).isEqualTo("NO_MAPPING");
        assertThat(OffsetDateTime.parse(found.path("deadLetteredAt").asText())).isBefore(OffsetDateTime.now().plusSeconds(1));
        // filters that do not fit leave it out
        assertThat(listed("channel=email", trackingId)).isNull();
        assertThat(listed("reason=MALFORMED_INPUT", trackingId)).isNull();
        assertThat(listed("route=ingest-edi", trackingId)).isNull();
        assertThat(listed("since=" + URLEncoder.encode(OffsetDateTime.now().plusHours(1).toString(), StandardCharsets.UTF_8), trackingId)).isNull();
        assertThat(listed("since=" + URLEncoder.encode(OffsetDateTime.now().minusHours(1).toString(), StandardCharsets.UTF_8), trackingId)).isNotNull();

        JsonNode one = ops("/ops/v1/dead-letters/one?id=" + URLEncoder.encode(found.path("id").asText(), StandardCharsets.UTF_8));
        assertThat(one.path("_status").asInt()).isEqualTo(200);
        assertThat(Base64.getDecoder().decode(one.path("bodyBase64").asText())).isEqualTo(raw);
        assertThat(one.path("text").asText()).isEqualTo(new String(raw, StandardCharsets.UTF_8));
        assertThat(one.path("size").asInt()).isEqualTo(raw.length);
        assertThat(one.at("/headers/HubReasonCode").asText()).isEqualTo("NO_MAPPING");
        assertThat(one.at("/headers/HubExceptionMessage").asText()).isNotBlank();
        assertThat(one.at("/explanation/meaning").asText()).isEqualTo(ReasonCode.NO_MAPPING.meaning());
        assertThat(one.at("/explanation/action").asText()).isEqualTo(ReasonCode.NO_MAPPING.action());

        // looking took nothing off the queue
        assertThat(listed("channel=web&reason=NO_MAPPING", trackingId)).isNotNull();
    }

    @Test
    void bytesThatAreNotUtf8AreShownAsBase64AndAnUnknownIdIsA404() throws Exception {
        byte[] gbk = "{\"comment\": \"投诉\"}".getBytes("GBK");
        String trackingId = deadLetter(gbk, "application/json; charset=GBK");
        JsonNode found = await().atMost(Duration.ofSeconds(30)).until(() -> listed("reason=NO_MAPPING", trackingId), d -> d != null);
        JsonNode one = ops("/ops/v1/dead-letters/one?id=" + URLEncoder.encode(found.path("id").asText(), StandardCharsets.UTF_8));
        assertThat(one.path("text").isNull()).isTrue();
        assertThat(one.path("textNote").asText()).contains("not UTF-8");
        assertThat(Base64.getDecoder().decode(one.path("bodyBase64").asText())).isEqualTo(gbk);

        JsonNode missing = ops("/ops/v1/dead-letters/one?id=ID:not-there");
        assertThat(missing.path("_status").asInt()).isEqualTo(404);
        assertThat(missing.path("reasonCode").asText()).isEqualTo("UNKNOWN_DEAD_LETTER");
        assertThat(ops("/ops/v1/dead-letters/one?id=" + URLEncoder.encode("x' OR '1'='1", StandardCharsets.UTF_8)).path("_status").asInt())
                .as("no selector injection").isEqualTo(404);
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ops/v1/dead-letters"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void anOperatorDiscardsADeadLetterWithAReasonAndTheAuditKeepsIt() throws Exception {
        String trackingId = deadLetter(("{\"comment\": \"discard me " + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8));
        JsonNode found = await().atMost(Duration.ofSeconds(30)).until(() -> listed("reason=NO_MAPPING", trackingId), d -> d != null);
        String id = URLEncoder.encode(found.path("id").asText(), StandardCharsets.UTF_8);

        assertThat(send("POST", "/ops/v1/dead-letters/discard?id=" + id + "&reason=test", "viewer:viewer-dev").statusCode())
                .as("a viewer may not").isEqualTo(403);
        HttpResponse<String> noReason = send("POST", "/ops/v1/dead-letters/discard?id=" + id, "operator:operator-dev");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(json(noReason.body()).path("reasonCode").asText()).isEqualTo("REASON_REQUIRED");
        assertThat(listed("reason=NO_MAPPING", trackingId)).as("still there").isNotNull();

        HttpResponse<String> done = send("POST", "/ops/v1/dead-letters/discard?id=" + id + "&reason="
                + URLEncoder.encode("test feedback form, not a customer", StandardCharsets.UTF_8), "operator:operator-dev");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(json(done.body()).path("messageId").asText()).isEqualTo(trackingId);
        assertThat(json(done.body()).path("by").asText()).isEqualTo("operator");
        assertThat(listed("reason=NO_MAPPING", trackingId)).as("gone from the queue").isNull();
        assertThat(audit.latest(20)).anySatisfy(a -> {
            assertThat(a.get("action")).isEqualTo("dead-letter-discard");
            assertThat(a.get("username")).isEqualTo("operator");
            assertThat((String) a.get("detail")).contains("test feedback form, not a customer", "NO_MAPPING", trackingId);
        });
        assertThat(send("POST", "/ops/v1/dead-letters/discard?id=" + id + "&reason=again", "operator:operator-dev").statusCode())
                .as("discarded once").isEqualTo(404);
    }

    private HttpResponse<String> send(String method, String path, String credentials) throws Exception {
        return asOps(method, path, credentials);
    }
}
