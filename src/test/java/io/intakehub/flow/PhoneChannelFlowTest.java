package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.MessageIds;
import io.intakehub.ingest.phone.PhoneStore;
import io.intakehub.local.EmbeddedSftpServer;
import io.intakehub.store.Journal;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Sftp;
import jakarta.jms.BytesMessage;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Phone exports end to end: files dropped into the embedded phone folder (or uploaded over the
 * embedded SFTP server) become canonical messages on their Kafka topics, journal entries, contact
 * events and dead letters, with a receipt line per row and the file in done/. Real Kafka, Artemis,
 * SSHD and H2.
 */
class PhoneChannelFlowTest extends HubFlowTestSupport {

    static final Path SAMPLES = Path.of("src/test/resources/samples/phone");
    static final String HEADER = "Call ID,Start Time,Caller Number,Customer Number,Call Type,Product,Quantity,Unit Price,Description\n";

    @Autowired
    Journal journal;

    @Autowired
    PhoneStore store;

    @Autowired
    EmbeddedSftpServer sftp;

    @Autowired
    EmbeddedActiveMQ artemis;

    @Autowired
    org.apache.camel.CamelContext camel;

    /** A receipt line: line, outcome, tracking id, reason code, detail. */
    record Line(long line, String outcome, String trackingId, String reason, String detail) {}

    Path folder(String name) {
        return Path.of(props.getPhone().getRoot(), name);
    }

    /** Drops a file the way a careful exporter does: written under a temporary name, renamed into in/. */
    void drop(String name, byte[] data) throws Exception {
        Path in = folder("in");
        Path part = in.resolve(name + ".part");
        Files.write(part, data);
        Files.move(part, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** A ticket export of numbered rows: call ids {@code <prefix>-<n>}, the call type and quantity of each row. */
    static byte[] export(String prefix, int rows, IntFunction<String> type, IntFunction<String> quantity) {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= rows; i++) {
            csv.append(prefix).append('-').append(i).append(",2026-11-23 10:").append(String.format("%02d", i % 60))
                    .append(",138 0000 ").append(1000 + i % 9000).append(",C-7,").append(type.apply(i)).append(",Paper,")
                    .append(quantity.apply(i)).append(",2.00,row ").append(i).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    List<Line> receipt(String folder, String name) throws Exception {
        Path ack = folder(folder).resolve(name + ".ack.csv");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ack) && !Files.exists(folder("in").resolve(name)));
        List<String> text = Files.readAllLines(ack, StandardCharsets.UTF_8);
        assertThat(text.get(0)).isEqualTo("line,outcome,tracking_id,reason_code,detail");
        List<Line> out = new ArrayList<>();
        for (String l : text.subList(1, text.size())) {
            String[] f = l.split(",", 5);
            out.add(new Line(Long.parseLong(f[0]), f[1], f[2], f[3], f[4]));
        }
        return out;
    }

    String topicOf(String type) {
        return switch (type) {
            case "order" -> props.getKafka().getTopics().getOrders();
            case "complaint" -> props.getKafka().getTopics().getComplaints();
            default -> props.getKafka().getTopics().getRegistrations();
        };
    }

    /** The dead letter of a row (browsed, not taken). */
    jakarta.jms.Message deadLetter(String messageId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> count(props.getQueues().getDeadLetters(), messageId) == 1);
        return jms.browseSelected(props.getQueues().getDeadLetters(), "HubMessageId = '" + messageId + "'",
                (session, browser) -> (jakarta.jms.Message) browser.getEnumeration().nextElement());
    }

    static String body(jakarta.jms.Message m) throws Exception {
        BytesMessage b = (BytesMessage) m;
        byte[] bytes = new byte[(int) b.getBodyLength()];
        b.readBytes(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    void assertGolden(String expectedFile, List<Line> lines, String fileName) throws Exception {
        ArrayNode actual = CanonicalJson.mapper().createArrayNode();
        JsonNode golden = CanonicalJson.mapper().readTree(Files.readString(SAMPLES.resolve(expectedFile), StandardCharsets.UTF_8));
        for (Line l : lines) {
            if (l.outcome().equals("ACCEPTED")) {
                List<ConsumerRecord<String, byte[]>> found = recordsWithMessageId(topicOf(l.detail()), l.trackingId());
                assertThat(found).as("line " + l.line() + " on its topic once").hasSize(1);
                ObjectNode msg = (ObjectNode) CanonicalJson.mapper().readTree(found.get(0).value());
                assertThat(((ObjectNode) msg.get("source")).get("fileName").asText()).isEqualTo(fileName);
                ((ObjectNode) msg.get("source")).put("fileName", expectedFile.replace(".expected.json", ".csv"));
                actual.add(mappedPart(msg, golden.path(actual.size())));
                assertThat(new String(found.get(0).headers().lastHeader("HubMessageId").value(), StandardCharsets.UTF_8))
                        .isEqualTo(l.trackingId());
            }
        }
        JSONAssert.assertEquals(Files.readString(SAMPLES.resolve(expectedFile), StandardCharsets.UTF_8),
                CanonicalJson.mapper().writeValueAsString(actual), JSONCompareMode.STRICT);
    }

    @Test
    void englishExportBecomesItsGoldenMessagesAJournaledInquiryAReceiptAndADoneFile() throws Exception {
        String name = "tickets-en-" + UUID.randomUUID() + ".csv";
        drop(name, Files.readAllBytes(SAMPLES.resolve("ticket-en.csv")));
        List<Line> lines = receipt("done", name);
        assertThat(lines).extracting(l -> l.line() + " " + l.outcome() + " " + l.detail()).containsExactly(
                "2 ACCEPTED order", "3 ACCEPTED complaint", "5 ACCEPTED customer-registration", "6 RECORDED inquiry (journal only)");
        assertThat(folder("done").resolve(name)).exists();
        assertGolden("ticket-en.expected.json", lines, name);

        String inquiry = lines.get(3).trackingId();
        assertThat(inquiry).isEqualTo(MessageIds.of("phone", "ticket", "EN-1004", 0));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            journal.flush();
            assertThat(journal.history(inquiry)).extracting(e -> e.event().name()).containsExactly("RECORDED");
        });
        for (String topic : List.of("order", "complaint", "customer-registration")) {
            assertThat(recordsWithMessageId(topicOf(topic), inquiry)).as("an inquiry is not delivered").isEmpty();
        }
        // the order goes on to the ERP queue like any other
        assertThat(receive(props.getQueues().getOrders(), lines.get(0).trackingId(), Duration.ofSeconds(30))).isNotNull();
    }

    @Test
    void chineseExportInGbkWithCrlfMapsToItsGoldenMessagesAndTheSameRowsInUtf8WithBomAreDuplicates() throws Exception {
        String text = Files.readString(SAMPLES.resolve("ticket-zh.csv"), StandardCharsets.UTF_8);
        String gbkName = "话务导出-" + UUID.randomUUID() + ".csv";
        drop(gbkName, text.replace("\n", "\r\n").getBytes(Charset.forName("GBK")));
        List<Line> first = receipt("done", gbkName);
        assertThat(first).extracting(Line::outcome).containsExactly("ACCEPTED", "ACCEPTED", "ACCEPTED", "RECORDED");
        assertGolden("ticket-zh.expected.json", first, gbkName);

        String bomName = "utf8-bom-" + UUID.randomUUID() + ".csv";
        drop(bomName, ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8));
        List<Line> again = receipt("done", bomName);
        assertThat(again).extracting(Line::outcome).containsOnly("DUPLICATE");
        assertThat(again).extracting(Line::trackingId).containsExactlyElementsOf(first.stream().map(Line::trackingId).toList());
        assertThat(recordsWithMessageId(topicOf("order"), first.get(0).trackingId())).as("still one order").hasSize(1);
    }

    @Test
    void badRowsAreDeadLetteredWithFileLineRawTextAndReasonWhileTheOthersGoOn() throws Exception {
        String p = "BAD-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "bad-rows-" + p + ".csv";
        String csv = HEADER
                + p + "-1,2026-11-23 09:00,138 0000 0001,C-1,Order,Paper,12x,2.00,\n"
                + p + "-2,2026-11-23 09:01,138 0000 0002,C-1,Order,Paper,3,2.00,fine\n"
                + p + "-3,2026-11-23 09:02,138 0000 0003,C-1,Fax,Paper,1,2.00,\n"
                + ",2026-11-23 09:03,138 0000 0004,C-1,Order,Paper,1,2.00,no call id\n"
                + p + "-5,2026-11-23 09:04,138 0000 0005,C-1,Complaint,Paper,1,,\"quoted, with a comma\"\n"
                + p + "-6,2026-11-23 09:05,138 0000 0006,C-1,Order,Paper,1,2.00,\"never closed\n";
        drop(name, csv.getBytes(StandardCharsets.UTF_8));
        List<Line> lines = receipt("done", name);
        assertThat(lines).extracting(l -> l.line() + " " + l.outcome() + " " + l.reason()).containsExactly(
                "2 REJECTED INVALID_INPUT", "3 ACCEPTED ", "4 REJECTED UNKNOWN_ROW_TYPE", "5 REJECTED INVALID_INPUT",
                "6 ACCEPTED ", "7 REJECTED ROW_TRUNCATED");
        assertThat(lines.get(0).detail()).contains("quantity", "12x");

        jakarta.jms.Message dl = deadLetter(lines.get(0).trackingId());
        assertThat(dl.getStringProperty("HubReasonCode")).isEqualTo("INVALID_INPUT");
        assertThat(dl.getStringProperty("HubFileName")).isEqualTo(name);
        assertThat(dl.getLongProperty("HubLine")).isEqualTo(2);
        assertThat(dl.getStringProperty("HubChannel")).isEqualTo("phone");
        assertThat(dl.getStringProperty("HubErrors")).contains("quantity", "'12x' is not a number");
        assertThat(dl.getStringProperty("HubAction")).contains("done/");
        assertThat(body(dl)).isEqualTo(p + "-1,2026-11-23 09:00,138 0000 0001,C-1,Order,Paper,12x,2.00,");
        assertThat(deadLetter(lines.get(2).trackingId()).getStringProperty("HubReasonCode")).isEqualTo("UNKNOWN_ROW_TYPE");
        jakarta.jms.Message truncated = deadLetter(lines.get(5).trackingId());
        assertThat(truncated.getLongProperty("HubLine")).isEqualTo(7);
        assertThat(body(truncated)).startsWith(p + "-6,").endsWith("\"never closed");
        assertThat(recordsWithMessageId(topicOf("order"), lines.get(1).trackingId())).hasSize(1);
        assertThat(recordsWithMessageId(topicOf("complaint"), lines.get(4).trackingId())).hasSize(1);
    }

    @Test
    void aFileWithAnUnknownLayoutIsRefusedWholeIntoFailedWithAReceiptAndADeadLetter() throws Exception {
        String name = "not-an-export-" + UUID.randomUUID() + ".csv";
        drop(name, "name,comment\nWang,hello\n".getBytes(StandardCharsets.UTF_8));
        List<Line> lines = receipt("failed", name);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).outcome()).isEqualTo("REJECTED");
        assertThat(lines.get(0).reason()).isEqualTo("UNKNOWN_LAYOUT");
        assertThat(lines.get(0).detail()).contains("fits none of the export profiles", "ticket", "asterisk-cdr");
        assertThat(folder("failed").resolve(name)).exists();
        await().atMost(Duration.ofSeconds(30)).until(() -> jms.browseSelected(props.getQueues().getDeadLetters(),
                "HubFileName = '" + name + "' AND HubReasonCode = 'UNKNOWN_LAYOUT'", (s, b) -> b.getEnumeration().hasMoreElements()));
    }

    @Test
    void aReDroppedFileGivesNoSecondMessageAndKeepsTheFirstDropsFileAndReceipt() throws Exception {
        String p = "RE-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "redrop-" + p + ".csv";
        byte[] data = export(p, 10, i -> i % 3 == 0 ? "Complaint" : "Order", String::valueOf);
        drop(name, data);
        List<Line> first = receipt("done", name);
        assertThat(first).extracting(Line::outcome).containsOnly("ACCEPTED").hasSize(10);
        Path firstReceipt = folder("done").resolve(name + ".ack.csv");
        String firstText = Files.readString(firstReceipt);
        Files.move(firstReceipt, firstReceipt.resolveSibling("seen-" + name)); // the call centre took its receipt

        drop(name, data);
        List<Line> second = receipt("done", name);
        assertThat(second).extracting(Line::outcome).containsOnly("DUPLICATE").hasSize(10);
        assertThat(second).extracting(Line::trackingId).containsExactlyElementsOf(first.stream().map(Line::trackingId).toList());
        for (Line l : first) {
            assertThat(recordsWithMessageId(topicOf(l.detail()), l.trackingId())).as("line " + l.line()).hasSize(1);
        }
        try (Stream<Path> done = Files.list(folder("done"))) {
            assertThat(done.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(name)))
                    .as("the first drop's file is kept beside the second").hasSizeGreaterThanOrEqualTo(2);
        }
        assertThat(firstText).contains("ACCEPTED");
    }

    @Test
    void aFileWhoseDeadLetterCannotBeWrittenWaitsForArtemisAndIsNotDoneMeanwhile() throws Exception {
        String p = "ART-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "artemis-down-" + p + ".csv";
        // row 7 is bad: its dead letter needs Artemis
        byte[] data = export(p, 21, i -> "Order", i -> i == 7 ? "seven" : String.valueOf(i));
        artemis.getActiveMQServer().stop();
        try {
            drop(name, data);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    !recordsWithMessageId(topicOf("order"), MessageIds.of("phone", "ticket", p + "-1", 0)).isEmpty());
            Thread.sleep(1500);
            assertThat(folder("in").resolve(name)).as("not done while a row is unsettled").exists();
            assertThat(folder("done").resolve(name + ".ack.csv")).doesNotExist();
        } finally {
            artemis.getActiveMQServer().start();
        }
        List<Line> lines = receipt("done", name);
        assertThat(lines).hasSize(21);
        assertThat(lines.get(6).outcome()).isEqualTo("REJECTED");
        // the dead letter either waited for the broker or failed the file, which was then read again
        assertThat(lines).extracting(Line::outcome).isSubsetOf("ACCEPTED", "DUPLICATE", "REJECTED");
        assertEachRowOnceOnTheTopic(p, 21, 7);
        assertThat(count(props.getQueues().getDeadLetters(), lines.get(6).trackingId())).as("one dead letter").isEqualTo(1);
    }

    @Test
    void aRestartInTheMiddleOfAFileSendsNoRowTwiceAndMissesNone() throws Exception {
        String p = "RST-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "restart-" + p + ".csv";
        int rows = 3000;
        drop(name, export(p, rows, i -> "Order", i -> String.valueOf(1 + i % 50)));
        // some rows taken, then the channel is stopped as the hub is on shutdown: the file is left midway
        await().atMost(Duration.ofSeconds(30)).until(() ->
                !recordsWithMessageId(topicOf("order"), MessageIds.of("phone", "ticket", p + "-20", 0)).isEmpty());
        camel.getRouteController().stopRoute("ingest-phone");
        assertThat(folder("in").resolve(name)).as("left in in/").exists();
        assertThat(folder("done").resolve(name + ".ack.csv")).doesNotExist();
        long before = records(topicOf("order"), r -> new String(r.value(), StandardCharsets.UTF_8).contains(p + "-")).size();
        assertThat(before).as("stopped midway").isBetween(20L, rows - 1L);

        camel.getRouteController().startRoute("ingest-phone");
        List<Line> lines = receipt("done", name);
        assertThat(lines).hasSize(rows);
        long duplicates = lines.stream().filter(l -> l.outcome().equals("DUPLICATE")).count();
        assertThat(duplicates).as("rows taken before the stop are duplicates now").isGreaterThanOrEqualTo(20);
        assertThat(lines).extracting(Line::outcome).isSubsetOf("ACCEPTED", "DUPLICATE");
        assertEachRowOnceOnTheTopic(p, rows, -1);
    }

    /** Every row of a test file exactly once on the orders topic (one pass over the topic). */
    void assertEachRowOnceOnTheTopic(String prefix, int rows, int badRow) {
        Map<String, Long> seen = new java.util.HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records(topicOf("order"), r -> new String(r.value(), StandardCharsets.UTF_8)
                .contains("\"reference\":\"" + prefix + "-"))) {
            seen.merge(new String(r.headers().lastHeader("HubSourceRef").value(), StandardCharsets.UTF_8), 1L, Long::sum);
        }
        for (int i = 1; i <= rows; i++) {
            if (i != badRow) {
                assertThat(seen.get(prefix + "-" + i)).as("row " + i + " exactly once").isEqualTo(1L);
            }
        }
        assertThat(seen).hasSize(badRow > 0 ? rows - 1 : rows);
    }

    @Test
    void asteriskCallDetailRecordsAreLoggedAsContactEventsNotOrders() throws Exception {
        String name = "Master-" + UUID.randomUUID() + ".csv";
        drop(name, Files.readAllBytes(SAMPLES.resolve("master-cdr.csv")));
        List<Line> lines = receipt("done", name);
        assertThat(lines).extracting(l -> l.outcome() + " " + l.detail()).containsOnly("RECORDED contact event");
        assertThat(lines).hasSize(3);
        List<Map<String, Object>> calls = store.contactsOf("0571-8765-4321");
        assertThat(calls).hasSize(2);
        assertThat(calls).extracting(c -> c.get("disposition")).containsExactlyInAnyOrder("ANSWERED", "NO ANSWER");
        assertThat(calls).extracting(c -> c.get("file_name")).containsOnly(name);
        assertThat(store.contactsOf("021-6888-1234")).singleElement().satisfies(c -> {
            assertThat(c.get("customer_number")).isEqualTo("C-20017");
            assertThat(c.get("billable_s")).isEqualTo(120);
        });
        for (Line l : lines) {
            assertThat(recordsWithMessageId(topicOf("order"), l.trackingId())).isEmpty();
        }
    }

    @Test
    void theCallCentreUploadsOverSftpIntoItsOwnFolder() throws Exception {
        String p = "SFTP-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "upload-" + p + ".csv";
        String csv = HEADER + p + "-1,2026-11-23 12:00,138 0000 0099,C-9,Order,Paper,2,2.00,by sftp\n";
        Sftp.upload(sftp.port(), props.getPhone().getSftpUser(), props.getPhone().getSftpPassword(), "/in/" + name,
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(receipt("done", name)).extracting(Line::outcome).containsExactly("ACCEPTED");
        assertThat(Sftp.refused(sftp.port(), props.getPhone().getSftpUser(), "wrong")).isTrue();
    }
}
