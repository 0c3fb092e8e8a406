package io.intakehub.ingest.phone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.intakehub.canonical.CanonicalAssembler;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.Envelope;
import io.intakehub.canonical.SchemaValidator;
import io.intakehub.mapping.CanonicalMapper;
import io.intakehub.mapping.MappingRegistry;
import io.intakehub.shared.ReasonCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/**
 * The shipped export profiles and phone mappings, without Spring: each sample export under
 * {@code samples/phone/} read with the profile that fits it, every row mapped, wrapped and
 * validated, must equal the {@code .expected.json} beside it (English and Chinese values). Run with
 * {@code -Dgolden.update=true} to rewrite the expected files after a deliberate change.
 */
class PhoneRowsGoldenTest {

    static final Path SAMPLES = Path.of("src/test/resources/samples/phone");
    static final OffsetDateTime READ_AT = OffsetDateTime.parse("2026-11-23T18:00:00+08:00");
    static PhoneProfiles profiles;
    static PhoneRows rows;

    @BeforeAll
    static void load() {
        profiles = PhoneProfiles.load("classpath:mappings/phone/", ZoneId.of("Asia/Shanghai"));
        rows = new PhoneRows(new CanonicalMapper(MappingRegistry.fromLocation("classpath:mappings/"),
                new CanonicalAssembler(new SchemaValidator())));
    }

    /** Reads a whole export as the route does (profile by first row, then row by row). */
    static List<PhoneRows.Item> read(String name, byte[] bytes) throws IOException {
        PhoneLayout layout = profiles.match(() -> new ByteArrayInputStream(bytes), 65536)
                .orElseThrow(() -> new AssertionError(name + " fits no profile"));
        List<PhoneRows.Item> items = new ArrayList<>();
        PhoneProfile p = layout.profile();
        try (CsvRowReader r = p.reader(new ByteArrayInputStream(bytes), 65536)) {
            while (r.hasNext()) {
                CsvRowReader.Row row = r.next();
                if (!(layout.firstRowIsHeader() && row.number() == 1)) {
                    items.add(rows.item(layout, row, new PhoneRows.FileInfo(name, READ_AT)));
                }
            }
        }
        return items;
    }

    static void assertGolden(String sample, List<PhoneRows.Item> items) throws Exception {
        ArrayNode actual = CanonicalJson.mapper().createArrayNode();
        for (PhoneRows.Item it : items) {
            assertThat(it.plan).as("line " + it.line + ": " + it.problem).isNotEqualTo(PhoneRows.Plan.REJECT);
            if (it.plan == PhoneRows.Plan.DELIVER) {
                actual.add(CanonicalJson.mapper().readTree(it.bytes));
                // the records mirror the schema
                Envelope env = CanonicalJson.mapper().readValue(it.bytes, Envelope.class);
                JSONAssert.assertEquals(new String(it.bytes, StandardCharsets.UTF_8),
                        CanonicalJson.mapper().writeValueAsString(env), JSONCompareMode.STRICT);
            }
        }
        Path expected = SAMPLES.resolve(sample.replace(".csv", ".expected.json"));
        String text = CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(actual);
        Files.createDirectories(Path.of("target/golden-actual"));
        Files.writeString(Path.of("target/golden-actual", expected.getFileName().toString()), text);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expected, text + "\n", StandardCharsets.UTF_8);
        }
        JSONAssert.assertEquals(Files.readString(expected, StandardCharsets.UTF_8), text, JSONCompareMode.STRICT);
    }

    @Test
    void englishTicketExportMapsEveryCallTypeToItsGoldenMessages() throws Exception {
        List<PhoneRows.Item> items = read("ticket-en.csv", Files.readAllBytes(SAMPLES.resolve("ticket-en.csv")));
        assertThat(items).extracting(i -> i.plan + ":" + i.messageType).containsExactly(
                "DELIVER:order", "DELIVER:complaint", "DELIVER:customer-registration", "JOURNAL:inquiry");
        assertThat(items).extracting(i -> i.line).containsExactly(2L, 3L, 5L, 6L); // the complaint spans two lines
        assertGolden("ticket-en.csv", items);
    }

    @Test
    void chineseTicketExportInGbkWithCrlfReadsAsTheUtf8OneAndMapsToItsGoldenMessages() throws Exception {
        String text = Files.readString(SAMPLES.resolve("ticket-zh.csv"), StandardCharsets.UTF_8);
        byte[] gbk = text.replace("\n", "\r\n").getBytes(Charset.forName("GBK"));
        List<PhoneRows.Item> fromGbk = read("ticket-zh.csv", gbk);
        assertThat(fromGbk).extracting(i -> i.plan + ":" + i.messageType).containsExactly(
                "DELIVER:order", "DELIVER:complaint", "DELIVER:customer-registration", "JOURNAL:inquiry");
        assertGolden("ticket-zh.csv", fromGbk);

        byte[] bom = ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8);
        List<PhoneRows.Item> fromBom = read("ticket-zh.csv", bom);
        for (int i = 0; i < fromGbk.size(); i++) {
            assertThat(fromBom.get(i).id).isEqualTo(fromGbk.get(i).id);
            assertThat(fromBom.get(i).hash).as("same row, same content hash, whatever the encoding").isEqualTo(fromGbk.get(i).hash);
            if (fromGbk.get(i).bytes != null) {
                assertThat(new String(fromBom.get(i).bytes, StandardCharsets.UTF_8)).isEqualTo(new String(fromGbk.get(i).bytes, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void asteriskMasterCsvRowsAreContactEventsOnTheCallerOneEventPerLeg() throws Exception {
        List<PhoneRows.Item> items = read("master-cdr.csv", Files.readAllBytes(SAMPLES.resolve("master-cdr.csv")));
        assertThat(items).allMatch(i -> i.plan == PhoneRows.Plan.CONTACT);
        assertThat(items).extracting(i -> i.id).doesNotHaveDuplicates(); // two legs of one uniqueid are two events
        PhoneStore.Contact answered = items.get(1).contact;
        assertThat(answered.phone()).isEqualTo("0571-8765-4321");
        assertThat(answered.disposition()).isEqualTo("ANSWERED");
        assertThat(answered.answeredAt()).isEqualTo(OffsetDateTime.parse("2026-11-23T09:01:25+08:00"));
        assertThat(answered.durationS()).isEqualTo(330);
        assertThat(answered.billableS()).isEqualTo(315);
        assertThat(answered.reference()).isEqualTo("1763859670.10");
        assertThat(items.get(0).contact.answeredAt()).as("NO ANSWER has no answer time").isNull();
        assertThat(items.get(2).contact.customerNumber()).as("padding outside the quotes is not data").isEqualTo("C-20017");
    }

    @Test
    void badRowsSayWhatIsWrongWithWhichColumnAndValue() throws Exception {
        String csv = """
                Call ID,Start Time,Caller Number,Call Type,Product,Quantity,Unit Price,Description
                B-1,2026-11-23 09:00,138 0000 0001,Order,Paper,12x,2.00,
                B-2,,138 0000 0002,Order,Paper,1,2.00,
                B-3,2026-11-23 09:00,138 0000 0003,Fax,Paper,1,2.00,
                B-4,not a date,138 0000 0004,Order,Paper,1,2.00,
                B-5,2026-11-23 09:00,138 0000 0005,Order,Paper,1,2.00,extra,field
                B-6,2026-11-23 09:00,138 0000 0006,Complaint,Paper,1,,
                B-7,2026-11-23 09:00,138 0000 0007,Order,Paper,"1,200",2.00,
                
                B-8,2026-11-23 09:00,138 0000 0008,Order,Paper,1,2.00,"never closed
                """;
        List<PhoneRows.Item> items = read("bad.csv", csv.getBytes(StandardCharsets.UTF_8));
        Map<Long, PhoneRows.Item> byLine = new java.util.TreeMap<>();
        items.forEach(i -> byLine.put(i.line, i));
        assertThat(byLine.get(2L).reason).isEqualTo(ReasonCode.INVALID_INPUT);
        assertThat(byLine.get(2L).errors).extracting(e -> e.pointer() + " " + e.message()).containsExactly("quantity '12x' is not a number");
        assertThat(byLine.get(3L).errors).extracting(e -> e.pointer() + " " + e.message()).containsExactly("startTime required, but empty");
        assertThat(byLine.get(4L).reason).isEqualTo(ReasonCode.UNKNOWN_ROW_TYPE);
        assertThat(byLine.get(4L).problem).contains("'Fax'");
        assertThat(byLine.get(5L).errors.get(0).message()).startsWith("'not a date' is not a date/time in one of");
        assertThat(byLine.get(6L).problem).contains("the row has 9 fields; the layout has 8");
        assertThat(byLine.get(7L).reason).as("a complaint without a description breaks the schema").isEqualTo(ReasonCode.INVALID_INPUT);
        assertThat(byLine.get(7L).errors).extracting(e -> e.pointer()).contains("/complaint");
        assertThat(byLine.get(8L).plan).as("1,200 in quotes is a grouped number").isEqualTo(PhoneRows.Plan.DELIVER);
        assertThat(byLine.get(9L).plan).isEqualTo(PhoneRows.Plan.SKIP);
        assertThat(byLine.get(10L).reason).isEqualTo(ReasonCode.ROW_TRUNCATED);
        assertThat(byLine.get(10L).raw).startsWith("B-8,").contains("never closed");
    }

    @Test
    void aFileNoProfileFitsHasNoLayout() throws IOException {
        byte[] csv = "name,comment\nWang,hello\n".getBytes(StandardCharsets.UTF_8);
        assertThat(profiles.match(() -> new ByteArrayInputStream(csv), 65536)).isEmpty();
    }

    @Test
    void aCutLastRowWithoutItsLineBreakIsTruncated() throws Exception {
        String csv = "Call ID,Start Time,Caller Number,Call Type,Description\n"
                + "T-1,2026-11-23 09:00,138 0000 0001,Inquiry,ok\n"
                + "T-2,2026-11-23 09:0";
        List<PhoneRows.Item> items = read("cut.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(items.get(0).plan).isEqualTo(PhoneRows.Plan.JOURNAL);
        assertThat(items.get(1).reason).isEqualTo(ReasonCode.ROW_TRUNCATED);
        assertThat(items.get(1).problem).contains("2 of 5 fields");
    }
}
