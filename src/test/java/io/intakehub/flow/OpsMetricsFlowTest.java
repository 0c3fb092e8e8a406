package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.ops.BrokerGauges;
import io.intakehub.shared.IntakeMetrics.Outcome;
import io.intakehub.support.HubFlowTestSupport;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hub's metrics in Prometheus format through the real stack: the per-channel reconciliation
 * counts move by exactly what a flow did (accepted, duplicate, rejected, dead-lettered), the route meters count the
 * route, a stopped dispatch route shows in the route's up gauge, in health and as consumer lag that drains once it is
 * started again, and the dead-letter queue's depth is there. Viewers may read the metrics; nobody else.
 */
class OpsMetricsFlowTest extends HubFlowTestSupport {

    private static final String VIEWER = "viewer:viewer-dev";

    @Autowired
    BrokerGauges brokers;

    @Autowired
    CamelContext camel;

    private String scrape() throws Exception {
        HttpResponse<String> res = asOps("GET", "/actuator/prometheus", VIEWER);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return res.body();
    }

    /** The value of one sample: {@code name{labels}} with the labels in Micrometer's (alphabetical) order. */
    private static double value(String scrape, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels) + "[^}]*\\} (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + "{" + labels + "…} in the scrape").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private double settled(String scrape, String channel, Outcome outcome) {
        return value(scrape, "hub_intake_settled_total", "channel=\"" + channel + "\",outcome=\"" + outcome.name().toLowerCase() + "\"");
    }

    @Test
    void eachOutcomeOfAWebPostIsCountedOnceAndTheReconciliationHolds() throws Exception {
        assertThat(asOps("GET", "/actuator/prometheus", null).statusCode()).isEqualTo(401);
        String before = scrape();
        String order = withNewOrderNumber(new String(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("src/test/resources/samples/web/order-en.json")), StandardCharsets.UTF_8));
        assertThat(postJson("/api/v1/orders", order).statusCode()).isEqualTo(202);
        assertThat(postJson("/api/v1/orders", order).statusCode()).as("the same order again: a duplicate").isEqualTo(202);
        assertThat(postJson("/api/v1/orders", "{\"orderNumber\": 12}").statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/feedback", "application/json", ("{\"c\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(500);
        String after = scrape();

        String received = "channel=\"web\"";
        assertThat(value(after, "hub_intake_received_total", received) - value(before, "hub_intake_received_total", received)).isEqualTo(4);
        assertThat(settled(after, "web", Outcome.ACCEPTED) - settled(before, "web", Outcome.ACCEPTED)).isEqualTo(1);
        assertThat(settled(after, "web", Outcome.DUPLICATE) - settled(before, "web", Outcome.DUPLICATE)).isEqualTo(1);
        assertThat(settled(after, "web", Outcome.REJECTED) - settled(before, "web", Outcome.REJECTED)).isEqualTo(1);
        assertThat(settled(after, "web", Outcome.DEAD_LETTERED) - settled(before, "web", Outcome.DEAD_LETTERED)).isEqualTo(1);
        // received = every outcome + in flight, in the scrape itself
        double outcomes = 0;
        for (Outcome o : Outcome.values()) {
            outcomes += settled(after, "web", o);
        }
        assertThat(value(after, "hub_intake_received_total", received)).isEqualTo(outcomes + value(after, "hub_intake_in_flight", received));
        assertThat(value(after, "hub_route_exchanges_total", "result=\"all\",route=\"ingest-web\"")
                - value(before, "hub_route_exchanges_total", "result=\"all\",route=\"ingest-web\"")).isEqualTo(4);
        assertThat(value(after, "hub_route_processing_seconds_count", "route=\"ingest-web\"")).isGreaterThanOrEqualTo(4);
        assertThat(after).contains("hub_intake_partner_settled_total{channel=\"web\",outcome=\"accepted\",partner=\"local\"}");
    }

    @Test
    void aStoppedDispatchRouteShowsInItsUpGaugeInHealthAndAsConsumerLagThatDrainsWhenStarted() throws Exception {
        String route = "deliver-dispatch-complaints";
        String topic = props.getKafka().getTopics().getComplaints();
        String lag = "group=\"" + props.getKafka().getDispatchGroup() + "\",topic=\"" + topic + "\"";
        java.util.List<String> ids = new java.util.ArrayList<>();
        assertThat(value(scrape(), "hub_route_up", "route=\"" + route + "\"")).isEqualTo(1);
        assertThat(asOps("POST", "/ops/v1/routes/" + route + "/stop", "operator:operator-dev").statusCode()).isEqualTo(200);
        try {
            assertThat(value(scrape(), "hub_route_up", "route=\"" + route + "\"")).isZero();
            assertThat(json(asOps("GET", "/actuator/health", VIEWER).body()).at("/components/camelHealth/details/consumer:" + route).asText())
                    .isEqualTo("DOWN");
            // one paused route does not take the instance out of the load balancer
            assertThat(asOps("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                var res = postJson("/api/v1/complaints", "{\"customerNumber\":\"C-10023\",\"description\":\"metrics " + UUID.randomUUID()
                        + "\"}");
                assertThat(res.statusCode()).isEqualTo(202);
                ids.add(json(res.body()).path("trackingId").asText());
            }
            brokers.refresh();
            assertThat(value(scrape(), "hub_dispatch_consumer_lag", lag)).isGreaterThanOrEqualTo(3);
        } finally {
            assertThat(asOps("POST", "/ops/v1/routes/" + route + "/start", "operator:operator-dev").statusCode()).isEqualTo(200);
        }
        for (String id : ids) {
            assertThat(receive(props.getQueues().getComplaints(), id, Duration.ofSeconds(60))).as("dispatched once started again: " + id).isNotNull();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            brokers.refresh();
            assertThat(value(scrape(), "hub_dispatch_consumer_lag", lag)).isZero();
        });
        String scrape = scrape();
        assertThat(value(scrape, "hub_route_up", "route=\"" + route + "\"")).isEqualTo(1);
        assertThat(value(scrape, "hub_broker_gauges_stale", "broker=\"kafka\"")).isZero();
        assertThat(value(scrape, "hub_dead_letter_queue_depth", "queue=\"" + props.getQueues().getDeadLetters() + "\"")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void everyMetricTheAlertRulesAndTheDashboardUseIsInTheScrape() throws Exception {
        // a partner's series appear with its first input
        assertThat(postJson("/api/v1/complaints", "{\"customerNumber\":\"C-10045\",\"description\":\"series " + UUID.randomUUID()
                + "\"}").statusCode()).isEqualTo(202);
        brokers.refresh();
        String scrape = scrape();
        for (String file : new String[] {"deploy/prometheus/alerts.yml", "deploy/grafana/dashboards/intake-hub.json"}) {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of(file));
            Matcher m = Pattern.compile("\\bhub_[a-z_]+").matcher(text);
            int n = 0;
            while (m.find()) {
                n++;
                assertThat(scrape).as(file + " uses " + m.group()).containsPattern("(?m)^" + m.group() + "[{ ]");
            }
            assertThat(n).as(file).isGreaterThan(5);
        }
        // and the files are what Prometheus and Grafana read: every rule has a name, an expression and a summary;
        // every dashboard panel a query; the scrape config reads the monitor password from the compose secret
        java.util.Map<String, Object> rules = new org.yaml.snakeyaml.Yaml().load(java.nio.file.Files.readString(java.nio.file.Path.of(
                "deploy/prometheus/alerts.yml")));
        java.util.List<?> groups = (java.util.List<?>) rules.get("groups");
        for (Object rule : (java.util.List<?>) ((java.util.Map<?, ?>) groups.get(0)).get("rules")) {
            java.util.Map<?, ?> r = (java.util.Map<?, ?>) rule;
            assertThat(r.get("alert")).as(r.toString()).isNotNull();
            assertThat(r.get("expr")).as(r.toString()).isNotNull();
            assertThat(((java.util.Map<?, ?>) r.get("annotations")).get("summary")).as(r.toString()).isNotNull();
        }
        java.util.Map<String, Object> scrapeConfig = new org.yaml.snakeyaml.Yaml().load(java.nio.file.Files.readString(java.nio.file.Path.of(
                "deploy/prometheus/prometheus.yml")));
        assertThat(scrapeConfig.toString()).contains("metrics_path=/actuator/prometheus", "password_file=/run/secrets/monitor_password");
        JsonNode dashboard = json(java.nio.file.Files.readString(java.nio.file.Path.of("deploy/grafana/dashboards/intake-hub.json")));
        assertThat(dashboard.path("panels").size()).isGreaterThan(5);
        dashboard.path("panels").forEach(p -> assertThat(p.at("/targets/0/expr").asText()).as(p.path("title").asText()).isNotBlank());
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("docker-compose.yml"))).contains("monitor:${HUB_MONITOR_PASSWORD",
                "./deploy/prometheus/alerts.yml", "./deploy/grafana/dashboards");
    }
}
