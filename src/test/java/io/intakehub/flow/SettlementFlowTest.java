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
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.config.HubHeaders;
import io.intakehub.local.EmbeddedSftpServer;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Mail;
import io.intakehub.support.Sftp;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The settlement promise on refused inputs, through the running hub: every refused input is its own dead letter on
 * the queue, with where it came from, and can be found in the journal and the message search.
 */
class SettlementFlowTest extends HubFlowTestSupport {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String VIEWER = "viewer:viewer-dev";

    @Autowired
    EmbeddedSftpServer sftp;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Autowired
    io.intakehub.ingest.email.EmailProperties email;

    @org.springframework.beans.factory.annotation.Value("${hub.embedded.smtp-port}")
    int smtp;

    @org.springframework.beans.factory.annotation.Value("${hub.embedded.imap-port}")
    int imap;

    @Test
    void tenDifferentEdiFilesRefusedForTheSameReasonAreTenDeadLettersThatCanBeFound() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "garbage-" + run + "-" + i + ".edi";
            names.add(name);
            // not EDI at all: refused whole, before any interchange, so no control number tells them apart
            Sftp.upload(sftp.port(), "acme", "acme-local-password", "/in/" + name,
                    ("this is not an interchange, copy " + i + " of " + run + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        List<Message> letters = await().atMost(WAIT).until(() -> deadLetters("HubChannel = 'edi' AND HubFileName LIKE 'garbage-" + run + "-%'"),
                l -> l.size() >= 10);
        assertThat(letters).hasSize(10);
        Set<String> files = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (Message m : letters) {
            assertThat(m.getStringProperty(HubHeaders.REASON_CODE)).isEqualTo("EDI_UNREADABLE");
            assertThat(m.getStringProperty(HubHeaders.PARTNER)).isEqualTo("ACME");
            assertThat(m.getStringProperty(HubHeaders.SOURCE_REF)).startsWith("file:ACME/in/garbage-" + run);
            assertThat(m.getStringProperty(HubHeaders.INPUT_SHA256)).hasSize(64);
            files.add(m.getStringProperty(HubHeaders.FILE_NAME));
            ids.add(m.getStringProperty(HubHeaders.JOURNAL_ID));
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(names);
        assertThat(ids).hasSize(10).allSatisfy(id -> assertThat(id.length()).isLessThanOrEqualTo(64));
        for (String name : names) {
            JsonNode found = await().atMost(WAIT).until(() -> search("file", name), f -> f.path("messages").size() > 0);
            assertThat(found.path("timeline").findValuesAsText("event")).as(name).contains("DEAD_LETTERED");
            assertThat(found.path("messages").findValuesAsText("messageId")).hasSize(1).containsAnyElementsOf(ids);
        }
    }

    @Test
    void tenDifferentPhoneExportsUnderOneNameRefusedForTheSameReasonAreTenDeadLetters() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String name = "Master-" + run + ".csv";
        Path in = Path.of(props.getPhone().getRoot(), "in");
        for (int i = 0; i < 10; i++) {
            Path part = in.resolve(name + ".part");
            Files.write(part, ("name,comment\nWang " + i + ",hello from " + run + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(part, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            int expected = i + 1;
            // one at a time: the same name again only once the previous one has left in/
            await().atMost(WAIT).until(() -> !Files.exists(in.resolve(name))
                    && deadLetters("HubFileName = '" + name + "' AND HubReasonCode = 'UNKNOWN_LAYOUT'").size() >= expected);
        }
        List<Message> letters = deadLetters("HubFileName = '" + name + "'");
        assertThat(letters).hasSize(10);
        Set<String> hashes = new HashSet<>();
        for (Message m : letters) {
            assertThat(m.getStringProperty(HubHeaders.CHANNEL)).isEqualTo("phone");
            hashes.add(m.getStringProperty(HubHeaders.INPUT_SHA256));
        }
        assertThat(hashes).hasSize(10);
        JsonNode found = await().atMost(WAIT).until(() -> search("file", name), f -> f.path("messages").size() >= 10);
        assertThat(found.path("messages")).hasSize(10);
    }

    @Test
    void theOpsApiNamesTheInputEachChannelIsWorkingOnAndHowLongItHasBeen() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String name = "long-export-" + run + ".csv";
        // long enough to be seen in work (the test profile reads 4 rows a batch), short enough that its records do not
        // slow the topic scans of the tests after it
        String csv = io.intakehub.faults.FaultHarness.export(run, 3_000);
        Path in = Path.of(props.getPhone().getRoot(), "in");
        Files.write(in.resolve(name + ".part"), csv.getBytes(StandardCharsets.UTF_8));
        Files.move(in.resolve(name + ".part"), in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        // while the export is read: the phone channel names it, with the route that took it and its age
        JsonNode seen = await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> phoneInWork(),
                p -> p.path("inWork").findValuesAsText("input").stream().anyMatch(i -> i.contains(name)));
        JsonNode input = seen.path("inWork").get(0);
        assertThat(input.path("route").asText()).isEqualTo("ingest-phone");
        assertThat(input.path("inWorkSeconds").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(input.path("stalled").asBoolean()).isFalse();
        assertThat(seen.path("stalled").asBoolean()).isFalse();
        // once it is settled, nothing of it is in work
        await().atMost(Duration.ofMinutes(3)).until(() -> !Files.exists(in.resolve(name)) && phoneInWork().path("inWork")
                .findValuesAsText("input").stream().noneMatch(i -> i.contains(name)));
        assertThat(asOps("GET", "/ops/v1/channels", "nobody:wrong").statusCode()).isEqualTo(401);
    }

    private JsonNode phoneInWork() throws Exception {
        JsonNode all = json(asOps("GET", "/ops/v1/channels", VIEWER).body());
        for (JsonNode c : all.path("channels")) {
            if (c.path("channel").asText().equals("phone")) {
                return c;
            }
        }
        throw new AssertionError("no phone channel in " + all);
    }

    @Test
    void aMailWithLongRunsOfBlanksIsReadInTimeAndTheNextMailIsTakenAfterIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // the shapes that keep a backtracking matcher busy for minutes: blanks around and instead of a label's colon
        String body = "Name:" + " ".repeat(1500) + "Wang\r\n" + " ".repeat(1500) + "\r\nDescription" + " \t".repeat(400)
                + "\r\n" + "a ".repeat(600) + ":\r\n";
        long start = System.nanoTime();
        sendMail("blanks-" + run + "@customer.example", "Complaint " + run, body, "blanks." + run + "@customer.example");
        sendMail("plain-" + run + "@customer.example", "Complaint " + run + " (plain)",
                "Customer name: Li Lei\r\nDescription: the carton arrived broken\r\n", "li." + run + "@customer.example");
        String complaints = props.getKafka().getTopics().getComplaints();
        await().atMost(WAIT).until(() -> recordsWithMessageId(complaints, mailId("blanks-" + run)).size() == 1
                && recordsWithMessageId(complaints, mailId("plain-" + run)).size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
    }

    @Test
    void aMailWhoseHeadersTheMailServerCannotSummariseIsTakenOnceAndMovedAndTheNextMailAfterIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String odd = "utf8hdr-" + run + "@customer.example";
        // unencoded UTF-8 in header fields (RFC 6532, as SMTPUTF8 mailers send them), supplementary-plane characters
        // included, beside a long unfolded field: the mail server cannot build this mail's IMAP envelope
        String mail = "From: " + "客户𠀀 <utf8." + run + "@customer.example>\r\nTo: intake@localhost\r\nMessage-ID: <" + odd + ">\r\n"
                + "X-Note: 😀𠀀 " + "a ".repeat(400) + "\r\nSubject: 投诉 𠀀😀 " + run + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nCustomer name: Sun\r\nDescription: the lid was cracked\r\n";
        Mail.send(smtp, "utf8." + run + "@customer.example", List.of("intake@localhost"), mail.getBytes(StandardCharsets.UTF_8));
        sendMail("after-utf8-" + run + "@customer.example", "Complaint " + run, "Customer name: Qian\r\nDescription: late\r\n",
                "qian." + run + "@customer.example");
        String complaints = props.getKafka().getTopics().getComplaints();
        await().atMost(WAIT).until(() -> recordsWithMessageId(complaints, mailId("utf8hdr-" + run)).size() == 1
                && recordsWithMessageId(complaints, mailId("after-utf8-" + run)).size() == 1);
        await().atMost(WAIT).until(() -> Mail.messageIds(imap, "intake@localhost", "intake", "Processed").contains("<" + odd + ">"));
        assertThat(Mail.messageIds(imap, "intake@localhost", "intake", "INBOX")).doesNotContain("<" + odd + ">");
        assertThat(recordsWithMessageId(complaints, mailId("utf8hdr-" + run))).hasSize(1);
    }

    @Test
    void aSenderTheReplyCannotBeWrittenToIsAcceptedOnceAndTheCaseSaysWhyItWasNotAnswered() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String mailId = "dots-" + run + "@customer.example";
        // two dots in a row in the local part: RFC 5322 allows it only quoted; mail clients send it bare
        sendMail(mailId, "Complaint " + run, "Customer name: Zhao\r\nDescription: wrong colour delivered\r\n",
                "zhao.." + run + "@customer.example");
        String id = mailId(mailId.substring(0, mailId.indexOf('@')));
        String complaints = props.getKafka().getTopics().getComplaints();
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from journal_event where message_id = ? and reason_code = ?",
                Integer.class, id, "REPLY_NOT_SENT") == 1);
        assertThat(recordsWithMessageId(complaints, id)).hasSize(1);
        await().atMost(WAIT).until(() -> Mail.messageIds(imap, "intake@localhost", "intake", "Processed").contains("<" + mailId + ">"));
        assertThat(Mail.messageIds(imap, "intake@localhost", "intake", "INBOX")).doesNotContain("<" + mailId + ">");
        // not read again: one record on the topic, the note written once, after the next polls too
        Thread.sleep(3 * email.pollInterval().toMillis() + 500);
        assertThat(recordsWithMessageId(complaints, id)).hasSize(1);
    }

    @Test
    void everyValueTheSchemaAllowsIsStoredAndAValuePastItIsTheSendersError() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // every text field at the schema's longest (256), a new customer: contact person, region, route, address
        String longest = "长".repeat(250) + run.substring(0, 6);
        String body = "{\"name\": \"" + longest + "\", \"region\": \"" + longest + "\", \"deliveryRoute\": \"" + longest
                + "\", \"contactPerson\": \"" + longest + "\", \"department\": \"" + longest + "\", \"email\": \""
                + "a".repeat(64) + "@" + "b".repeat(239) + run + ".example\", \"address\": \"" + "路".repeat(1990) + "\"}";
        HttpResponse<String> res = postJson("/api/v1/registrations", body, "Idempotency-Key", "longest-" + run);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        // the same request again: the duplicate it is, not a store failure
        assertThat(postJson("/api/v1/registrations", body, "Idempotency-Key", "longest-" + run).statusCode()).isEqualTo(202);
        HttpResponse<String> tooLong = postJson("/api/v1/registrations", body.replace(longest, longest + "x"));
        assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
        assertThat(json(tooLong.body()).path("reasonCode").asText()).isEqualTo("INVALID_INPUT");
    }

    @Test
    void inputOfTheWrongShapeIsTheSendersErrorWithAPointerToTheField() throws Exception {
        for (String[] c : new String[][] {{"/api/v1/orders", "{\"customerNumber\": \"C-1\", \"lines\": \"not-a-list\"}", "/lines"},
                {"/api/v1/orders", "{\"customerNumber\": \"C-1\", \"lines\": [\"x\"]}", "/lines/0"},
                {"/api/v1/orders", "{\"customerNumber\": {\"id\": 1}, \"lines\": []}", "/customerNumber"},
                {"/api/v1/complaints", "{\"customerName\": \"W\", \"description\": [1, 2], \"requests\": {\"a\": 1}}", "/description"},
                {"/api/v1/registrations", "{\"name\": \"N\", \"address\": [\"a\"]}", "/address"}}) {
            HttpResponse<String> res = postJson(c[0], c[1]);
            assertThat(res.statusCode()).as(c[1] + " " + res.body()).isEqualTo(400);
            JsonNode problem = json(res.body());
            assertThat(problem.path("reasonCode").asText()).as(res.body()).isEqualTo("INVALID_INPUT");
            assertThat(problem.path("errors").findValuesAsText("pointer")).as(res.body()).contains(c[2]);
        }
        // not dead-lettered: the sender was answered
        assertThat(deadLetters("HubChannel = 'web' AND HubReasonCode = 'MAPPING_FAILED'")).isEmpty();
    }

    private void sendMail(String messageId, String subject, String body, String from) throws Exception {
        String mail = "From: " + from + "\r\nTo: intake@localhost\r\nSubject: " + subject + "\r\nMessage-ID: <" + messageId + ">\r\n"
                + "Date: Mon, 07 Dec 2026 10:00:00 +0800\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + body;
        Mail.send(smtp, from, List.of("intake@localhost"), mail.getBytes(StandardCharsets.UTF_8));
    }

    private static String mailId(String localPart) {
        return io.intakehub.canonical.MessageIds.of("email", null, localPart + "@customer.example", 0);
    }

    private List<Message> deadLetters(String selector) {
        return jms.browseSelected(props.getQueues().getDeadLetters(), selector, (s, b) -> {
            List<Message> all = new ArrayList<>();
            for (Object o : Collections.list(b.getEnumeration())) {
                all.add((Message) o);
            }
            return all;
        });
    }

    private JsonNode search(String by, String q) throws Exception {
        HttpResponse<String> res = asOps("GET", "/ops/v1/messages?by=" + by + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), VIEWER);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return json(res.body());
    }
}
