package io.intakehub.ingest.edi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transaction checks of {@link TransactionStructure}, error for error, without Spring: each case
 * changes one thing in a valid sample and names every error the reader must report — code, segment,
 * position counted from ST/UNH, element, component, data element and the value found. The expected
 * lists are what StAEDI's own validator reported for the same files when it validated the
 * transactions (before the hub compiled the schemas itself), so acknowledgements (AK3/AK4, UCS/UCD)
 * say the same as before.
 */
class EdiValidationTest {

    static final Path SAMPLES = Path.of("src/test/resources/samples/edi");
    static EdiSchemas schemas;
    static String x12;
    static String edifact;

    @BeforeAll
    static void load() throws IOException {
        schemas = new EdiSchemas();
        x12 = Files.readString(SAMPLES.resolve("x12-850-004010.edi"));
        edifact = Files.readString(SAMPLES.resolve("edifact-orders-d96a.edi"));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                x("mandatory segment missing (no BEG)", s -> count(s.replace("BEG*00*SA*4500012344**20261122~\n", ""), -1),
                        "MANDATORY_SEGMENT_MISSING CUR 2 0 0 BEG BEG"),
                x("mandatory loop missing (no PO1)", s -> count(s.replaceAll("(PO1|PID)\\*[^~]*~\n", ""), -4),
                        "MANDATORY_SEGMENT_MISSING CTT 12 0 0 PO1 PO1"),
                x("everything mandatory missing (empty transaction)",
                        s -> s.replaceAll("(?s)ST\\*850\\*0001~.*SE\\*17\\*0001~", "ST*850*0001~\nSE*2*0001~"),
                        "MANDATORY_SEGMENT_MISSING SE 2 0 0 BEG BEG", "MANDATORY_SEGMENT_MISSING SE 2 0 0 PO1 PO1"),
                x("invalid date", s -> s.replace("**20261122~", "**20261332~"), "INVALID_DATE BEG 2 5 0 E0373 20261332"),
                x("invalid time", s -> s.replace("*20261124*1000~", "*20261124*2561~"), "INVALID_TIME DTM 5 3 0 E0337 2561"),
                x("invalid code", s -> s.replace("BEG*00*SA*", "BEG*00*XQ*"), "INVALID_CODE_VALUE BEG 2 2 0 E0092 XQ"),
                x("too long", s -> s.replace("4500012344", "4500012344450001234445000123444"),
                        "DATA_ELEMENT_TOO_LONG BEG 2 3 0 E0324 4500012344450001234445000123444"),
                x("letters in a number", s -> s.replace("PO1*1*10*", "PO1*1*1O*"), "INVALID_CHARACTER_DATA PO1 12 2 0 E0330 1O"),
                x("required element empty", s -> s.replace("BEG*00*SA*", "BEG*00**"), "REQUIRED_DATA_ELEMENT_MISSING BEG 2 2 0 E0092 "),
                x("too many elements", s -> s.replace("**20261122~", "**20261122*1*2*3*4*5*6*7*8*9~"),
                        "DATA_ELEMENT_TOO_SHORT BEG 2 7 0 E0587 2", "TOO_MANY_DATA_ELEMENTS BEG 2 13 0 null 8",
                        "TOO_MANY_DATA_ELEMENTS BEG 2 14 0 null 9"),
                x("components in a simple element", s -> s.replace("*4500012344*", "*4500>012344*"),
                        "TOO_MANY_COMPONENTS BEG 2 3 1 E0324 4500", "TOO_MANY_COMPONENTS BEG 2 3 2 E0324 012344"),
                x("segment not in the transaction set", s -> count(s.replace("CUR*BY*CNY~", "CUR*BY*CNY~\nZZZ*1~"), 1),
                        "SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET ZZZ 4 0 0 null ZZZ"),
                x("segment of the set where it has no place", s -> count(s.replace("N4*Shanghai**200120*CN~", "N4*Shanghai**200120*CN~\nCUR*BY*CNY~"), 1),
                        "UNEXPECTED_SEGMENT CUR 12 0 0 null CUR"),
                x("segment out of sequence", s -> count(s.replace("DTM*002*20261124*1000~", "DTM*002*20261124*1000~\nPER*BD*X~"), 1),
                        "SEGMENT_NOT_IN_PROPER_SEQUENCE PER 6 0 0 PER PER"),
                x("segment over its maximum use", s -> count(s.replace("PER*BD*Helen Carter*TE*+86 21 5555 0142~",
                        "PER*BD*A~\nPER*BD*B~\nPER*BD*C~\nPER*BD*D~"), 3),
                        "SEGMENT_EXCEEDS_MAXIMUM_USE PER 7 0 0 PER PER"),
                x("loop over its maximum", s -> count(s.replace("CTT*2~", "CTT*2~\nCTT*2~"), 1),
                        "LOOP_OCCURS_OVER_MAXIMUM_TIMES CTT 17 0 0 CTT_LOOP CTT"),
                x("loops that only have their first segment", s -> count(s.replace("PID*F****Ballpoint pen blue~",
                        "PID*F****Ballpoint pen blue~\nPO1*3*1*EA*1.00~\nPO1*4*1*EA*1.00~"), 2)),
                e("invalid code in a composite", s -> s.replace("BGM+220+", "BGM+999+"), "INVALID_CODE_VALUE BGM 2 1 1 E1001 999"),
                e("required component missing", s -> s.replace("DTM+137:20261122:102'", "DTM+:20261122:102'"),
                        "REQUIRED_DATA_ELEMENT_MISSING DTM 3 1 1 E2005 "),
                e("segment not in the message", s -> s.replace("CUX+2:CNY:9'", "CUX+2:CNY:9'\nXYZ+1'").replace("UNT+21", "UNT+22"),
                        "SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET XYZ 11 0 0 null XYZ"),
                e("mandatory section control missing", s -> s.replace("UNS+S'\n", "").replace("UNT+21", "UNT+20"),
                        "MANDATORY_SEGMENT_MISSING CNT 19 0 0 UNS UNS"),
                e("too many components", s -> s.replace("QTY+21:10:CT'", "QTY+21:10:CT:9:9:9'"),
                        "TOO_MANY_COMPONENTS QTY 13 1 4 C186 9", "TOO_MANY_COMPONENTS QTY 13 1 5 C186 9",
                        "TOO_MANY_COMPONENTS QTY 13 1 6 C186 9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachErrorIsReportedWhereItIs(String name, String standard, UnaryOperator<String> change, List<String> expected) throws Exception {
        EdiTransaction t = readOne(change.apply(standard.equals("X12") ? x12 : edifact));
        List<String> actual = new ArrayList<>();
        for (EdiError e : t.errors()) {
            actual.add(String.join(" ", e.code(), e.segmentTag(), String.valueOf(e.segmentPosition()), String.valueOf(e.elementPosition()),
                    String.valueOf(e.componentPosition()), String.valueOf(e.dataElement()), String.valueOf(e.found())));
        }
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(t.valid()).isEqualTo(expected.isEmpty());
    }

    @Test
    void theTreeHasTheSchemaLoopsAndCompositesAsArrays() throws Exception {
        ObjectNode tree = readOne(x12).tree();
        assertThat(tree.path("N1_LOOP")).hasSize(2);
        assertThat(tree.path("N1_LOOP").get(1).path("N3").get(0).path("N301").asText()).isEqualTo("100 Century Avenue");
        assertThat(tree.path("PO1_LOOP")).hasSize(2);
        assertThat(tree.path("PO1_LOOP").get(1).path("PID_LOOP").get(0).path("PID").get(0).path("PID05").asText())
                .isEqualTo("Ballpoint pen blue");
        assertThat(tree.path("CTT_LOOP").get(0).path("CTT").get(0).path("CTT01").asText()).isEqualTo("2");

        ObjectNode message = readOne(edifact).tree();
        // a composite is an array even when only its first component is sent (BGM01 "220")
        assertThat(message.path("BGM").get(0).path("BGM01").isArray()).isTrue();
        assertThat(message.path("BGM").get(0).path("BGM01").get(0).asText()).isEqualTo("220");
        assertThat(message.path("LIN_LOOP")).hasSize(2);
        assertThat(message.path("LIN_LOOP").get(0).path("PRI_LOOP").get(0).path("PRI").get(0).path("PRI01").get(1).asText())
                .isEqualTo("125.50");
    }

    @Test
    void aDecimalCommaIsWrittenAsAPointInDecimalElementsOnly() throws Exception {
        String comma = edifact.replace("UNA:+.? '", "UNA:+,? '").replace("PRI+AAA:125.50'", "PRI+AAA:125,50'")
                .replace("FTX+AAI+++Please call before delivery'", "FTX+AAI+++Call before delivery, please'");
        EdiTransaction t = readOne(comma);
        assertThat(t.errors()).isEmpty();
        ObjectNode line = (ObjectNode) t.tree().path("LIN_LOOP").get(0);
        assertThat(line.path("PRI_LOOP").get(0).path("PRI").get(0).path("PRI01").get(1).asText()).isEqualTo("125.50");
        assertThat(t.tree().path("FTX").get(0).path("FTX04").get(0).asText()).isEqualTo("Call before delivery, please");
    }

    @Test
    void aByteOrderMarkAndCtrlZPaddingAreIgnored() throws Exception {
        byte[] text = x12.getBytes(StandardCharsets.US_ASCII);
        byte[] padded = new byte[text.length + 6];
        padded[0] = (byte) 0xEF;
        padded[1] = (byte) 0xBB;
        padded[2] = (byte) 0xBF;
        System.arraycopy(text, 0, padded, 3, text.length);
        padded[padded.length - 3] = 0x1A;
        padded[padded.length - 2] = 0x1A;
        padded[padded.length - 1] = 0x1A;
        try (EdiReader r = new EdiReader(new ByteArrayInputStream(padded), schemas)) {
            assertThat(r.hasNext()).isTrue();
            assertThat(r.next().errors()).isEmpty();
            assertThat(r.hasNext()).isFalse();
            assertThat(r.envelopes()).singleElement().satisfies(env -> assertThat(env.errors).isEmpty());
        }
    }

    private static EdiTransaction readOne(String text) throws IOException {
        try (EdiReader r = new EdiReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), schemas)) {
            assertThat(r.hasNext()).as("a transaction in %s", text).isTrue();
            return r.next();
        }
    }

    /** Keeps SE01 true to a change that adds or removes segments. */
    private static String count(String s, int delta) {
        return s.replace("SE*17*0001", "SE*" + (17 + delta) + "*0001");
    }

    private static Arguments x(String name, UnaryOperator<String> change, String... errors) {
        return Arguments.of(name, "X12", change, List.of(errors));
    }

    private static Arguments e(String name, UnaryOperator<String> change, String... errors) {
        return Arguments.of(name, "EDIFACT", change, List.of(errors));
    }
}
