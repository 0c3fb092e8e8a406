package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.support.HubFlowTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The inbox leases of a cluster in one running hub on its store, with another instance played by rows in
 * that store: the hub reads every inbox while it holds their leases; an inbox whose lease another live instance holds
 * is left alone (the route on standby, UP in health, a start refused with {@code NOT_INBOX_HOLDER}), and a file dropped
 * meanwhile waits; once that lease expires the hub takes the inbox over within a heartbeat and reads the file.
 */
@TestPropertySource(properties = {"hub.cluster.heartbeat-interval=PT0.3S", "hub.cluster.lease-ttl=PT2S", "hub.instance-id=hub-a"})
class ClusterLeaseFlowTest extends HubFlowTestSupport {

    private static final String VIEWER = "viewer:viewer-dev";
    private static final String OPERATOR = "operator:operator-dev";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    org.apache.camel.CamelContext camel;

    /** The flag Camel's health checks read: on, a stopped or failing consumer is DOWN; off, it is skipped. */
    private boolean meantToRun(String route) {
        return Boolean.TRUE.equals(camel.getRoute(route).isAutoStartup());
    }

    @Test
    void anInboxIsReadOnlyByItsLeaseHolderAndTakenOverWhenTheHolderIsGone() throws Exception {
        // this instance reads every inbox, and says so from the store
        JsonNode cluster = json(asOps("GET", "/ops/v1/cluster", VIEWER).body());
        assertThat(cluster.path("answeredBy").asText()).isEqualTo("hub-a");
        assertThat(cluster.findValuesAsText("inbox")).contains("inbox-phone", "inbox-edi");
        for (JsonNode inbox : cluster.path("inboxes")) {
            if (!inbox.path("inbox").asText().equals("inbox-partner-servers") && !inbox.path("inbox").asText().equals("inbox-email")) {
                assertThat(inbox.path("readBy").asText()).as(inbox.toString()).isEqualTo("hub-a");
            }
        }
        JsonNode self = null;
        for (JsonNode i : cluster.path("instances")) {
            if (i.path("instanceId").asText().equals("hub-a")) {
                self = i;
            }
        }
        assertThat(self).isNotNull();
        assertThat(self.path("alive").asBoolean()).isTrue();
        assertThat(json(asOps("GET", "/ops/v1/routes/ingest-phone", VIEWER).body()).path("inbox").asText()).isEqualTo("reader");
        // on the reader the route counts in health (a mail server or folder it cannot read makes it DOWN)
        await().atMost(Duration.ofSeconds(10)).until(() -> meantToRun("ingest-phone"));

        try {
            // another instance, alive, takes the phone inbox (as if this one had missed its renewals)
            Instant now = Instant.now();
            jdbc.update("insert into hub_instance (instance_id, process, started_at, last_seen, version) values ('hub-b', 'p-b', ?, ?, 'test')",
                    Timestamp.from(now), Timestamp.from(now.plusSeconds(600)));
            jdbc.update("update inbox_lease set owner = 'hub-b', expires_at = ? where name = 'inbox-phone'", Timestamp.from(now.plusSeconds(600)));
            // the policy stops the route on its own thread once the lease is lost
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                JsonNode r = json(asOps("GET", "/ops/v1/routes/ingest-phone", VIEWER).body());
                return "standby".equals(r.path("inbox").asText()) && "Stopped".equals(r.path("status").asText());
            });
            // standby is not a fault: the consumer is UP in health
            await().atMost(Duration.ofSeconds(10)).until(() -> !meantToRun("ingest-phone"));
            JsonNode health = json(asOps("GET", "/actuator/health", VIEWER).body());
            assertThat(health.at("/components/camelHealth/details/consumer:ingest-phone").asText()).isEqualTo("UP");
            // an operator cannot make this instance read it too
            var refused = asOps("POST", "/ops/v1/routes/ingest-phone/start", OPERATOR);
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(json(refused.body()).path("reasonCode").asText()).isEqualTo("NOT_INBOX_HOLDER");
            assertThat(json(refused.body()).path("detail").asText()).contains("instance hub-b reads");
            assertThat(json(asOps("GET", "/ops/v1/cluster", VIEWER).body()).path("inboxes").findValuesAsText("readBy")).contains("hub-b");

            // a file dropped now waits for the inbox's reader
            String name = "lease-" + System.nanoTime() + ".csv";
            Path in = Path.of(props.getPhone().getRoot(), "in");
            Path part = in.resolve(name + ".part");
            Files.write(part, PhoneChannelFlowTest.export("LEASE" + System.nanoTime(), 3, i -> "Order", i -> "2"));
            Files.move(part, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(3000); // several polls' worth, were the route reading
            assertThat(in.resolve(name)).as("not read by a standby instance").exists();

            // hub-b stops renewing: its lease expires and this instance takes the inbox over, then reads the file
            jdbc.update("update inbox_lease set expires_at = ? where name = 'inbox-phone'", Timestamp.from(Instant.now().minusSeconds(1)));
            Path ack = Path.of(props.getPhone().getRoot(), "done", name + ".ack.csv");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ack));
            assertThat(Files.readAllLines(ack, StandardCharsets.UTF_8)).hasSize(4).allMatch(l -> l.startsWith("line") || l.contains(",ACCEPTED,"));
            assertThat(json(asOps("GET", "/ops/v1/routes/ingest-phone", VIEWER).body()).path("inbox").asText()).isEqualTo("reader");
            await().atMost(Duration.ofSeconds(10)).until(() -> meantToRun("ingest-phone"));
            assertThat(jdbc.queryForObject("select owner from inbox_lease where name = 'inbox-phone'", String.class)).isEqualTo("hub-a");
        } finally {
            jdbc.update("delete from hub_instance where instance_id = 'hub-b'");
            jdbc.update("update inbox_lease set expires_at = ? where name = 'inbox-phone' and owner <> 'hub-a'",
                    Timestamp.from(Instant.now().minusSeconds(1)));
        }
    }
}
