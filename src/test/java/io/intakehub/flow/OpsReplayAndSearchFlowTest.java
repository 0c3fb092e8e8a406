package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.MessageIds;
import io.intakehub.local.EmbeddedSftpServer;
import io.intakehub.ops.OpsAudit;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Mail;
import io.intakehub.support.Sftp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Dead-letter replay and message search through the ops API, end to end through the real
 * SFTP server, mail server, Kafka, Artemis and store: a corrected EDI transaction replayed and accepted once; the same
 * purchase order already accepted by email, so the corrected EDI copy is blocked as its duplicate, and the timeline of
 * that order found by order number, Message-ID and control number; a replay that fails again keeps its dead letter;
 * bulk replay of a file's bad rows at the configured rate with a result per row, and one row corrected and accepted.
 */
class OpsReplayAndSearchFlowTest extends HubFlowTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OPERATOR = "operator:operator-dev";
    private static final String VIEWER = "viewer:viewer-dev";

    @Autowired
    EmbeddedSftpServer sftp;

    @Autowired
    OpsAudit audit;

    @Value("${hub.embedded.smtp-port}")
    int smtp;

    private JsonNode ops(String method, String path, String credentials, byte[] body) throws Exception {
        HttpResponse<String> res = asOps(method, path, credentials, body);
        JsonNode json = res.body().isEmpty() ? json("{}") : json(res.body());
        ((ObjectNode) json).put("_status", res.statusCode());
        return json;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int control() {
        return 100_000 + ThreadLocalRandom.current().nextInt(800_000);
    }

    /** The 850 sample under its own control numbers and PO number, with an invalid BEG02 ('XQ'): rejected, dead-lettered. */
    private String uploadBadPurchaseOrder(int control, String po) throws Exception {
        String isa13 = String.format("%09d", control);
        String edi = Files.readString(Path.of("src/test/resources/samples/edi/x12-850-004010.edi"))
                .replace("000000905", isa13).replace("*905*X*", "*" + control + "*X*").replace("GE*1*905", "GE*1*" + control)
                .replace("BEG*00*SA*4500012344", "BEG*00*XQ*" + po);
        Sftp.upload(sftp.port(), "acme", "acme-local-password", "/in/ops-" + control + ".edi", edi.getBytes(StandardCharsets.ISO_8859_1));
        return "ZZ:ACMEBUYER/" + isa13 + "/" + control + "/0001";
    }

    /** The dead letter listed with this source reference (and filter). */
    private JsonNode listed(String query, String field, String value) throws Exception {
        return await().atMost(WAIT).until(() -> {
            for (JsonNode d : ops("GET", "/ops/v1/dead-letters?" + query + "&limit=1000", VIEWER, null).path("deadLetters")) {
                if (value.equals(d.path(field).asText())) {
                    return d;
                }
            }
            return null;
        }, d -> d != null);
    }

    private JsonNode replay(String id, String why, byte[] edited) throws Exception {
        return ops("POST", "/ops/v1/dead-letters/replay?id=" + enc(id) + "&reason=" + enc(why), OPERATOR, edited);
    }

    @Test
    void anEdiTransactionCorrectedAndReplayedIsAcceptedOnceAndLeavesTheQueue() throws Exception {
        int control = control();
        String ref = uploadBadPurchaseOrder(control, "PO-FIX-" + control);
        JsonNode dl = listed("channel=edi&reason=EDI_INVALID", "sourceRef", ref);
        String id = dl.path("id").asText();
        String text = ops("GET", "/ops/v1/dead-letters/one?id=" + enc(id), VIEWER, null).path("text").asText();
        assertThat(text).contains("\"XQ\"");

        assertThat(ops("POST", "/ops/v1/dead-letters/replay?id=" + enc(id), VIEWER, null).path("_status").asInt())
                .as("a viewer may not replay").isEqualTo(403);
        assertThat(ops("POST", "/ops/v1/dead-letters/replay?id=" + enc(id), null, null).path("_status").asInt()).isEqualTo(401);

        byte[] corrected = text.replace("\"XQ\"", "\"SA\"").getBytes(StandardCharsets.UTF_8);
        JsonNode result = replay(id, "BEG02 XQ is the partner's typo for SA (confirmed by phone)", corrected);
        String messageId = MessageIds.of("edi", "ACME", ref, 0);
        assertThat(result.path("_status").asInt()).as(result.toString()).isEqualTo(200);
        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("ACCEPTED");
        assertThat(result.path("messageId").asText()).isEqualTo(messageId);
        assertThat(result.path("edited").asBoolean()).isTrue();
        assertThat(result.path("deadLetterRemoved").asBoolean()).isTrue();

        String orders = props.getKafka().getTopics().getOrders();
        await().atMost(WAIT).until(() -> recordsWithMessageId(orders, messageId).size() == 1);
        assertThat(new String(recordsWithMessageId(orders, messageId).get(0).value(), StandardCharsets.UTF_8)).contains("PO-FIX-" + control);
        assertThat(receive(props.getQueues().getOrders(), messageId, WAIT)).isNotNull();
        assertThat(ops("GET", "/ops/v1/dead-letters/one?id=" + enc(id), VIEWER, null).path("_status").asInt()).as("off the queue").isEqualTo(404);
        assertThat(replay(id, "again", null).path("_status").asInt()).as("replayed once").isEqualTo(404);
        assertThat(audit.latest(50)).anySatisfy(a -> {
            assertThat(a.get("action")).isEqualTo("dead-letter-replay");
            assertThat(a.get("target")).isEqualTo(id);
            assertThat(a.get("outcome")).isEqualTo("ACCEPTED");
            assertThat((String) a.get("detail")).contains("body edited", "typo for SA", messageId);
        });
        // the status follows the replay: accepted and dispatched, not dead-lettered any more
        await().atMost(WAIT).untilAsserted(() -> assertThat(json(get("/api/v1/intake/" + messageId).body()).path("status").asText())
                .isEqualTo("DISPATCHED"));
        // by control number: the rejected transaction and the replayed one, with its dead letter, replay and 997 in time order
        JsonNode found = ops("GET", "/ops/v1/messages?by=control&q=" + String.format("%09d", control), VIEWER, null);
        assertThat(found.path("messages").findValuesAsText("messageId")).contains(messageId, dl.path("journalId").asText());
        List<String> events = found.path("timeline").findValuesAsText("event");
        assertThat(events).contains("DEAD_LETTERED", "REPLAYED", "RECEIVED", "ACCEPTED", "RECEIPT_SENT", "DISPATCHED");
        assertThat(events.indexOf("DEAD_LETTERED")).isLessThan(events.indexOf("REPLAYED"));
        assertThat(events.indexOf("REPLAYED")).isLessThan(events.indexOf("ACCEPTED"));
    }

    @Test
    void aCorrectedEdiCopyOfAnOrderAlreadyAcceptedByEmailIsBlockedAsDuplicateAndTheTimelineShowsBoth() throws Exception {
        String po = "PO-OPS-" + UUID.randomUUID().toString().substring(0, 8);
        String mail = Files.readString(Path.of("src/test/resources/samples/email/order-csv.eml"), StandardCharsets.UTF_8)
                .replace("order-csv-0004@acme-trading.example", po + "@acme-trading.example").replace("PO-2026-0042", po)
                .replace("<buyer@acme-trading.example>", "<purchasing@acme-trading.example>");
        Mail.send(smtp, "purchasing@acme-trading.example", List.of("intake@localhost"), mail.getBytes(StandardCharsets.UTF_8));
        String emailId = MessageIds.of("email", null, po + "@acme-trading.example", 0);
        String orders = props.getKafka().getTopics().getOrders();
        await().atMost(WAIT).until(() -> recordsWithMessageId(orders, emailId).size() == 1);

        int control = control();
        String ref = uploadBadPurchaseOrder(control, po);
        JsonNode dl = listed("channel=edi&reason=EDI_INVALID&partner=ACME", "sourceRef", ref);
        String id = dl.path("id").asText();
        String text = ops("GET", "/ops/v1/dead-letters/one?id=" + enc(id), VIEWER, null).path("text").asText();
        JsonNode result = replay(id, "corrected BEG02", text.replace("\"XQ\"", "\"SA\"").getBytes(StandardCharsets.UTF_8));
        String ediId = MessageIds.of("edi", "ACME", ref, 0);
        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("DUPLICATE");
        assertThat(result.path("duplicateOf").asText()).isEqualTo(emailId);
        assertThat(result.path("deadLetterRemoved").asBoolean()).isTrue();
        assertThat(recordsWithMessageId(orders, ediId)).as("the replay made no second order").isEmpty();
        assertThat(records(orders, r -> new String(r.value(), StandardCharsets.UTF_8).contains(po))).hasSize(1);

        // the order's timeline, found by its number, by the customer's Message-ID, and by anything (auto)
        for (String query : List.of("by=order&q=" + enc(po), "by=mail&q=" + enc("<" + po + "@acme-trading.example>"), "q=" + enc(po))) {
            JsonNode found = await().atMost(WAIT).until(() -> ops("GET", "/ops/v1/messages?" + query, VIEWER, null),
                    f -> f.path("timeline").toString().contains("\"DISPATCHED\"") && f.path("timeline").toString().contains("edi:997"));
            assertThat(found.path("_status").asInt()).isEqualTo(200);
            JsonNode email = byId(found.path("messages"), emailId);
            JsonNode edi = byId(found.path("messages"), ediId);
            assertThat(email).as(query).isNotNull();
            assertThat(edi).as(query).isNotNull();
            assertThat(email.path("channel").asText()).isEqualTo("email");
            assertThat(edi.path("channel").asText()).isEqualTo("edi");
            assertThat(edi.path("status").asText()).isEqualTo("DUPLICATE");
            assertThat(edi.path("duplicateOf").asText()).isEqualTo(emailId);
            List<String> emailEvents = eventsOf(found, emailId);
            assertThat(emailEvents).as(query).containsSubsequence("RECEIVED", "ACCEPTED").contains("RECEIPT_SENT", "DISPATCHED");
            assertThat(eventsOf(found, ediId)).as(query).contains("REPLAYED", "DUPLICATE", "RECEIPT_SENT");
            assertThat(eventsOf(found, dl.path("journalId").asText())).as("the EDI copy's dead letter, linked by its replay").contains("DEAD_LETTERED");
            assertThat(found.path("timeline").toString()).contains("duplicate-of:" + emailId);
        }
        assertThat(ops("GET", "/ops/v1/messages?by=nonsense&q=x", VIEWER, null).path("_status").asInt()).isEqualTo(400);
        assertThat(ops("GET", "/ops/v1/messages?q=x", null, null).path("_status").asInt()).isEqualTo(401);
        assertThat(ops("GET", "/ops/v1/messages?q=" + enc("no-such-thing-" + po), VIEWER, null).path("messages").size()).isZero();
    }

    private static JsonNode byId(JsonNode messages, String id) {
        for (JsonNode m : messages) {
            if (id.equals(m.path("messageId").asText())) {
                return m;
            }
        }
        return null;
    }

    private static List<String> eventsOf(JsonNode found, String messageId) {
        List<String> out = new ArrayList<>();
        found.path("timeline").forEach(h -> {
            if (messageId.equals(h.path("messageId").asText())) {
                out.add(h.path("event").asText());
            }
        });
        return out;
    }

    @Test
    void aReplayThatFailsAgainKeepsItsDeadLetterAndSaysWhy() throws Exception {
        var res = post("/api/v1/feedback", "application/json", ("{\"comment\": \"replay me " + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8));
        String trackingId = json(res.body()).path("trackingId").asText();
        String id = listed("channel=web&reason=NO_MAPPING", "messageId", trackingId).path("id").asText();

        JsonNode result = replay(id, "mapping added?", null);
        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("FAILED");
        assertThat(result.path("reasonCode").asText()).isEqualTo("NO_MAPPING");
        assertThat(result.path("action").asText()).contains("add the mapping");
        assertThat(ops("GET", "/ops/v1/dead-letters/one?id=" + enc(id), VIEWER, null).path("_status").asInt()).as("still there").isEqualTo(200);
        assertThat(count(props.getQueues().getDeadLetters(), trackingId)).as("not dead-lettered twice").isEqualTo(1);
        assertThat(audit.latest(50)).anySatisfy(a -> {
            assertThat(a.get("target")).isEqualTo(id);
            assertThat(a.get("outcome")).isEqualTo("FAILED");
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(json(get("/api/v1/intake/" + trackingId).body()).path("status").asText())
                .isEqualTo("DEAD_LETTERED"));
    }

    @Test
    void bulkReplayPutsAFilesBadRowsBackAtTheConfiguredRateAndACorrectedRowIsAccepted() throws Exception {
        String p = "OPS-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "ops-bulk-" + p + ".csv";
        String csv = PhoneChannelFlowTest.HEADER
                + p + "-1,2026-11-23 09:00,138 0000 0001,C-1,Order,Paper,12x,2.00,\n"
                + p + "-2,2026-11-23 09:01,138 0000 0002,C-1,Order,Paper,3,2.00,fine\n"
                + p + "-3,2026-11-23 09:02,138 0000 0003,C-1,Order,Paper,7y,2.00,\n";
        drop(name, csv.getBytes(StandardCharsets.UTF_8));
        List<String[]> first = receipt(name);
        String row1 = first.get(0)[2];
        String row3 = first.get(2)[2];
        listed("channel=phone&file=" + enc(name), "messageId", row3);

        assertThat(ops("POST", "/ops/v1/dead-letters/replay-bulk?channel=phone&file=" + enc(name), VIEWER, null).path("_status").asInt())
                .as("a viewer may not").isEqualTo(403);
        long started = System.nanoTime();
        JsonNode bulk = ops("POST", "/ops/v1/dead-letters/replay-bulk?channel=phone&file=" + enc(name) + "&why=" + enc("bulk test"), OPERATOR, null);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(bulk.path("_status").asInt()).as(bulk.toString()).isEqualTo(200);
        assertThat(bulk.path("selected").asInt()).isEqualTo(2);
        assertThat(bulk.at("/totals/REQUEUED").asInt()).isEqualTo(2);
        assertThat(tookMs).as("two replays at 10 per second are at least 100 ms apart").isGreaterThanOrEqualTo(100);
        List<String> requeued = bulk.path("results").findValuesAsText("requeuedAs");
        assertThat(requeued).hasSize(2).allMatch(r -> r.startsWith("phone:replay-") && r.endsWith(name));
        assertThat(bulk.path("results").findValuesAsText("messageId")).containsExactlyInAnyOrder(row1, row3);

        // each requeued row went through the channel again: still bad, so receipted and dead-lettered anew — nothing lost
        for (String r : requeued) {
            String file = r.substring("phone:".length());
            List<String[]> again = receipt(file);
            assertThat(again).hasSize(1);
            assertThat(again.get(0)[1]).isEqualTo("REJECTED");
            assertThat(again.get(0)[3]).isEqualTo("INVALID_INPUT");
        }
        String requeuedRow1 = null;
        for (JsonNode r : bulk.path("results")) {
            if (row1.equals(r.path("messageId").asText())) {
                requeuedRow1 = r.path("requeuedAs").asText().substring("phone:".length());
            }
        }
        JsonNode again = listed("channel=phone&file=" + enc(requeuedRow1), "messageId", row1);
        String body = ops("GET", "/ops/v1/dead-letters/one?id=" + enc(again.path("id").asText()), VIEWER, null).path("text").asText();
        assertThat(body).contains(",12x,");

        // corrected: 12x -> 12, replayed alone, accepted once
        JsonNode fixed = replay(again.path("id").asText(), "quantity is 12", body.replace(",12x,", ",12,").getBytes(StandardCharsets.UTF_8));
        assertThat(fixed.path("outcome").asText()).as(fixed.toString()).isEqualTo("REQUEUED");
        String fixedFile = fixed.path("requeuedAs").asText().substring("phone:".length());
        assertThat(fixedFile).as("a replay of a replay keeps one prefix").matches("replay-\\d{17}-" + java.util.regex.Pattern.quote(name));
        String[] accepted = receipt(fixedFile).get(0);
        assertThat(accepted[1]).isEqualTo("ACCEPTED");
        // a good row's id follows from its call id (a bad row's from its content), so the accepted row has an id of its own
        String tracking = accepted[2];
        String orders = props.getKafka().getTopics().getOrders();
        await().atMost(WAIT).until(() -> recordsWithMessageId(orders, tracking).size() == 1);
        assertThat(new String(recordsWithMessageId(orders, tracking).get(0).value(), StandardCharsets.UTF_8)).contains(p + "-1");
        // the original file's name finds the rows of the file and of its replays: the dead letters, the replays, the accepted row
        JsonNode found = await().atMost(WAIT).until(() -> ops("GET", "/ops/v1/messages?by=file&q=" + enc(name), VIEWER, null),
                f -> byId(f.path("messages"), tracking) != null);
        assertThat(byId(found.path("messages"), tracking).path("status").asText()).isIn("ACCEPTED", "DISPATCHED");
        // the bad row: dead-lettered, replayed (requeued), dead-lettered again as the replayed copy, replayed corrected
        assertThat(byId(found.path("messages"), row1).path("status").asText()).isEqualTo("REPLAYED");
        assertThat(eventsOf(found, row1)).containsExactly("DEAD_LETTERED", "REPLAYED", "DEAD_LETTERED", "REPLAYED");
    }

    private void drop(String name, byte[] data) throws Exception {
        Path in = Path.of(props.getPhone().getRoot(), "in");
        Path part = in.resolve(name + ".part");
        Files.write(part, data);
        Files.move(part, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The receipt's lines (without its header): line, outcome, tracking id, reason code, detail. */
    private List<String[]> receipt(String name) throws Exception {
        Path ack = Path.of(props.getPhone().getRoot(), "done", name + ".ack.csv");
        await().atMost(WAIT).until(() -> Files.exists(ack) && !Files.exists(Path.of(props.getPhone().getRoot(), "in", name)));
        List<String[]> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(ack, StandardCharsets.UTF_8);
        for (String l : lines.subList(1, lines.size())) {
            out.add(l.split(",", 5));
        }
        return out;
    }
}
