package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.MessageIds;
import io.intakehub.config.HubHeaders;
import io.intakehub.local.EmbeddedSftpServer;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Sftp;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * Every way an EDI upload can be refused, end to end through the embedded SFTP server: the reason
 * code on the dead letter, the negative acknowledgement in out/, and nothing lost from the valid
 * transactions beside the bad ones.
 */
class EdiRejectionFlowTest extends HubFlowTestSupport {

    static final Path SAMPLES = Path.of("src/test/resources/samples/edi");
    static final Duration WAIT = Duration.ofSeconds(40);

    @Autowired
    EmbeddedSftpServer sftp;

    /** The valid 004010 sample with a new interchange/group control number and PO number. */
    static String x12(int control, String po) throws Exception {
        String base = Files.readString(SAMPLES.resolve("x12-850-004010.edi"));
        return base.replace("000000905", String.format("%09d", control)).replace("*905*X*", "*" + control + "*X*")
                .replace("GE*1*905", "GE*1*" + control).replace("4500012344", po);
    }

    @Test
    void unknownSenderIsRefusedWithTa1AndDeadLettered() throws Exception {
        String edi = x12(801, "PO-801").replace("*ZZ*ACMEBUYER      *", "*ZZ*STRANGER       *");
        String ack = upload("unknown-sender.edi", edi, "000000801");
        assertThat(ack).contains("TA1*000000801*").contains("*R*006~").contains("AK5*R");
        assertDeadLetter("ZZ:STRANGER/000000801/801/0001", "UNKNOWN_PARTNER", "sends as ZZ:ACMEBUYER");
        assertNoOrder("ZZ:STRANGER/000000801/801/0001");
    }

    @Test
    void wrongReceiverIsRefusedWithTa1() throws Exception {
        String edi = x12(802, "PO-802").replace("*ZZ*INTAKEHUB      *", "*ZZ*SOMEONEELSE    *");
        String ack = upload("wrong-receiver.edi", edi, "000000802");
        assertThat(ack).contains("*R*007~");
        assertDeadLetter("ZZ:ACMEBUYER/000000802/802/0001", "WRONG_RECEIVER", "not to this hub");
    }

    @Test
    void aSegmentCountThatDoesNotMatchRejectsTheTransactionWithAk5Code4() throws Exception {
        String ack = upload("bad-count.edi", x12(803, "PO-803").replace("SE*17*0001", "SE*15*0001"), "000000803");
        assertThat(ack).contains("AK5*R*4").contains("AK9*R*1*1*0");
        assertDeadLetter("ZZ:ACMEBUYER/000000803/803/0001", "EDI_INVALID", "count in the trailer does not match");
    }

    @Test
    void mismatchedControlNumbersAreReported() throws Exception {
        // SE02 differs from ST02: the transaction is rejected (AK5 code 3)
        String ack = upload("bad-se02.edi", x12(804, "PO-804").replace("SE*17*0001", "SE*17*0002"), "000000804");
        assertThat(ack).contains("AK5*R*3");
        assertDeadLetter("ZZ:ACMEBUYER/000000804/804/0001", "EDI_INVALID", "control number in the trailer does not match");
        // IEA02 differs from ISA13: found only at the end, after the transaction passed its own checks;
        // the interchange gets a TA1 rejection (code 001) and the order stands (it is de-duplicated on resend)
        String ack2 = upload("bad-iea.edi", x12(805, "PO-805").replace("IEA*1*000000805", "IEA*1*000000999"), "000000805");
        assertThat(ack2).contains("TA1*000000805*").contains("*R*001~");
    }

    @Test
    void anInvalidCodeValueIsLocatedToSegmentElementAndValue() throws Exception {
        String ack = upload("bad-code.edi", x12(806, "PO-806").replace("BEG*00*SA*", "BEG*00*XQ*"), "000000806");
        assertThat(ack).contains("AK3*BEG*2**8").contains("AK4*2*92*7*XQ").contains("AK5*R*5");
        Message dead = assertDeadLetter("ZZ:ACMEBUYER/000000806/806/0001", "EDI_INVALID",
                "segment BEG at position 2, element 2 (data element E0092): not a valid code for this element — found 'XQ'");
        assertThat(dead.getStringProperty("HubErrors")).contains("BEG@2/2");
    }

    @Test
    void aTruncatedFileRejectsTheTransactionItCutAndSaysSo() throws Exception {
        String edi = x12(807, "PO-807");
        String cut = edi.substring(0, edi.indexOf("PO1*2*"));
        String ack = upload("truncated.edi", cut, "000000807");
        assertThat(ack).contains("*R*023~").contains("AK5*R*2");
        assertDeadLetter("ZZ:ACMEBUYER/000000807/807/0001", "EDI_UNREADABLE", "ends inside an interchange");
    }

    @Test
    void theSameInterchangeAgainIsADuplicateAndNotDeliveredTwice() throws Exception {
        String edi = x12(808, "PO-808");
        String first = upload("dup-1.edi", edi, "000000808");
        assertThat(first).contains("AK5*A");
        String id = MessageIds.of("edi", "ACME", "ZZ:ACMEBUYER/000000808/808/0001", 0);
        await().atMost(WAIT).until(() -> recordsWithMessageId("intake.orders.v1", id).size() == 1);
        deleteAcks("000000808");
        String second = upload("dup-2.edi", edi, "000000808");
        assertThat(second).contains("*R*025~");
        assertDeadLetter("ZZ:ACMEBUYER/000000808/808/0001", "DUPLICATE_INTERCHANGE", "already received");
        assertThat(recordsWithMessageId("intake.orders.v1", id)).hasSize(1);
    }

    @Test
    void theSamePurchaseOrderUnderANewInterchangeIsABusinessDuplicate() throws Exception {
        upload("po-1.edi", x12(809, "PO-BUSINESS-1"), "000000809");
        String id = MessageIds.of("edi", "ACME", "ZZ:ACMEBUYER/000000809/809/0001", 0);
        await().atMost(WAIT).until(() -> recordsWithMessageId("intake.orders.v1", id).size() == 1);
        String ack = upload("po-2.edi", x12(810, "PO-BUSINESS-1"), "000000810");
        assertThat(ack).contains("AK5*A"); // syntactically fine: the partner's resend is acknowledged
        // the duplicate guard journals it as a duplicate of the first, linked, and does not deliver it
        String second = MessageIds.of("edi", "ACME", "ZZ:ACMEBUYER/000000810/810/0001", 0);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = json(get("/api/v1/intake/" + second).body());
            assertThat(status.path("status").asText()).isEqualTo("DUPLICATE");
            assertThat(status.at("/events/0/destination").asText()).isEqualTo("duplicate-of:" + id);
        });
        assertNoOrder("ZZ:ACMEBUYER/000000810/810/0001");
    }

    @Test
    void oneBadTransactionDoesNotSinkTheGoodOneBesideIt() throws Exception {
        String edi = x12(811, "PO-GOOD-811");
        String st1 = edi.substring(edi.indexOf("ST*850"), edi.indexOf("GE*1"));
        String st2 = st1.replace("ST*850*0001", "ST*850*0002").replace("SE*17*0001", "SE*17*0002")
                .replace("BEG*00*SA*PO-GOOD-811", "BEG*00*XQ*PO-BAD-811");
        String two = edi.replace(st1, st1 + st2).replace("GE*1*811", "GE*2*811");
        String ack = upload("mixed.edi", two, "000000811");
        assertThat(ack).contains("AK2*850*0001~\nAK5*A~").contains("AK2*850*0002~\nAK3*BEG*2**8~\nAK4*2*92*7*XQ~\nAK5*R*5~")
                .contains("AK9*P*2*2*1");
        assertThat(recordsWithMessageId("intake.orders.v1", MessageIds.of("edi", "ACME", "ZZ:ACMEBUYER/000000811/811/0001", 0))).hasSize(1);
        assertDeadLetter("ZZ:ACMEBUYER/000000811/811/0002", "EDI_INVALID", "not a valid code");
    }

    @Test
    void severalInterchangesWithTheirOwnDelimitersInOneFile() throws Exception {
        // X12 with * and ~, then X12 with | and CR/LF; a UTF-8 BOM in front and Ctrl-Z padding behind
        String a = x12(812, "PO-MULTI-812");
        String b = x12(813, "PO-MULTI-813").replace('*', '|').replace("~", "\r\n");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = (a + b + "\u001a\u001a").getBytes(StandardCharsets.US_ASCII);
        byte[] file = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, file, 0, bom.length);
        System.arraycopy(body, 0, file, bom.length, body.length);
        Sftp.upload(sftp.port(), "acme", "acme-local-password", "/in/multi-x12.edi", file);
        // EDIFACT with the default UNA, then EDIFACT announcing ^ | ! in its own UNA
        String c = Files.readString(SAMPLES.resolve("edifact-orders-d96a.edi"));
        String c1 = c.replace("EDI0001", "EDI0815").replace("PO-778899", "PO-MULTI-815");
        String c2 = "UNA^|.? !\n" + c.replace("EDI0001", "EDI0816").replace("PO-778899", "PO-MULTI-816")
                .replace("UNA:+.? '\n", "").replace(":", "^").replace("+", "|").replace("'\n", "!\n");
        Sftp.upload(sftp.port(), "acme", "acme-local-password", "/in/multi-edifact.edi", (c1 + c2).getBytes(StandardCharsets.US_ASCII));

        for (String ref : List.of("ZZ:ACMEBUYER/000000812/812/0001", "ZZ:ACMEBUYER/000000813/813/0001",
                "ZZ:ACMEBUYER/EDI0815//M0001", "ZZ:ACMEBUYER/EDI0816//M0001")) {
            String id = MessageIds.of("edi", "ACME", ref, 0);
            await().atMost(WAIT).until(() -> recordsWithMessageId("intake.orders.v1", id).size() == 1);
        }
        Path partner = Path.of(props.getEdi().getRoot(), "ACME");
        // each interchange is acknowledged in its own delimiters
        String ack813 = await().atMost(WAIT).until(() -> EdiChannelFlowTest.ackFor(partner, "997_", "000000813"), x -> x != null);
        assertThat(ack813).contains("AK5|A\r\n").contains("AK9|A|1|1|1");
        String ack816 = await().atMost(WAIT).until(() -> EdiChannelFlowTest.ackFor(partner, "CONTRL_", "EDI0816"), x -> x != null);
        assertThat(ack816).contains("UCM|M0001|ORDERS^D^96A^UN|7!");
    }

    @Test
    void aPartialUploadIsNotPickedUpUntilComplete() throws Exception {
        Path in = Path.of(props.getEdi().getRoot(), "ACME", "in");
        Sftp.upload(sftp.port(), "acme", "acme-local-password", "/in/partial.edi.part", x12(815, "PO-815").getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(2000);
        assertThat(in.resolve("partial.edi.part")).exists();
        Files.move(in.resolve("partial.edi.part"), in.resolve("partial.edi"));
        String id = MessageIds.of("edi", "ACME", "ZZ:ACMEBUYER/000000815/815/0001", 0);
        await().atMost(WAIT).until(() -> recordsWithMessageId("intake.orders.v1", id).size() == 1);
    }

    @Test
    void aFileNameWithDotDotOrControlCharactersIsNeverFollowed() throws Exception {
        Path in = Path.of(props.getEdi().getRoot(), "ACME", "in");
        Files.writeString(in.resolve("evil..name.edi"), x12(816, "PO-816"));
        Message dead = deadLetter("HubReasonCode = 'PATH_NOT_ALLOWED'");
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty(HubHeaders.EXCEPTION_MESSAGE)).contains("evil..name.edi");
        await().atMost(WAIT).until(() -> EdiChannelFlowTest.list(in.getParent().resolve("failed")).stream()
                .anyMatch(f -> f.startsWith("evil..name")));
        assertNoOrder("ZZ:ACMEBUYER/000000816/816/0001");
    }

    @Test
    void anIncoming997IsMatchedToOurAcknowledgementAndNeverAcknowledged() throws Exception {
        String ours = upload("to-be-acked.edi", x12(817, "PO-817"), "000000817");
        String groupControl = ours.lines().filter(l -> l.startsWith("GS*")).findFirst().orElseThrow().split("\\*")[6];
        String theirs = "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*INTAKEHUB      *261122*0931*U*00401*000000818*0*P*>~\n"
                + "GS*FA*ACMEBUYER*INTAKEHUB*20261122*0931*818*X*004010~\nST*997*0001~\nAK1*FA*" + groupControl + "~\n"
                + "AK9*A*1*1*1~\nSE*4*0001~\nGE*1*818~\nIEA*1*000000818~\n";
        Sftp.upload(sftp.port(), "acme", "acme-local-password", "/in/their-997.edi", theirs.getBytes(StandardCharsets.US_ASCII));
        Path partner = Path.of(props.getEdi().getRoot(), "ACME");
        await().atMost(WAIT).until(() -> EdiChannelFlowTest.list(partner.resolve("done")).stream().anyMatch(f -> f.startsWith("their-997.edi")));
        await().atMost(WAIT).until(() -> "A".equals(jdbc.queryForList(
                "select ack_status from edi_outbound where partner = 'ACME' and group_control = ?", String.class, groupControl)
                .stream().findFirst().orElse(null)));
        assertThat(EdiChannelFlowTest.ackFor(partner, "997_", "000000818")).as("no acknowledgement of an acknowledgement").isNull();
    }

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Test
    void anInterchangeOfMoreTransactionsThanTheReaderKeepsInMemoryIsAcknowledgedWhole() throws Exception {
        // beyond 1,024 transactions a group's older outcomes wait in a temporary file for the 997; the route must keep
        // them until the acknowledgement is written (Camel closes a split body it can close — it once lost them)
        String one = x12(830, "PO-830-1");
        int start = one.indexOf("ST*850*0001~");
        int end = one.indexOf("SE*17*0001~") + "SE*17*0001~".length() + 1;
        String block = one.substring(start, end);
        StringBuilder body = new StringBuilder();
        int n = 1_100;
        for (int i = 1; i <= n; i++) {
            String st = String.format("%04d", i);
            body.append(block.replace("ST*850*0001~", "ST*850*" + st + "~").replace("SE*17*0001~", "SE*17*" + st + "~")
                    .replace("PO-830-1", "PO-830-" + i));
        }
        String edi = one.substring(0, start) + body + one.substring(end).replace("GE*1*830", "GE*" + n + "*830");
        String ack = upload("many-transactions.edi", edi, "000000830");
        assertThat(ack).contains("AK2*850*0001~\nAK5*A~", "AK2*850*1100~\nAK5*A~", "AK9*A*" + n + "*" + n + "*" + n + "~");
        assertThat(ack.split("AK2\\*850\\*", -1)).hasSize(n + 1);
    }

    private String upload(String name, String content, String control) throws Exception {
        Sftp.upload(sftp.port(), "acme", "acme-local-password", "/in/" + name, content.getBytes(StandardCharsets.ISO_8859_1));
        Path partner = Path.of(props.getEdi().getRoot(), "ACME");
        String prefix = content.contains("UNB+") && !content.contains("ISA*") ? "CONTRL_" : "997_";
        return await().atMost(WAIT).until(() -> EdiChannelFlowTest.ackFor(partner, prefix, control), a -> a != null);
    }

    private void deleteAcks(String control) throws Exception {
        Path out = Path.of(props.getEdi().getRoot(), "ACME", "out");
        for (String f : EdiChannelFlowTest.list(out)) {
            if (f.endsWith("_for_" + control + ".edi")) {
                Files.delete(out.resolve(f));
            }
        }
    }

    private Message assertDeadLetter(String reference, String reason, String explanation) throws Exception {
        Message dead = deadLetter("HubSourceRef = '" + reference + "' AND HubReasonCode = '" + reason + "'");
        assertThat(dead).as("dead letter " + reason + " for " + reference).isNotNull();
        assertThat(dead.getStringProperty(HubHeaders.EXCEPTION_MESSAGE)).contains(explanation);
        assertThat(dead.getStringProperty(HubHeaders.CHANNEL)).isEqualTo("edi");
        assertThat(dead.getStringProperty(HubHeaders.ROUTE_ID)).isEqualTo("ingest-edi-transaction");
        return dead;
    }

    private Message deadLetter(String selector) {
        JmsTemplate t = new JmsTemplate(jms.getConnectionFactory());
        t.setReceiveTimeout(WAIT.toMillis());
        return t.receiveSelected(props.getQueues().getDeadLetters(), selector);
    }

    private void assertNoOrder(String reference) {
        assertThat(recordsWithMessageId("intake.orders.v1", MessageIds.of("edi", "ACME", reference, 0))).isEmpty();
    }
}
