package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.MessageIds;
import io.intakehub.ingest.email.EmailProperties;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Mail;
import jakarta.jms.BytesMessage;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.core.JmsTemplate;

/**
 * The email channel end to end: real messages over SMTP into the embedded mail server, the hub
 * polling its IMAP mailbox, canonical messages on Kafka, acknowledgements in the senders' mailboxes,
 * the mail moved to Processed or Quarantine, dead letters on Artemis.
 */
class EmailChannelFlowTest extends HubFlowTestSupport {

    private static final String INTAKE = "intake@localhost";
    private static final String INTAKE_PASSWORD = "intake";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Value("${hub.embedded.smtp-port}")
    int smtp;

    @Value("${hub.embedded.imap-port}")
    int imap;

    @org.springframework.beans.factory.annotation.Autowired
    EmailProperties email;

    private static byte[] sample(String name) throws IOException {
        return Files.readAllBytes(Path.of("src/test/resources/samples/email", name));
    }

    private void send(byte[] message, String... to) throws IOException {
        Mail.send(smtp, "sender@test.example", to.length == 0 ? List.of(INTAKE) : List.of(to), message);
    }

    private static String idOf(String mailMessageId) {
        return MessageIds.of("email", null, mailMessageId, 0);
    }

    private JsonNode awaitOne(String topic, String messageId) throws Exception {
        await().atMost(WAIT).until(() -> recordsWithMessageId(topic, messageId).size() == 1);
        return json(new String(recordsWithMessageId(topic, messageId).get(0).value(), StandardCharsets.UTF_8));
    }

    /** A customer's inbox; a mailbox that never received mail does not exist yet (GreenMail creates it on delivery). */
    private List<Message> mailbox(String address) throws Exception {
        try {
            return Mail.fetch(imap, address, address, "INBOX");
        } catch (jakarta.mail.AuthenticationFailedException noMailboxYet) {
            return List.of();
        }
    }

    private void awaitProcessed(String mailMessageId, int times) {
        await().atMost(WAIT).until(() -> Mail.messageIds(imap, INTAKE, INTAKE_PASSWORD, "Processed").stream()
                .filter(id -> id.equals("<" + mailMessageId + ">")).count() == times);
    }

    private jakarta.jms.Message deadLetter(String selector) {
        JmsTemplate t = new JmsTemplate(jms.getConnectionFactory());
        t.setReceiveTimeout(WAIT.toMillis());
        return t.receiveSelected(props.getQueues().getDeadLetters(), "HubChannel = 'email' AND " + selector);
    }

    @Test
    void aChineseComplaintIsMappedAcknowledgedFiledAndItsReplyThreadedToTheCase() throws Exception {
        send(sample("complaint-gb2312-gb18030.eml"));
        String id = idOf("complaint-gb18030-0001@customer.example");
        JsonNode complaint = awaitOne(props.getKafka().getTopics().getComplaints(), id);

        // golden canonical JSON; receipt time and the deadlines counted from it are checked apart
        OffsetDateTime received = OffsetDateTime.parse(complaint.at("/source/receivedAt").asText());
        assertThat(OffsetDateTime.parse(complaint.at("/intake/dueTimes/reply").asText())).isEqualTo(received.plusHours(4));
        assertThat(OffsetDateTime.parse(complaint.at("/intake/dueTimes/resolve").asText())).isEqualTo(received.plusDays(3));
        assertGolden(complaint, "complaint-gb2312-gb18030");
        String caseNumber = complaint.at("/intake/caseNumber").asText();

        // the acknowledgement: in the sender's mailbox, in Chinese, threaded, marked automatic
        await().atMost(WAIT).until(() -> mailbox("wang.jianguo@customer.example").size() == 1);
        MimeMessage ack = (MimeMessage) mailbox("wang.jianguo@customer.example").get(0);
        assertThat(ack.getSubject()).startsWith("回复：投诉：镕钢板批号").endsWith("[案件 " + caseNumber + "]");
        assertThat(ack.getHeader("In-Reply-To")[0]).isEqualTo("<complaint-gb18030-0001@customer.example>");
        assertThat(ack.getHeader("Auto-Submitted")[0]).isEqualTo("auto-replied");
        assertThat(ack.getMessageID()).isEqualTo("<ack." + caseNumber + "@intakehub.local>");
        String text = (String) ack.getContent();
        assertThat(text).contains(caseNumber).contains("之前答复您")
                .contains(received.plusHours(4).atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai")).toLocalTime().toString().substring(0, 5));
        awaitProcessed("complaint-gb18030-0001@customer.example", 1);

        // the customer answers the acknowledgement: a follow-up on the same case, not a new complaint, no second reply
        String reply = "From: wang.jianguo@customer.example\r\nTo: intake@localhost\r\n"
                + "Subject: =?utf-8?B?" + java.util.Base64.getEncoder().encodeToString(("回复：" + ack.getSubject()).getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
                + "Message-ID: <followup-0001@customer.example>\r\nIn-Reply-To: " + ack.getMessageID() + "\r\n"
                + "References: <complaint-gb18030-0001@customer.example> " + ack.getMessageID() + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n又发现 20 件同样的问题，照片见附件。\r\n\r\n> 您好，我们已收到您的投诉\r\n";
        send(reply.getBytes(StandardCharsets.UTF_8));
        JsonNode followUp = awaitOne(props.getKafka().getTopics().getComplaints(), idOf("followup-0001@customer.example"));
        assertThat(followUp.at("/complaint/followUpOf/caseNumber").asText()).isEqualTo(caseNumber);
        assertThat(followUp.at("/complaint/followUpOf/messageId").asText()).isEqualTo(id);
        assertThat(followUp.get("correlationId").asText()).isEqualTo(id);
        assertThat(followUp.at("/complaint/description").asText()).isEqualTo("又发现 20 件同样的问题，照片见附件。");
        assertThat(followUp.at("/intake/flags").toString()).contains("FOLLOW_UP");
        awaitProcessed("followup-0001@customer.example", 1);
        assertThat(mailbox("wang.jianguo@customer.example")).hasSize(1);
    }

    @Test
    void big5HtmlAndQuotedPrintableMailBecomeComplaintsWithTheirFields() throws Exception {
        send(sample("complaint-big5-html.eml"));
        send(sample("complaint-qp-english.eml"));
        JsonNode big5 = awaitOne(props.getKafka().getTopics().getComplaints(), idOf("big5-html-0002@tw-customer.example"));
        assertThat(big5.at("/customer/name").asText()).isEqualTo("台北振興貿易");
        assertThat(big5.at("/complaint/orderNumber").asText()).isEqualTo("PO-77881");
        assertThat(big5.at("/complaint/defectiveQuantity").asText()).isEqualTo("30");
        assertThat(big5.at("/complaint/description").asText()).contains("收到的紙箱全部受潮變形 & 無法出貨。");
        JsonNode qp = awaitOne(props.getKafka().getTopics().getComplaints(), idOf("qp-english-0003@harbourfoods.example"));
        assertThat(qp.at("/complaint/requests").toString()).isEqualTo("[\"replacement\"]");
        assertThat(qp.at("/complaint/batchNumber").asText()).isEqualTo("L2611-03");
        assertThat(qp.at("/complaint/description").asText()).startsWith("Twelve cartons arrived crushed — the pallet wrap was torn.")
                .doesNotContain("Purchasing");
        assertThat(qp.at("/customer/email").asText()).isEqualTo("anna.li@harbourfoods.example");
        await().atMost(WAIT).until(() -> mailbox("anna.li@harbourfoods.example").size() == 1);
        MimeMessage ack = (MimeMessage) mailbox("anna.li@harbourfoods.example").get(0);
        assertThat(ack.getSubject()).startsWith("Re: Complaint: damaged cartons").contains("[Case C-");
        assertThat((String) ack.getContent()).contains("We will reply by");
    }

    @Test
    void anAttachedCsvOfOrderLinesMakesAnOrderWithItsAttachmentKeptByReference() throws Exception {
        send(sample("order-csv.eml"));
        JsonNode order = awaitOne(props.getKafka().getTopics().getOrders(), idOf("order-csv-0004@acme-trading.example"));
        assertGolden(order, "order-csv");
        assertThat(order.at("/customer/id").asText()).isEqualTo("C-10042");
        assertThat(order.at("/order/customerOrderNumber").asText()).isEqualTo("PO-2026-0042");
        assertThat(order.at("/order/lines")).hasSize(2);
        assertThat(order.at("/order/lines/1/product/name").asText()).isEqualTo("角钢");
        assertThat(order.at("/order/lines/1/unitPrice/amount").asText()).isEqualTo("1020.00");
        assertThat(order.at("/order/lines/0/quantity").asText()).isEqualTo("200");
        JsonNode attachment = order.at("/order/attachments/0");
        assertThat(attachment.get("name").asText()).isEqualTo("order-lines.csv");
        Path stored = Path.of(props.getEmbedded().getDataDir(), "email", "attachments",
                attachment.get("sha256").asText().substring(0, 2), attachment.get("sha256").asText());
        assertThat(stored).exists();
        assertThat(order.at("/intake/caseNumber").asText()).startsWith("O-");
        await().atMost(WAIT).until(() -> mailbox("buyer@acme-trading.example").size() == 1);
        assertThat((String) mailbox("buyer@acme-trading.example").get(0).getContent()).contains("订单");
    }

    @Test
    void aMalformedMailIsQuarantinedAndDeadLetteredAndThePollGoesOn() throws Exception {
        // SMTP puts a Received line on top, so the junk arrives with one header: no sender, no subject,
        // nothing to make a case of - it is dead-lettered as INVALID_INPUT (the reader alone says EMAIL_UNREADABLE)
        send(sample("not-an-email.eml"));
        send(sample("registration.eml"));
        jakarta.jms.Message dead = deadLetter("HubReasonCode = 'INVALID_INPUT'");
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty("HubErrors")).contains("customer");
        // the dead letter holds the mail as the server delivered it (with the Received line it added)
        byte[] body = new byte[(int) ((BytesMessage) dead).getBodyLength()];
        ((BytesMessage) dead).readBytes(body);
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).contains("binary junk that is not a mail");
        await().atMost(WAIT).until(() -> Mail.fetch(imap, INTAKE, INTAKE_PASSWORD, "Quarantine").stream()
                .anyMatch(m -> raw(m).contains("binary junk")));
        JsonNode registration = awaitOne(props.getKafka().getTopics().getRegistrations(), idOf("registration-0008@newco.example"));
        assertThat(registration.at("/registration/name").asText()).isEqualTo("杭州新程科技有限公司");
        assertThat(registration.at("/registration/kind").asText()).isEqualTo("new");
    }

    @Test
    void anOversizedMailIsQuarantinedUnread() throws Exception {
        StringBuilder big = new StringBuilder("From: big@customer.example\r\nTo: intake@localhost\r\nSubject: complaint with a huge scan\r\n"
                + "Message-ID: <huge-0009@customer.example>\r\nContent-Type: text/plain\r\n\r\n");
        while (big.length() < 250_000) {
            big.append("x".repeat(76)).append("\r\n");
        }
        send(big.toString().getBytes(StandardCharsets.US_ASCII));
        await().atMost(WAIT).until(() -> Mail.messageIds(imap, INTAKE, INTAKE_PASSWORD, "Quarantine").contains("<huge-0009@customer.example>"));
        jakarta.jms.Message dead = deadLetter("HubReasonCode = 'EMAIL_TOO_LARGE'");
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty("HubOriginalFile")).contains("Quarantine").contains("huge-0009@customer.example");
        assertThat(mailbox("big@customer.example")).isEmpty();
    }

    @Test
    void aMimeBombIsQuarantinedWithItsReason() throws Exception {
        StringBuilder bomb = new StringBuilder("From: bomb@attacker.example\r\nTo: intake@localhost\r\nSubject: complaint\r\n"
                + "Message-ID: <bomb-0014@attacker.example>\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
        for (int i = 1; i <= 12; i++) {
            bomb.append("--b").append(i - 1).append("\r\nContent-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n");
        }
        send(bomb.toString().getBytes(StandardCharsets.US_ASCII));
        jakarta.jms.Message dead = deadLetter("HubReasonCode = 'EMAIL_TOO_COMPLEX'");
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty("HubExceptionMessage")).contains("nested deeper than 6 levels");
        await().atMost(WAIT).until(() -> Mail.messageIds(imap, INTAKE, INTAKE_PASSWORD, "Quarantine").contains("<bomb-0014@attacker.example>"));
        assertThat(mailbox("bomb@attacker.example")).isEmpty();
    }

    @Test
    void theSameMessageIdTwiceIsOneComplaintAndOneReply() throws Exception {
        byte[] mail = ("From: twice@customer.example\r\nTo: intake@localhost\r\nSubject: complaint: leaking valve\r\n"
                + "Message-ID: <twice-0010@customer.example>\r\nDate: Sun, 22 Nov 2026 11:00:00 +0800\r\n"
                + "Content-Type: text/plain\r\n\r\nThe valve leaks.\r\n").getBytes(StandardCharsets.US_ASCII);
        send(mail);
        awaitProcessed("twice-0010@customer.example", 1);
        send(mail);
        awaitProcessed("twice-0010@customer.example", 2);
        assertThat(recordsWithMessageId(props.getKafka().getTopics().getComplaints(), idOf("twice-0010@customer.example"))).hasSize(1);
        assertThat(mailbox("twice@customer.example")).hasSize(1);
    }

    @Test
    void autoGeneratedMailIsTakenButNeverAnswered() throws Exception {
        send(sample("auto-submitted.eml"));
        awaitOne(props.getKafka().getTopics().getComplaints(), idOf("ooo-0006@customer.example"));
        awaitProcessed("ooo-0006@customer.example", 1);
        assertThat(mailbox("robot@customer.example")).isEmpty();
    }

    @Test
    void nothingInAMailCanInjectAHeaderIntoTheReplyOrSteerTheHub() throws Exception {
        send(sample("header-injection.eml"));
        JsonNode complaint = awaitOne(props.getKafka().getTopics().getComplaints(), idOf("inject-0007@attacker.example"));
        assertThat(complaint.get("type").asText()).isEqualTo("complaint");
        List<ConsumerRecord<String, byte[]>> records = recordsWithMessageId(props.getKafka().getTopics().getComplaints(),
                idOf("inject-0007@attacker.example"));
        records.get(0).headers().forEach(h -> assertThat(h.key()).startsWith("Hub").isNotEqualTo("CamelMailMoveTo"));
        awaitProcessed("inject-0007@attacker.example", 1);
        assertThat(Mail.messageIds(imap, INTAKE, INTAKE_PASSWORD, "Trash")).isEmpty();
        await().atMost(WAIT).until(() -> mailbox("mallory@attacker.example").size() == 1);
        MimeMessage ack = (MimeMessage) mailbox("mallory@attacker.example").get(0);
        assertThat(ack.getHeader("Bcc")).isNull();
        assertThat(ack.getHeader("X-Evil")).isNull();
        assertThat(ack.getAllRecipients()).hasSize(1);
        assertThat(ack.getSubject()).doesNotContain("\r").doesNotContain("\n");
        assertThat(mailbox("victim@elsewhere.example")).isEmpty();
    }

    @Test
    void classificationSettingsKeepTheirKeysAndAFormTypeLineDecides() throws Exception {
        // map keys with dots (addresses) and Chinese keys survive Spring's binding
        assertThat(email.classify().recipients()).containsEntry("orders@shop.example", "order");
        assertThat(email.classify().formTypes()).containsEntry("投诉", "complaint").containsEntry("订单", "order");
        byte[] mail = ("From: typed@customer.example\r\nTo: intake@localhost\r\nSubject: =?utf-8?B?"
                + java.util.Base64.getEncoder().encodeToString("投诉".getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
                + "Message-ID: <form-type-0017@customer.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "类型：订单\r\n产品：复印纸 A4\r\n数量：20\r\n").getBytes(StandardCharsets.UTF_8);
        send(mail);
        JsonNode order = awaitOne(props.getKafka().getTopics().getOrders(), idOf("form-type-0017@customer.example"));
        assertThat(order.at("/order/lines/0/product/name").asText()).isEqualTo("复印纸 A4");
    }

    @Test
    void theRecipientAddressDecidesTheType() throws Exception {
        byte[] mail = ("From: shop@customer.example\r\nTo: orders@shop.example\r\nSubject: hello\r\n"
                + "Message-ID: <by-recipient-0011@customer.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Product: Copy paper A4\r\nQuantity: 50\r\nUnit: box\r\n").getBytes(StandardCharsets.UTF_8);
        send(mail, INTAKE);
        JsonNode order = awaitOne(props.getKafka().getTopics().getOrders(), idOf("by-recipient-0011@customer.example"));
        assertThat(order.at("/order/lines/0/product/name").asText()).isEqualTo("Copy paper A4");
        assertThat(order.at("/order/lines/0/quantity").asText()).isEqualTo("50");
    }

    @Test
    void mailThatIsNeitherAnOrderNorAComplaintGoesToTheDeskUnclassified() throws Exception {
        byte[] mail = ("From: someone@customer.example\r\nTo: intake@localhost\r\nSubject: question\r\n"
                + "Message-ID: <unclassified-0012@customer.example>\r\nContent-Type: text/plain\r\n\r\n"
                + "Do you deliver on Sundays?\r\n").getBytes(StandardCharsets.US_ASCII);
        send(mail);
        JsonNode c = awaitOne(props.getKafka().getTopics().getComplaints(), idOf("unclassified-0012@customer.example"));
        assertThat(c.at("/intake/flags").toString()).contains("UNCLASSIFIED");
        assertThat(c.at("/complaint/description").asText()).isEqualTo("Do you deliver on Sundays?");
        // an order subject without order lines is not lost either: the desk gets it, marked for review
        byte[] order = ("From: someone@customer.example\r\nTo: intake@localhost\r\nSubject: order\r\n"
                + "Message-ID: <order-no-lines-0013@customer.example>\r\nContent-Type: text/plain\r\n\r\n"
                + "Please send the usual.\r\n").getBytes(StandardCharsets.US_ASCII);
        send(order);
        JsonNode desk = awaitOne(props.getKafka().getTopics().getComplaints(), idOf("order-no-lines-0013@customer.example"));
        assertThat(desk.at("/intake/flags").toString()).contains("NEEDS_REVIEW");
        assertThat(desk.at("/complaint/description").asText()).startsWith("Please send the usual.").contains("could not be read as one");
    }

    /**
     * Compares with {@code samples/email/<name>.expected.json}, leaving out the receipt time and the
     * deadlines counted from it; the actual output is left in target/ to compare with (or to renew)
     * the golden file.
     */
    private static void assertGolden(JsonNode message, String name) throws Exception {
        String golden = Files.readString(Path.of("src/test/resources/samples/email/" + name + ".expected.json"));
        ObjectNode stable = mappedPart(message, json(golden));
        ((ObjectNode) stable.get("source")).remove("receivedAt");
        ((ObjectNode) stable.get("intake")).remove("dueTimes");
        Files.writeString(Path.of("target/" + name + ".actual.json"), CanonicalJsonPretty.of(stable), StandardCharsets.UTF_8);
        JSONAssert.assertEquals(golden, stable.toString(), JSONCompareMode.STRICT);
    }

    /** Pretty JSON for the files a person reads. */
    private static final class CanonicalJsonPretty {
        static String of(JsonNode n) throws Exception {
            return io.intakehub.canonical.CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
        }
    }

    @Test
    void oneSenderGetsAtMostFiveAcknowledgementsAnHourAndACaseNumberInTheSubjectAloneThreadsAReply() throws Exception {
        for (int i = 1; i <= 6; i++) {
            send(("From: busy@customer.example\r\nTo: intake@localhost\r\nSubject: complaint " + i + "\r\n"
                    + "Message-ID: <busy-" + i + "@customer.example>\r\nContent-Type: text/plain\r\n\r\nProblem " + i + ".\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            awaitProcessed("busy-" + i + "@customer.example", 1);
        }
        assertThat(recordsWithMessageId(props.getKafka().getTopics().getComplaints(), idOf("busy-6@customer.example"))).hasSize(1);
        assertThat(mailbox("busy@customer.example")).hasSize(5);

        // a reply written as a new mail, keeping only the case number in the subject
        String caseNumber = awaitOne(props.getKafka().getTopics().getComplaints(), idOf("busy-1@customer.example"))
                .at("/intake/caseNumber").asText();
        send(("From: busy@customer.example\r\nTo: intake@localhost\r\nSubject: more on [Case " + caseNumber + "]\r\n"
                + "Message-ID: <busy-followup@customer.example>\r\nContent-Type: text/plain\r\n\r\nIt got worse.\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        JsonNode followUp = awaitOne(props.getKafka().getTopics().getComplaints(), idOf("busy-followup@customer.example"));
        assertThat(followUp.at("/complaint/followUpOf/caseNumber").asText()).isEqualTo(caseNumber);
        assertThat(followUp.at("/complaint/followUpOf/messageId").asText()).isEqualTo(idOf("busy-1@customer.example"));
    }

    private static byte[] mailWithAttachment(String from, String messageId, String fileName, byte[] file) {
        String head = "From: " + from + "\r\nTo: intake@localhost\r\nSubject: PO\r\nMessage-ID: <" + messageId + ">\r\n"
                + "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nPlease find our PO attached.\r\n"
                + "--m\r\nContent-Type: application/edi-x12\r\nContent-Disposition: attachment; filename=\"" + fileName + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + java.util.Base64.getMimeEncoder().encodeToString(file) + "\r\n--m--\r\n";
        return head.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anEdiFileMailedByAPartnerIsHandedToItsEdiInboxAndAcknowledgedThere() throws Exception {
        // the ACME 850 of the EDI tests under another interchange and PO number: the test classes share one
        // Kafka and (same configuration, cached context) one store, whose duplicate checks would catch it
        byte[] x12 = Files.readString(Path.of("src/test/resources/samples/edi/x12-850-004010.edi"), StandardCharsets.ISO_8859_1)
                .replace("000000905", "000000977").replace("BEG*00*SA*4500012344", "BEG*00*SA*4500019977")
                .getBytes(StandardCharsets.ISO_8859_1);
        send(mailWithAttachment("ACME EDI <edi@acme-trading.example>", "edi-by-mail-0015@acme-trading.example", "po-977.x12", x12));
        await().atMost(WAIT).until(() -> !records(props.getKafka().getTopics().getOrders(),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("ACMEBUYER/000000977")).isEmpty());
        Path acme = Path.of(props.getEdi().getRoot(), "ACME");
        await().atMost(WAIT).until(() -> Files.list(acme.resolve("out")).anyMatch(f -> f.getFileName().toString().contains("997")));
        assertThat(Files.list(acme.resolve("done")).map(f -> f.getFileName().toString()))
                .anyMatch(n -> n.startsWith("mail-") && n.contains("po-977.x12"));
        awaitProcessed("edi-by-mail-0015@acme-trading.example", 1);
        // the partner is answered by its 997, not by mail
        assertThat(mailbox("edi@acme-trading.example")).isEmpty();

        // the same file from an address no partner owns is refused, not guessed
        send(mailWithAttachment("someone@elsewhere.example", "edi-by-stranger-0016@elsewhere.example", "po.x12", x12));
        jakarta.jms.Message dead = deadLetter("HubReasonCode = 'UNKNOWN_PARTNER'");
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty("HubExceptionMessage")).contains("someone@elsewhere.example is not the address of any partner");
        await().atMost(WAIT).until(() -> Mail.messageIds(imap, INTAKE, INTAKE_PASSWORD, "Quarantine")
                .contains("<edi-by-stranger-0016@elsewhere.example>"));
    }

    private static String raw(Message m) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            m.writeTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
