package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.canonical.MessageIds;
import io.intakehub.customers.CustomerDirectory;
import io.intakehub.local.EmbeddedSftpServer;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Mail;
import io.intakehub.support.Sftp;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.core.JmsTemplate;

/**
 * The intake rules end to end, through real Kafka, Artemis, SFTP, SMTP/IMAP and H2: a new
 * customer is registered once however many channels it orders through; a key account's order overtakes
 * a small customer's on the ERP queue; an escalated complaint reaches the desk and the escalations queue
 * with its due times; the same purchase order by email and by EDI is delivered once.
 */
class IntakeRulesFlowTest extends HubFlowTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    EmbeddedSftpServer sftp;

    @Autowired
    CustomerDirectory directory;

    @Value("${hub.embedded.smtp-port}")
    int smtp;

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String randomMobile() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "139 " + (1000 + r.nextInt(9000)) + " " + (1000 + r.nextInt(9000));
    }

    private String postOrder(String customerJson, String orderNumber, boolean urgent) throws Exception {
        String body = "{" + customerJson + ",\"orderNumber\":\"" + orderNumber + "\",\"orderType\":\"standard\","
                + "\"orderedAt\":\"2026-11-23T09:00:00+08:00\",\"currency\":\"CNY\",\"urgent\":" + urgent + ","
                + "\"deliveryAddress\":{\"text\":\"杭州市西湖区文三路 99 号\"},"
                + "\"lines\":[{\"productName\":\"A4 copy paper\",\"quantity\":2,\"unit\":\"carton\",\"unitPrice\":\"45.00\"}]}";
        var res = postJson("/api/v1/orders", body);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        return json(res.body()).path("trackingId").asText();
    }

    private JsonNode body(Message m) throws Exception {
        return json(((TextMessage) m).getText());
    }

    private List<JsonNode> registrationsFor(String customerId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (var r : records(props.getKafka().getTopics().getRegistrations(), r -> r.value() != null)) {
            String text = new String(r.value(), StandardCharsets.UTF_8);
            if (!text.startsWith("{")) {
                continue; // another test's poison record
            }
            JsonNode n = json(text);
            if (customerId.equals(n.at("/customer/id").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void aNewCustomerIsRegisteredOnceWhicheverChannelsItOrdersThrough() throws Exception {
        String phone = randomMobile();
        String name = "西湖花店 " + suffix();
        String first = postOrder("\"customerName\":\"" + name + "\",\"contactPerson\":\"王女士\",\"phone\":\"" + phone + "\"", "WEB-" + suffix(), false);

        Message order = receive(props.getQueues().getOrders(), first, WAIT);
        assertThat(order).as("the order on the ERP queue").isNotNull();
        JsonNode o = body(order);
        String customerId = o.at("/customer/id").asText();
        assertThat(customerId).startsWith("H-");
        assertThat(o.at("/intake/flags").toString()).contains("NEW_CUSTOMER", "NON_MEMBER_CONFIRM");
        assertThat(o.at("/intake/deliveryFee/amount").asText()).as("90 yuan is below the free-delivery total").isEqualTo("10");
        assertThat(o.at("/intake/dueTimes/delivery").asText()).isEqualTo("2026-11-24T18:00:00+08:00");

        String registrationId = MessageIds.of("web", "registration", first, 0);
        Message registration = receive(props.getQueues().getRegistrations(), registrationId, WAIT);
        assertThat(registration).as("the registration on the CRM queue").isNotNull();
        JsonNode reg = body(registration);
        assertThat(reg.at("/registration/kind").asText()).isEqualTo("new");
        assertThat(reg.at("/registration/name").asText()).isEqualTo(name);
        assertThat(reg.at("/registration/phone").asText()).isEqualTo(phone);
        assertThat(reg.at("/registration/address/text").asText()).isEqualTo("杭州市西湖区文三路 99 号");
        assertThat(reg.at("/customer/id").asText()).isEqualTo(customerId);
        assertThat(reg.at("/correlationId").asText()).as("linked to the order").isEqualTo(o.at("/correlationId").asText());

        // the same customer again on the web (phone written differently) and by phone export: no second registration
        String second = postOrder("\"customerName\":\"" + name + "\",\"phone\":\"+86 " + phone + "\"", "WEB-" + suffix(), false);
        JsonNode o2 = body(receive(props.getQueues().getOrders(), second, WAIT));
        assertThat(o2.at("/customer/id").asText()).isEqualTo(customerId);
        assertThat(o2.at("/intake/customerMatch").asText()).isEqualTo("phone");
        assertThat(o2.at("/intake/flags").toString()).doesNotContain("NEW_CUSTOMER");

        String call = "RULES-" + suffix();
        String csv = "Call ID,Start Time,Caller Number,Customer Number,Customer Name,Agent,Call Type,Product Code,Product,Specification,"
                + "Quantity,Unit Price,Order or Batch Number,Amount,Description,Requested Action\n"
                + call + ",2026-11-23 10:15:00," + phone + ",," + name + ",agent07,Order,P-4411,Copy paper A4,80 g,5,21.50,PH-" + suffix()
                + ",107.50,,\n";
        String file = "rules-" + call + ".csv";
        Path in = Path.of(props.getPhone().getRoot(), "in");
        Files.createDirectories(in);
        Path part = in.resolve(file + ".part");
        Files.writeString(part, csv, StandardCharsets.UTF_8);
        Files.move(part, in.resolve(file));
        Path ack = Path.of(props.getPhone().getRoot(), "done", file + ".ack.csv");
        await().atMost(WAIT).until(() -> Files.exists(ack));
        assertThat(Files.readString(ack)).contains("ACCEPTED");
        String phoneId = MessageIds.of("phone", "ticket", call, 0);
        JsonNode o3 = body(receive(props.getQueues().getOrders(), phoneId, WAIT));
        assertThat(o3.at("/customer/id").asText()).as("the phone order finds the customer the web registered").isEqualTo(customerId);

        assertThat(registrationsFor(customerId)).as("one registration for three orders on two channels").hasSize(1);
        assertThat(count(props.getQueues().getRegistrations(), MessageIds.of("web", "registration", second, 0))).isZero();
        assertThat(count(props.getQueues().getRegistrations(), MessageIds.of("phone", "registration", phoneId, 0))).isZero();
    }

    @Test
    void theCrmsOwnRecordReplacesThePendingCustomerTheHubRegistered() throws Exception {
        String phone = randomMobile();
        String name = "Lakeside Dental " + suffix();
        String first = postOrder("\"customerName\":\"" + name + "\",\"phone\":\"" + phone + "\"", "LD-" + suffix(), false);
        String provisional = body(receive(props.getQueues().getOrders(), first, WAIT)).at("/customer/id").asText();
        assertThat(directory.find(provisional).orElseThrow().status()).isEqualTo("PENDING");

        // the CRM registers the customer under its own number and publishes it
        String number = "C-" + suffix();
        produce(props.getKafka().getTopics().getCustomers(), number, ("{\"customerNumber\":\"" + number + "\",\"name\":\"" + name
                + "\",\"phones\":[\"" + phone + "\"],\"member\":true,\"monthlyVolume\":9000}").getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> directory.find(provisional).isEmpty() && directory.find(number).isPresent());

        String second = postOrder("\"customerName\":\"" + name + "\",\"phone\":\"" + phone + "\"", "LD-" + suffix(), false);
        JsonNode o = body(receive(props.getQueues().getOrders(), second, WAIT));
        assertThat(o.at("/customer/id").asText()).isEqualTo(number);
        assertThat(o.at("/customer/class").asText()).isEqualTo("key-account");
        assertThat(o.at("/customer/member").asBoolean()).isTrue();
        assertThat(o.at("/intake/flags").toString()).doesNotContain("NEW_CUSTOMER", "NON_MEMBER_CONFIRM");
        assertThat(count(props.getQueues().getRegistrations(), MessageIds.of("web", "registration", second, 0))).isZero();
    }

    @Test
    void aRegistrationFormForAKnownCustomerIsFlaggedNotRegisteredAgain() throws Exception {
        var res = postJson("/api/v1/registrations", "{\"name\":\"Harbour Print Shop\",\"contactPerson\":\"Mr Lin\","
                + "\"phone\":\"021 5555 0101\",\"address\":{\"text\":\"5 Harbour Street, Shanghai\"}}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        String id = json(res.body()).path("trackingId").asText();
        JsonNode r = body(receive(props.getQueues().getRegistrations(), id, WAIT));
        assertThat(r.at("/intake/flags").toString()).contains("ALREADY_REGISTERED");
        assertThat(r.at("/customer/id").asText()).isEqualTo("C-10045");
    }

    @Test
    void aKeyAccountsOrderOvertakesASmallCustomersOnTheErpQueue() throws Exception {
        String small = postOrder("\"customerNumber\":\"C-10045\",\"customerName\":\"Harbour Print Shop\"", "SMALL-" + suffix(), false);
        await().atMost(WAIT).until(() -> count(props.getQueues().getOrders(), small) == 1);
        String key = postOrder("\"customerNumber\":\"C-20017\",\"customerName\":\"上海华东文具有限公司\"", "KEY-" + suffix(), false);
        await().atMost(WAIT).until(() -> count(props.getQueues().getOrders(), key) == 1);

        JmsTemplate t = new JmsTemplate(jms.getConnectionFactory());
        t.setReceiveTimeout(WAIT.toMillis());
        String both = "HubMessageId IN ('" + small + "', '" + key + "')";
        Message firstOut = t.receiveSelected(props.getQueues().getOrders(), both);
        Message secondOut = t.receiveSelected(props.getQueues().getOrders(), both);
        assertThat(firstOut.getStringProperty("HubMessageId")).as("the key account's, sent second, comes out first").isEqualTo(key);
        assertThat(firstOut.getJMSPriority()).isEqualTo(7);
        assertThat(secondOut.getStringProperty("HubMessageId")).isEqualTo(small);
        assertThat(secondOut.getJMSPriority()).isEqualTo(4);
        JsonNode k = body(firstOut);
        assertThat(k.at("/customer/class").asText()).isEqualTo("key-account");
        assertThat(k.at("/customer/member").asBoolean()).isTrue();
        assertThat(k.at("/intake/dueTimes/delivery").asText()).as("ordered 09:00: the same afternoon").isEqualTo("2026-11-23T18:00:00+08:00");
    }

    @Test
    void anEscalatedComplaintReachesTheDeskAndTheEscalationsQueueWithItsDueTimes() throws Exception {
        var res = postJson("/api/v1/complaints", "{\"customerNumber\":\"C-10045\",\"customerName\":\"Harbour Print Shop\","
                + "\"description\":\"整批硒鼓漏粉 " + suffix() + ",打印机损坏\",\"amountInvolved\":\"6800.00\",\"requests\":[\"compensation\"]}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        String id = json(res.body()).path("trackingId").asText();

        Message desk = receive(props.getQueues().getComplaints(), id, WAIT);
        Message escalation = receive(props.getQueues().getEscalations(), id, WAIT);
        assertThat(desk).as("on the complaint desk").isNotNull();
        assertThat(escalation).as("on the escalations queue").isNotNull();
        assertThat(escalation.getJMSPriority()).isEqualTo(8);
        JsonNode c = body(escalation);
        assertThat(c.at("/intake/flags").toString()).contains("ESCALATED");
        assertThat(c.at("/intake/approvalTier").asText()).isEqualTo("general-manager");
        assertThat(c.at("/intake/severity").asText()).isEqualTo("major");
        assertThat(c.at("/intake/cause").asText()).isEqualTo("quality");
        assertThat(c.at("/intake/escalatedTo").asText()).contains("deputy-general-manager", "general-manager");
        for (String due : List.of("reply", "coordinate", "resolve", "fileForm", "close")) {
            assertThat(c.at("/intake/dueTimes/" + due).asText()).as(due).matches("\\d{4}-\\d{2}-\\d{2}T.*\\+08:00");
        }
        assertThat(body(desk).at("/intake/dueTimes")).isEqualTo(c.at("/intake/dueTimes"));

        var minor = postJson("/api/v1/complaints", "{\"customerNumber\":\"C-10045\",\"description\":\"One pen is missing " + suffix()
                + "\",\"amountInvolved\":\"1.20\"}");
        String minorId = json(minor.body()).path("trackingId").asText();
        assertThat(receive(props.getQueues().getComplaints(), minorId, WAIT)).isNotNull();
        assertThat(count(props.getQueues().getEscalations(), minorId)).as("a minor complaint is not escalated").isZero();
    }

    @Test
    void theSamePurchaseOrderByEmailAndByEdiIsDeliveredOnce() throws Exception {
        String po = "PO-DUP-" + suffix();
        int control = 100_000 + ThreadLocalRandom.current().nextInt(800_000);
        // the email sample's order (customer C-10042, lines in a CSV attachment) under this test's PO number
        String mail = Files.readString(Path.of("src/test/resources/samples/email/order-csv.eml"), StandardCharsets.UTF_8)
                .replace("order-csv-0004@acme-trading.example", po + "@acme-trading.example").replace("PO-2026-0042", po)
                .replace("<buyer@acme-trading.example>", "<purchasing@acme-trading.example>");
        Mail.send(smtp, "purchasing@acme-trading.example", List.of("intake@localhost"), mail.getBytes(StandardCharsets.UTF_8));
        String emailId = MessageIds.of("email", null, po + "@acme-trading.example", 0);
        await().atMost(WAIT).until(() -> recordsWithMessageId(props.getKafka().getTopics().getOrders(), emailId).size() == 1);

        String isa13 = String.format("%09d", control);
        String edi = Files.readString(Path.of("src/test/resources/samples/edi/x12-850-004010.edi"))
                .replace("000000905", isa13).replace("*905*X*", "*" + control + "*X*").replace("GE*1*905", "GE*1*" + control)
                .replace("BEG*00*SA*4500012344", "BEG*00*SA*" + po);
        Sftp.upload(sftp.port(), "acme", "acme-local-password", "/in/dup-" + po + ".edi", edi.getBytes(StandardCharsets.UTF_8));
        String ediId = MessageIds.of("edi", "ACME", "ZZ:ACMEBUYER/" + isa13 + "/" + control + "/0001", 0);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = json(get("/api/v1/intake/" + ediId).body());
            assertThat(status.path("status").asText()).isEqualTo("DUPLICATE");
            assertThat(status.path("events").toString()).contains("duplicate-of:" + emailId);
        });
        assertThat(recordsWithMessageId(props.getKafka().getTopics().getOrders(), ediId)).as("the EDI copy is not delivered").isEmpty();
        assertThat(records(props.getKafka().getTopics().getOrders(), r -> new String(r.value(), StandardCharsets.UTF_8).contains(po)))
                .as("one order with this PO number").hasSize(1);
        assertThat(receive(props.getQueues().getOrders(), emailId, WAIT)).isNotNull();
        assertThat(count(props.getQueues().getOrders(), ediId)).isZero();

        // the partner's acknowledgement accepts the transaction: it was sound, only not new
        Path out = Path.of(props.getEdi().getRoot(), "ACME", "out");
        await().atMost(WAIT).until(() -> Files.list(out).anyMatch(f -> read(f).contains("AK1*PO*" + control) && read(f).contains("AK5*A")));
    }

    @Test
    void theSameComplaintByTwoChannelsWithinTheWindowIsDeliveredOnce() throws Exception {
        String text = "三箱复印纸受潮 " + suffix();
        var web = postJson("/api/v1/complaints", "{\"customerNumber\":\"C-10023\",\"description\":\"" + text + "\"}");
        String first = json(web.body()).path("trackingId").asText();
        var again = postJson("/api/v1/complaints", "{\"customerNumber\":\"C-10023\",\"description\":\" " + text.replace(" ", "  ") + "。\"}");
        assertThat(again.statusCode()).isEqualTo(202);
        JsonNode answer = json(again.body());
        assertThat(answer.path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(answer.path("duplicateOf").asText()).isEqualTo(first);
        assertThat(receive(props.getQueues().getComplaints(), first, WAIT)).isNotNull();
        assertThat(recordsWithMessageId(props.getKafka().getTopics().getComplaints(), answer.path("trackingId").asText())).isEmpty();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
