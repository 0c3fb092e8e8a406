package io.intakehub.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Two packaged hubs as separate processes on one Kafka, one Artemis, one real PostgreSQL and one mailbox and
 * set of folders act as one hub, and one of them killed mid-traffic (SIGKILL) is taken over by the other. Every channel
 * is driven: web posts to both instances (each Idempotency-Key retried against the other instance), a phone export,
 * two EDI interchanges (one before the kill, one after), a batch of emails. Afterwards every input is counted by message
 * id on its topic and work queue, the takeover time is measured, and the EDI acknowledgements' control numbers are
 * checked for uniqueness across the two instances.
 */
class ClusterFaultIT {

    static final int ROWS = 30_000;
    static final int TRANSACTIONS = 500;
    static final int MAILS = 100;
    static final int POSTS = 100;
    /** Shorter than the defaults (3 s heartbeat, 15 s TTL) so the case is quick; the README gives both. */
    static final String[] CLUSTER = {"--hub.cluster.heartbeat-interval=PT1S", "--hub.cluster.lease-ttl=PT5S"};

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DISPATCH_GROUP = "intake-hub-dispatch";

    @Test
    void twoInstancesActAsOneHubAndTheSurvivorTakesOverEveryInboxWhenOneIsKilled() throws Exception {
        try (FaultHarness a = new FaultHarness("cluster", true)) {
            a.startAll();
            a.startMail();
            String[] options = Stream.concat(Stream.of(a.mailOptions()), Stream.of(CLUSTER)).toArray(String[]::new);
            a.startHub(options);
            try (FaultHarness b = a.peer("hub-2")) {
                b.startHub(options);
                String run = UUID.randomUUID().toString().substring(0, 8);

                // one system seen from either instance: both alive, every inbox read by hub-1 (it started first)
                JsonNode seen = cluster(b);
                assertThat(seen.path("answeredBy").asText()).isEqualTo("hub-2");
                assertThat(alive(seen)).containsExactlyInAnyOrder("hub-1", "hub-2");
                assertThat(readers(seen, "inbox-phone", "inbox-edi", "inbox-email")).containsOnly("hub-1");

                // dispatch is spread by the consumer group: both instances' consumers are members
                await().atMost(Duration.ofSeconds(60)).until(() -> a.groupMembers(DISPATCH_GROUP) > 0
                        && a.groupMembers(DISPATCH_GROUP) % 2 == 0);
                int bothMembers = a.groupMembers(DISPATCH_GROUP);

                // web: each post to one instance, its retry (same Idempotency-Key) to the other: one message each
                String sample = Files.readString(Path.of("src/test/resources/samples/web/order-en.json"));
                List<String> orderIds = new ArrayList<>();
                int replayed = 0;
                for (int i = 1; i <= POSTS; i++) {
                    FaultHarness first = i % 2 == 0 ? a : b;
                    FaultHarness second = first == a ? b : a;
                    String key = "cluster-" + run + "-" + i;
                    String body = sample.replace("4500012345", "47" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999)));
                    String id = accepted(first, body, key);
                    HttpResponse<String> retry = second.post("/api/v1/orders", body, key);
                    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
                    assertThat(JSON.readTree(retry.body()).path("trackingId").asText()).isEqualTo(id);
                    if (retry.headers().firstValue("Idempotent-Replayed").isPresent()) {
                        replayed++;
                    }
                    orderIds.add(id);
                }
                assertThat(replayed).as("retries answered from the store").isEqualTo(POSTS);

                // the inboxes: a phone export, an EDI interchange, emails
                String export = "export-" + run + ".csv";
                int control1 = 100_000 + ThreadLocalRandom.current().nextInt(400_000);
                int control2 = control1 + 500_000;
                String mailSample = Files.readString(Path.of("src/test/resources/samples/email/complaint-qp-english.eml"), StandardCharsets.UTF_8);
                a.dropEdi("ACME", "po1-" + run + ".edi", FaultHarness.x12(run, control1, TRANSACTIONS));
                List<String> mailIds = MailServerFaultIT.send(a, mailSample, run, MAILS);
                long before = a.topicEnd(a.ordersTopic);
                a.dropExport(export, FaultHarness.export(run, ROWS));

                // kill the reader of every inbox in the middle of the export
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(50))
                        .until(() -> a.topicEnd(a.ordersTopic) - before >= ROWS / 10);
                long atKill = a.topicEnd(a.ordersTopic) - before;
                long killed = System.nanoTime();
                a.killHub();
                assertThat(Files.exists(a.phoneIn().resolve(export))).as("killed before the export was done").isTrue();

                // hub-2 takes every inbox over: within the lease TTL and a heartbeat of the last renewal
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> readers(cluster(b), "inbox-phone", "inbox-edi", "inbox-email").equals(Set.of("hub-2")));
                double takeover = (System.nanoTime() - killed) / 1e9;
                assertThat(alive(cluster(b))).containsExactly("hub-2");
                // and the dispatch group went on with the survivor's consumers alone (the partitions moved to them)
                await().atMost(Duration.ofSeconds(120)).until(() -> a.groupMembers(DISPATCH_GROUP) == bothMembers / 2);

                // the survivor goes on taking everything: more web posts, a second interchange
                for (int i = POSTS + 1; i <= POSTS + 20; i++) {
                    String body = sample.replace("4500012345", "48" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999)));
                    orderIds.add(accepted(b, body, "cluster-" + run + "-" + i));
                }
                a.dropEdi("ACME", "po2-" + run + ".edi", FaultHarness.x12(run + "b", control2, TRANSACTIONS));

                List<String> rowIds = b.receiptIds(export, ROWS, Duration.ofSeconds(600));
                Path out = a.work.resolve("edi/ACME/out");
                await().atMost(Duration.ofSeconds(600)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> acks(out, control1).size() == 1 && acks(out, control2).size() == 1 && a.inboxCount() == 0);
                List<String> ids = new ArrayList<>(orderIds);
                ids.addAll(rowIds);
                for (int n = 1; n <= TRANSACTIONS; n++) {
                    ids.add(FaultHarness.x12MessageId(control1, n));
                    ids.add(FaultHarness.x12MessageId(control2, n));
                }
                FaultHarness.Tally orders = a.reconcile(ids, a.ordersTopic, a.queues.getOrders());
                FaultHarness.Tally complaints = a.reconcile(mailIds, a.complaintsTopic, a.queues.getComplaints());

                // the journal is the cluster's: the survivor finds a message the killed instance took, with its dispatch
                String takenByHub1 = orderIds.get(1); // post 2 went to hub-1
                await().atMost(Duration.ofSeconds(60)).until(() -> ops(b, "/ops/v1/messages?by=tracking&q=" + takenByHub1)
                        .path("messages").findValuesAsText("status").contains("DISPATCHED"));

                // the acknowledgements' own interchange control numbers: one sequence per partner across both instances
                List<String> ackControls = new ArrayList<>();
                try (Stream<Path> files = Files.list(out)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".edi")).toList()) {
                        ackControls.add(Files.readString(f, StandardCharsets.ISO_8859_1).split("\\*", -1)[13]);
                    }
                }
                System.out.printf("CLUSTER (2 instances on PostgreSQL, hub-1 killed mid-export): takeover of every inbox by hub-2 in %.1f s "
                        + "(TTL 5 s, heartbeat 1 s); dispatch group %d members, %d after the kill; %d web posts each retried on the "
                        + "other instance (%d replayed); %d rows (%d on the topic at the kill), 2 x %d EDI transactions, %d mails%n"
                        + "  orders: %s%n  complaints: %s%n  acknowledgement control numbers: %s%n", takeover, bothMembers, bothMembers / 2,
                        POSTS, replayed, ROWS, atKill, TRANSACTIONS, MAILS, orders.line(), complaints.line(), ackControls);
                orders.assertEveryInputOnceOnTheQueue();
                complaints.assertEveryInputOnceOnTheQueue();
                assertThat(orders.twiceOnTopic()).as("orders on the topic twice").isZero();
                assertThat(complaints.twiceOnTopic()).as("complaints on the topic twice").isZero();
                assertThat(new HashSet<>(ackControls)).as("acknowledgement control numbers unique").hasSize(ackControls.size());
                assertThat(ackControls).hasSize(2);
                // in sequence too: the partner's counter is one row in the store, whichever instance takes the next number
                List<Integer> sorted = ackControls.stream().map(Integer::parseInt).sorted().toList();
                assertThat(sorted.get(1) - sorted.get(0)).as("consecutive control numbers " + sorted).isEqualTo(1);
                assertThat(takeover).as("takeover within TTL + heartbeat + a poll").isLessThan(15);
            }
        }
    }

    private static String accepted(FaultHarness h, String body, String key) throws Exception {
        HttpResponse<String> res = h.post("/api/v1/orders", body, key);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        return JSON.readTree(res.body()).path("trackingId").asText();
    }

    static JsonNode cluster(FaultHarness h) throws Exception {
        return ops(h, "/ops/v1/cluster");
    }

    /** A GET of the ops API as a viewer. */
    static JsonNode ops(FaultHarness h, String path) throws Exception {
        HttpResponse<String> res = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.base() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "viewer:viewer-dev".getBytes(StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(res.body());
    }

    static Set<String> alive(JsonNode cluster) {
        Set<String> ids = new HashSet<>();
        cluster.path("instances").forEach(i -> {
            if (i.path("alive").asBoolean()) {
                ids.add(i.path("instanceId").asText());
            }
        });
        return ids;
    }

    /** Who reads the given inboxes now (an empty string for an inbox nobody holds). */
    static Set<String> readers(JsonNode cluster, String... inboxes) {
        Set<String> wanted = Set.of(inboxes);
        Set<String> readers = new HashSet<>();
        Set<String> found = new HashSet<>();
        cluster.path("inboxes").forEach(i -> {
            if (wanted.contains(i.path("inbox").asText())) {
                found.add(i.path("inbox").asText());
                readers.add(i.path("readBy").isNull() ? "" : i.path("readBy").asText());
            }
        });
        if (!found.equals(wanted)) {
            readers.add("");
        }
        return readers;
    }

    private static List<Path> acks(Path out, int control) throws Exception {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        String isa13 = String.format("%09d", control);
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().endsWith("_for_" + isa13 + ".edi")).toList();
        }
    }
}
