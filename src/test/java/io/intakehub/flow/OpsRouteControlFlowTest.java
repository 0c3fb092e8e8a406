package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.ops.OpsAudit;
import io.intakehub.support.HubFlowTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The IT team's route control and health, over real HTTP against the running hub:
 * ops users separate from the web API keys (401 without, 403 for a viewer's change), the route list with
 * status and counters, stop / start / suspend / resume of one route, each audited, and the stopped consumer
 * DOWN in {@code /actuator/health} with its route id — details only for a signed-in user.
 */
class OpsRouteControlFlowTest extends HubFlowTestSupport {

    private static final String VIEWER = "viewer:viewer-dev";
    private static final String OPERATOR = "operator:operator-dev";
    private static final String ROUTE = "ingest-phone";

    @Autowired
    OpsAudit audit;

    private HttpResponse<String> call(String method, String path, String credentials) throws Exception {
        return asOps(method, path, credentials);
    }

    private String consumerHealth(String credentials) throws Exception {
        JsonNode health = json(call("GET", "/actuator/health", credentials).body());
        return health.at("/components/camelHealth/details/consumer:" + ROUTE).asText();
    }

    @Test
    void opsUsersAreSeparateFromTheWebApiKeysAndAViewerOnlyReads() throws Exception {
        HttpResponse<String> none = call("GET", "/ops/v1/routes", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"intake-hub-ops\"");
        assertThat(json(none.body()).path("reasonCode").asText()).isEqualTo("OPS_UNAUTHORIZED");
        assertThat(call("GET", "/ops/v1/routes", "viewer:wrong").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/ops/v1/routes", "nobody:viewer-dev").statusCode()).isEqualTo(401);
        // the web-form API key opens nothing here
        HttpResponse<String> withKey = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ops/v1/routes"))
                .header("X-Api-Key", LOCAL_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withKey.statusCode()).isEqualTo(401);
        assertThat(call("GET", "/actuator/camelroutes", null).statusCode()).as("the actuator beyond the probes").isEqualTo(401);
        // and for an ops user it lists the routes with Camel's JMX off (the default, HUB_CAMEL_JMX_ENABLED)
        HttpResponse<String> routes = call("GET", "/actuator/camelroutes", VIEWER);
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(json(routes.body()).findValuesAsText("id")).contains(ROUTE, "ingest-web");

        HttpResponse<String> forbidden = call("POST", "/ops/v1/routes/" + ROUTE + "/stop", VIEWER);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(json(forbidden.body()).path("reasonCode").asText()).isEqualTo("FORBIDDEN");
        assertThat(json(call("GET", "/ops/v1/routes/" + ROUTE, VIEWER).body()).path("status").asText()).isEqualTo("Started");

        // the probes stay open, without details
        HttpResponse<String> probe = call("GET", "/actuator/health/readiness", null);
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(json(call("GET", "/actuator/health", null).body()).has("components")).isFalse();
        assertThat(json(call("GET", "/actuator/health", VIEWER).body()).has("components")).isTrue();
        // readiness: the process and what accepting needs - the store and Kafka (Artemis only delays dispatch)
        JsonNode ready = json(call("GET", "/actuator/health/readiness", VIEWER).body());
        assertThat(ready.path("status").asText()).isEqualTo("UP");
        assertThat(ready.at("/components/jms").isMissingNode()).isTrue();
        for (String component : new String[] {"applicationReady", "db", "kafka"}) {
            assertThat(ready.at("/components/" + component + "/status").asText()).as(component).isEqualTo("UP");
        }
        assertThat(ready.at("/components/kafka/details/brokers").asInt()).isEqualTo(1);
        // beside them: the SMTP relay the acknowledgements go through (not a readiness matter: mail waits in the inbox)
        assertThat(json(call("GET", "/actuator/health", VIEWER).body()).at("/components/smtp/status").asText()).isEqualTo("UP");
    }

    @Test
    void everyRouteIsListedWithItsStatusAndCounters() throws Exception {
        assertThat(postJson("/api/v1/complaints", "{\"customerNumber\":\"C-10045\",\"description\":\"counted " + java.util.UUID.randomUUID()
                + "\"}").statusCode()).isEqualTo(202);
        JsonNode routes = json(call("GET", "/ops/v1/routes", VIEWER).body());
        assertThat(routes.findValuesAsText("id")).contains("ingest-web", "ingest-phone", "ingest-edi", "ingest-email", "canonical-map",
                "deliver-accept", "deliver-dispatch-orders", "shared-dead-letter");
        for (JsonNode r : routes) {
            assertThat(r.path("description").asText()).as(r.path("id").asText()).isNotBlank();
            assertThat(r.path("status").asText()).isNotBlank();
            assertThat(r.has("exchangesTotal") && r.has("exchangesFailed") && r.has("exchangesInflight")).as(r.toString()).isTrue();
        }
        for (String taken : List.of("ingest-web", "canonical-map", "deliver-accept")) {
            JsonNode r = json(call("GET", "/ops/v1/routes/" + taken, VIEWER).body());
            assertThat(r.path("exchangesTotal").asLong()).as(taken + " counted the complaint").isPositive();
            assertThat(r.path("uptimeMillis").asLong()).isPositive();
        }
        assertThat(call("GET", "/ops/v1/routes/no-such-route", VIEWER).statusCode()).isEqualTo(404);
        HttpResponse<String> badAction = call("POST", "/ops/v1/routes/" + ROUTE + "/explode", OPERATOR);
        assertThat(badAction.statusCode()).isEqualTo(404);
        assertThat(json(badAction.body()).path("reasonCode").asText()).isEqualTo("UNKNOWN_ROUTE");
    }

    @Test
    void anOperatorStopsAndStartsAnInboxObservedInHealthAndTheAudit() throws Exception {
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(consumerHealth(VIEWER)));
            HttpResponse<String> stop = call("POST", "/ops/v1/routes/" + ROUTE + "/stop", OPERATOR);
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
            assertThat(json(stop.body()).path("status").asText()).isEqualTo("Stopped");
            assertThat(json(stop.body()).path("by").asText()).isEqualTo("operator");

            // the stopped consumer is DOWN in health, with its route and why
            await().atMost(Duration.ofSeconds(30)).until(() -> "DOWN".equals(consumerHealth(VIEWER)));
            JsonNode health = json(call("GET", "/actuator/health", VIEWER).body());
            assertThat(health.path("status").asText()).isEqualTo("DOWN");
            assertThat(health.at("/components/camelHealth/details/consumer:" + ROUTE + ".data/route.status").asText()).isEqualTo("Stopped");
            assertThat(json(call("GET", "/actuator/health", null).body()).path("status").asText()).isEqualTo("DOWN");

            HttpResponse<String> start = call("POST", "/ops/v1/routes/" + ROUTE + "/start", OPERATOR);
            assertThat(json(start.body()).path("status").asText()).isEqualTo("Started");
            await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(consumerHealth(VIEWER)));

            assertThat(json(call("POST", "/ops/v1/routes/" + ROUTE + "/suspend", OPERATOR).body()).path("status").asText()).isEqualTo("Suspended");
            assertThat(json(call("POST", "/ops/v1/routes/" + ROUTE + "/resume", OPERATOR).body()).path("status").asText()).isEqualTo("Started");

            List<Map<String, Object>> trail = audit.latest(10);
            assertThat(trail).extracting(m -> m.get("action") + " " + m.get("target") + " " + m.get("username") + " " + m.get("outcome"))
                    .contains("route-stop ingest-phone operator OK", "route-start ingest-phone operator OK",
                            "route-suspend ingest-phone operator OK", "route-resume ingest-phone operator OK");
        } finally {
            call("POST", "/ops/v1/routes/" + ROUTE + "/start", OPERATOR);
        }
    }

    @Test
    void theConsolePageNeedsAnOpsUserAndItsRouteViewAndAuditTrailComeFromTheApi() throws Exception {
        assertThat(call("GET", "/ops/console.html", null).statusCode()).isEqualTo(401);
        HttpResponse<String> page = call("GET", "/ops/console.html", VIEWER);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Intake Hub — operations", "/ops/v1/dead-letters/replay", "/ops/v1/messages", "/actuator/prometheus",
                "/ops/v1/cluster");
        // what the console draws a route from: its steps as a tree, with their ids
        JsonNode route = json(call("GET", "/ops/v1/routes/ingest-edi-transaction", VIEWER).body());
        assertThat(route.path("steps").findValuesAsText("id")).contains("try-edi-transaction", "check-edi-transaction", "edi-to-canonical-map",
                "edi-transaction-to-dead-letter");
        assertThat(route.path("steps").get(0).path("kind").asText()).isEqualTo("doTry");
        call("POST", "/ops/v1/routes/" + ROUTE + "/suspend", OPERATOR);
        call("POST", "/ops/v1/routes/" + ROUTE + "/resume", OPERATOR);
        JsonNode trail = json(call("GET", "/ops/v1/audit?limit=20", VIEWER).body());
        assertThat(trail.findValuesAsText("action")).contains("route-resume");
        assertThat(trail.get(0).path("username").asText()).isEqualTo("operator");
    }
}
