package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.shared.ReasonCode;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Mail;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestContextManager;

/**
 * The generated-input tier: inputs nobody wrote for the code — random Unicode (CJK, supplementary planes, controls),
 * lengths up to and past the schemas' limits, wrong JSON types at every field, runs of blanks and repeats, broken
 * quoting, stray header lines — sent through the running hub, each checked against the settlement invariant: it is
 * accepted, a recognised duplicate, or refused with a documented reason code, within a time bound; nothing is on a
 * topic twice; and the channel then takes an ordinary input.
 *
 * <p>{@code mvn -B verify} runs a fixed seed and a bounded number of tries; {@code -Pfuzz} sets
 * {@code jqwik.tries.default} and random seeds, and jqwik prints the seed and the shrunk input of a failure.
 */
class GeneratedInputsProperties {

    static final Duration BOUND = Duration.ofSeconds(30);
    static final Set<String> CODES = Arrays.stream(ReasonCode.values()).map(Enum::name).collect(Collectors.toSet());
    static final List<String> ORDER_FIELDS = List.of("customerNumber", "customerName", "contactPerson", "phone", "email", "orderNumber",
            "orderType", "orderedAt", "requiredDelivery", "urgent", "deliveryAddress", "deliveryDistanceKm", "paymentMethod",
            "totalAmount", "currency", "remarks", "lines", "description", "requests", "name", "region", "address", "member");
    static final List<String> LINE_FIELDS = List.of("productCode", "productName", "quantity", "unit", "unitPrice", "lineAmount", "special");

    /** The hub the flow tests share (Spring's context cache): the same embedded servers, started once per JVM. */
    static class Hub extends HubFlowTestSupport {
        @Value("${hub.embedded.smtp-port}")
        int smtp;

        @Value("${hub.embedded.imap-port}")
        int imap;

        @org.springframework.beans.factory.annotation.Autowired
        io.intakehub.local.EmbeddedSftpServer sftp;

        @org.springframework.beans.factory.annotation.Autowired
        org.springframework.jdbc.core.JdbcTemplate jdbc;

        /** The mail settled in the hub's own record: accepted (or a duplicate) in the journal, or dead-lettered. */
        boolean settled(String mailMessageId) {
            String id = io.intakehub.canonical.MessageIds.of("email", null, mailMessageId, 0);
            Integer events = jdbc.queryForObject("select count(*) from journal_event where message_id = ? and event in "
                    + "('ACCEPTED', 'DUPLICATE', 'DEAD_LETTERED')", Integer.class, id);
            return events != null && events > 0 || Boolean.TRUE.equals(jms.browseSelected(props.getQueues().getDeadLetters(),
                    "HubSourceRef = '<" + mailMessageId + ">'", (s, b) -> b.getEnumeration().hasMoreElements()));
        }

        HttpResponse<String> send(String path, String body, String... headers) throws Exception {
            return postJson(path, body, headers);
        }

        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> onTopic(String topic, String messageId) {
            return recordsWithMessageId(topic, messageId);
        }

        long onTopicContaining(String topic, String text) {
            return records(topic, r -> new String(r.value(), StandardCharsets.UTF_8).contains(text)).size();
        }

        io.intakehub.config.HubProperties settings() {
            return props;
        }
    }

    static Hub hub;

    @BeforeContainer
    static void start() throws Exception {
        hub = new Hub();
        TestContextManager manager = new TestContextManager(Hub.class);
        manager.prepareTestInstance(hub);
        // camel-test-spring starts the CamelContext before each JUnit test method; jqwik has none, so it is started here
        // (a no-op when another test class of the JVM started this cached context already)
        manager.getTestContext().getApplicationContext().getBean(org.apache.camel.CamelContext.class).start();
    }

    @AfterContainer
    static void ordinaryInputsStillSettle() throws Exception {
        // after everything generated, each channel still takes an ordinary input
        HttpResponse<String> res = hub.send("/api/v1/complaints",
                "{\"customerName\": \"Wang\", \"description\": \"after the generated inputs\"}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    }

    // ---------------------------------------------------------------- web

    @Property(tries = 100, seed = "20261207")
    void everyGeneratedWebPostIsAcceptedOrRefusedWithAReason(@ForAll("forms") ObjectNode form, @ForAll("paths") String path)
            throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> res = hub.send(path, form.toString(), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body());
        net.jqwik.api.statistics.Statistics.collect(res.statusCode(), body.path("reasonCode").asText(""));
        assertThat(res.statusCode()).as(res.body()).isIn(202, 400);
        if (res.statusCode() == 400) {
            assertThat(body.path("reasonCode").asText()).as(res.body()).isIn(CODES);
        } else {
            String id = body.path("trackingId").asText();
            String topic = path.endsWith("orders") ? hub.settings().getKafka().getTopics().getOrders()
                    : path.endsWith("complaints") ? hub.settings().getKafka().getTopics().getComplaints()
                    : hub.settings().getKafka().getTopics().getRegistrations();
            if (!"DUPLICATE".equals(body.path("status").asText())) {
                await().atMost(BOUND).until(() -> hub.onTopic(topic, id).size() >= 1);
                assertThat(hub.onTopic(topic, id)).as("exactly once on " + topic).hasSize(1);
            }
        }
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/api/v1/orders", "/api/v1/complaints", "/api/v1/registrations");
    }

    @Provide
    Arbitrary<ObjectNode> forms() {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(texts(300).map(JsonNodeFactory.instance::textNode),
                Arbitraries.bigDecimals().between(new java.math.BigDecimal("-1e12"), new java.math.BigDecimal("1e12"))
                        .map(JsonNodeFactory.instance::numberNode),
                Arbitraries.of(true, false).map(JsonNodeFactory.instance::booleanNode),
                Arbitraries.just(JsonNodeFactory.instance.nullNode()));
        Arbitrary<JsonNode> line = Arbitraries.maps(Arbitraries.of(LINE_FIELDS), scalar).ofMaxSize(LINE_FIELDS.size()).map(m -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            m.forEach(o::set);
            return o;
        });
        // a field's value of any shape: a value, a list of lines, a list of values, a group
        Arbitrary<JsonNode> any = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalar),
                net.jqwik.api.Tuple.of(2, line.list().ofMaxSize(4).map(GeneratedInputsProperties::array)),
                net.jqwik.api.Tuple.of(1, scalar.list().ofMaxSize(3).map(GeneratedInputsProperties::array)),
                net.jqwik.api.Tuple.of(1, line));
        Arbitrary<ObjectNode> random = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(ORDER_FIELDS), texts(30)), any).ofMaxSize(14).map(m -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            m.forEach(o::set);
            return o;
        });
        // half of them on top of a form that would be taken, so that the generated values reach the mapping, the rules
        // and Kafka rather than stopping at the first missing field
        Arbitrary<ObjectNode> nearlyValid = Combinators.combine(random, texts(300), texts(300)).as((o, name, text) -> {
            ObjectNode base = JsonNodeFactory.instance.objectNode().put("customerName", name.isBlank() ? "Wang" : name)
                    .put("name", name.isBlank() ? "Wang" : name).put("description", text.isBlank() ? "broken" : text)
                    .put("orderNumber", "PO-" + UUID.randomUUID());
            base.putArray("lines").addObject().put("productCode", "A4-80").put("quantity", "2");
            o.fields().forEachRemaining(e -> {
                if (Math.abs(e.getKey().hashCode()) % 2 == 0) {
                    base.set(e.getKey(), e.getValue());
                }
            });
            return base;
        });
        return Arbitraries.oneOf(random, nearlyValid);
    }

    private static ArrayNode array(List<JsonNode> items) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        items.forEach(a::add);
        return a;
    }

    // ---------------------------------------------------------------- phone

    @Property(tries = 12, seed = "20261207")
    void everyGeneratedExportRowIsTakenOrRefusedWithAReasonAndTheFileSettles(@ForAll("rows") List<String> rows) throws Exception {
        String name = "generated-" + UUID.randomUUID() + ".csv";
        StringBuilder csv = new StringBuilder(PhoneChannelFlowTest.HEADER);
        rows.forEach(r -> csv.append(r).append('\n'));
        Path in = Path.of(hub.settings().getPhone().getRoot(), "in");
        Files.write(in.resolve(name + ".part"), csv.toString().getBytes(StandardCharsets.UTF_8));
        Files.move(in.resolve(name + ".part"), in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Path done = Path.of(hub.settings().getPhone().getRoot(), "done", name + ".ack.csv");
        Path failed = Path.of(hub.settings().getPhone().getRoot(), "failed", name + ".ack.csv");
        await().atMost(BOUND.multipliedBy(2)).until(() -> !Files.exists(in.resolve(name)) && (Files.exists(done) || Files.exists(failed)));
        List<String> receipt = Files.readAllLines(Files.exists(done) ? done : failed, StandardCharsets.UTF_8);
        for (String l : receipt.subList(1, receipt.size())) {
            String[] f = l.split(",", 5);
            assertThat(f[1]).as(l).isIn("ACCEPTED", "DUPLICATE", "REJECTED", "SKIPPED");
            if (f[1].equals("REJECTED")) {
                assertThat(f[3]).as(l).isIn(CODES);
            }
        }
    }

    @Provide
    Arbitrary<List<String>> rows() {
        Arbitrary<String> cell = Arbitraries.oneOf(texts(40), Arbitraries.of("", "\"", "\"\"", "\"a,b\"", "\"never closed",
                "\"\"\"\"\"\"\"\"", " ".repeat(500), "Order", "Complaint", "Registration", "12", "12x", "2026-11-23 10:00", "C-10045",
                "138 0000 0001", "¥3,500.00", "\u0000", "\r"));
        Arbitrary<String> row = cell.list().ofMinSize(1).ofMaxSize(12).map(c -> String.join(",", c));
        return row.list().ofMinSize(1).ofMaxSize(12);
    }

    // ---------------------------------------------------------------- email

    @Property(tries = 16, seed = "20261207")
    void everyGeneratedMailSettlesAndIsRecordedOnce(@ForAll("headerLines") List<String> extra, @ForAll("bodies") String body)
            throws Exception {
        String id = "gen-" + UUID.randomUUID() + "@customer.example";
        StringBuilder mail = new StringBuilder("From: Generated <gen@customer.example>\r\nTo: intake@localhost\r\nMessage-ID: <" + id + ">\r\n");
        extra.forEach(h -> mail.append(h).append("\r\n"));
        mail.append("Subject: generated\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").append(body);
        byte[] bytes = mail.toString().getBytes(StandardCharsets.UTF_8);
        // each generated mail kept under target/ (a failure names its Message-ID): what replays it by hand
        Path kept = Path.of("target", "generated-mails", id + ".eml");
        Files.createDirectories(kept.getParent());
        Files.write(kept, bytes);
        Mail.send(hub.smtp, "gen@customer.example", List.of("intake@localhost"), bytes);
        // settled as the hub records it: accepted once in the journal, or dead-lettered with a reason; the move to
        // Processed or Quarantine that follows is the mail server's (GreenMail cannot move every generated mail)
        // (GreenMail's IMAP session sometimes hangs on moving a mail until the client's 30-s read timeout; the hub then
        // reads the mail again and recognises it as processed: the bound allows for one such hang)
        await().atMost(BOUND.multipliedBy(3)).until(() -> hub.settled(id));
    }

    @Provide
    Arbitrary<List<String>> headerLines() {
        return Arbitraries.oneOf(Arbitraries.of("X-Note: " + "a ".repeat(400), "not a header line", " folded continuation",
                "Subject: =?utf-8?B?5oqV6K+J?=", "Subject: =?gb2312?Q?=CD=B6=CB=DF?=", "Content-Type: text/plain; charset=ISO-2022-CN",
                "Reply-To: a..b@customer.example", "Date: not a date", "Precedence: bulk", "Auto-Submitted: auto-replied",
                "X-Empty:", ":no name", "From: second@customer.example"), texts(60).map(t -> "X-Gen: " + t.replace("\r", "")
                .replace("\n", ""))).list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> line = Arbitraries.oneOf(texts(200), Arbitraries.of("Name:" + " ".repeat(2000) + "x",
                "问题描述：" + "长".repeat(3000), "Customer number: C-10045", "Quantity: 1,200 件", "请求：希望尽快换货，运费由你们承担",
                "> quoted", "-- ", "<td>html?</td>", " \t".repeat(1000) + ":"));
        return line.list().ofMaxSize(10).map(l -> String.join("\r\n", l).replace("\n.", "\n.."));
    }

    // ---------------------------------------------------------------- EDI

    static final java.util.concurrent.atomic.AtomicInteger CONTROL = new java.util.concurrent.atomic.AtomicInteger(
            700_000 + (int) (System.nanoTime() % 100_000));

    @Property(tries = 16, seed = "20261207")
    void everyGeneratedInterchangeLeavesTheInboxAndNoOrderIsTakenTwice(@ForAll("ediMutations") List<String> mutations)
            throws Exception {
        int control = CONTROL.incrementAndGet();
        String po = "PO-GEN-" + control;
        String edi = EdiRejectionFlowTest.x12(control, po);
        for (String m : mutations) {
            edi = mutate(edi, m);
        }
        String name = "generated-" + control + ".edi";
        io.intakehub.support.Sftp.upload(hub.sftp.port(), "acme", "acme-local-password", "/in/" + name,
                edi.getBytes(StandardCharsets.ISO_8859_1));
        Path in = Path.of(hub.settings().getEdi().getRoot(), "ACME", "in", name);
        await().atMost(BOUND).until(() -> !Files.exists(in));
        String orders = hub.settings().getKafka().getTopics().getOrders();
        Thread.sleep(300);
        assertThat(hub.onTopicContaining(orders, po)).as("orders for " + po).isLessThanOrEqualTo(1);
    }

    @Provide
    Arbitrary<List<String>> ediMutations() {
        return Arbitraries.of("drop-segment", "repeat-segment", "blank-element", "long-element", "cjk-element", "bad-delimiter",
                "cut-end", "lowercase", "nul", "extra-st").list().ofMaxSize(3);
    }

    /** One change to an interchange, of the kinds partners' software makes. */
    static String mutate(String edi, String how) {
        String[] segs = edi.split("~", -1);
        int mid = Math.min(segs.length - 2, 4 + Math.abs(edi.hashCode() % Math.max(1, segs.length - 6)));
        switch (how) {
            case "drop-segment" -> segs[mid] = "";
            case "repeat-segment" -> segs[mid] = segs[mid] + "~" + segs[mid];
            case "blank-element" -> segs[mid] = segs[mid].replaceFirst("\\*[^*]+", "*");
            case "long-element" -> segs[mid] = segs[mid] + "*" + "9".repeat(5000);
            case "cjk-element" -> segs[mid] = segs[mid] + "*中文";
            case "bad-delimiter" -> segs[mid] = segs[mid].replace('*', '|');
            case "cut-end" -> {
                return edi.substring(0, edi.length() * 2 / 3);
            }
            case "lowercase" -> segs[mid] = segs[mid].toLowerCase(java.util.Locale.ROOT);
            case "nul" -> segs[mid] = segs[mid] + "\u0000";
            case "extra-st" -> segs[mid] = segs[mid] + "~ST*850*0001";
            default -> throw new IllegalArgumentException(how);
        }
        return String.join("~", segs);
    }

    // ---------------------------------------------------------------- text

    /** Text of every kind: CJK, supplementary planes (𠀀, emoji), controls, blanks, markup-like runs. */
    static Arbitrary<String> texts(int max) {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('\u0020', '\u007e').withCharRange('\u4e00', '\u9fff')
                .withCharRange('\u3000', '\u303f').withChars('\t', '\u00a0', '\ufeff', '\u2028', '：', '，', '\u0001').ofMaxLength(max);
        Arbitrary<String> supplementary = Arbitraries.of("\uD840\uDC00", "\uD83D\uDE00", "\uD87E\uDC04").list().ofMaxSize(Math.max(1, max / 2))
                .map(l -> String.join("", l));
        Arbitrary<String> repeated = Arbitraries.of(" ", "[0]", "<", "=?", "：", "\"", "长").flatMap(u ->
                Arbitraries.integers().between(1, Math.max(1, max / u.length())).map(u::repeat));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(2, supplementary), net.jqwik.api.Tuple.of(2, repeated));
    }

}
