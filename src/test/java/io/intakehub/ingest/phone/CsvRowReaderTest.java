package io.intakehub.ingest.phone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvRowReaderTest {

    private static List<CsvRowReader.Row> rows(byte[] bytes, String encoding) throws IOException {
        List<CsvRowReader.Row> out = new ArrayList<>();
        try (CsvRowReader r = new CsvRowReader(new ByteArrayInputStream(bytes), encoding, ',', '"', 10_000)) {
            while (r.hasNext()) {
                out.add(r.next());
            }
        }
        return out;
    }

    @Test
    void quotedFieldsKeepDelimitersQuotesAndNewlinesAndRowsKnowTheirLine() throws IOException {
        byte[] csv = "call_id,description\r\n1,\"broken, wet\"\r\n2,\"line one\r\nline \"\"two\"\"\"\r\n3,plain\r\n"
                .getBytes(StandardCharsets.UTF_8);
        List<CsvRowReader.Row> rows = rows(csv, "auto");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(1).fields()).containsExactly("1", "broken, wet");
        assertThat(rows.get(2).fields()).containsExactly("2", "line one\r\nline \"two\"");
        assertThat(rows.get(2).line()).isEqualTo(3);
        assertThat(rows.get(3).line()).isEqualTo(5);
        assertThat(rows.get(3).raw()).isEqualTo("3,plain");
        assertThat(rows.get(2).raw()).isEqualTo("2,\"line one\r\nline \"\"two\"\"\"");
    }

    @Test
    void blanksAroundQuotedFieldsArePaddingAsInAsteriskCdrFiles() throws IOException {
        byte[] csv = "\"\",\"791\"   ,  \"hq\"        ,\"\"\"Ann\"\" <791>\",10\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(rows(csv, "UTF-8").get(0).fields()).containsExactly("", "791", "hq", "\"Ann\" <791>", "10");
    }

    @Test
    void everyCallDetailFileOfTheConformanceCorpusReadsAsEighteenColumnRows() throws IOException {
        java.nio.file.Path dir = java.nio.file.Path.of("../shared/conformance/fafeitsch-cdrcsv-report-generator");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(dir), "the shared corpus is not beside the project");
        for (String[] f : new String[][] {{"cdr.csv", "218"}, {"smallcdr.csv", "45"}}) {
            List<CsvRowReader.Row> rows = rows(java.nio.file.Files.readAllBytes(dir.resolve(f[0])), "auto");
            assertThat(rows).as(f[0]).hasSize(Integer.parseInt(f[1]));
            assertThat(rows).as(f[0]).allSatisfy(r -> {
                assertThat(r.fields()).hasSize(18);
                assertThat(r.truncated()).isFalse();
            });
        }
    }

    @Test
    void aBomIsSkippedAndGbkIsRecognisedWithoutBeingDeclared() throws IOException {
        byte[] bom = "\uFEFF客户,数量\n王,3\n".getBytes(StandardCharsets.UTF_8);
        assertThat(rows(bom, "auto").get(0).fields()).containsExactly("客户", "数量");
        byte[] gbk = "客户,数量\n镕达,3\n".getBytes(Charset.forName("GBK"));
        try (CsvRowReader r = new CsvRowReader(new ByteArrayInputStream(gbk), "auto", ',', '"', 1000)) {
            assertThat(r.charset().name()).isEqualTo("GB18030");
            r.next();
            assertThat(r.next().fields()).containsExactly("镕达", "3");
        }
    }

    @Test
    void aTruncatedLastRowIsMarkedAndALastRowWithoutLineBreakIsComplete() throws IOException {
        List<CsvRowReader.Row> rows = rows("a,b\n1,2".getBytes(StandardCharsets.US_ASCII), "UTF-8");
        assertThat(rows.get(1).fields()).containsExactly("1", "2");
        assertThat(rows.get(1).truncated()).isFalse();
        List<CsvRowReader.Row> cut = rows("a,b\n1,\"never clo".getBytes(StandardCharsets.US_ASCII), "UTF-8");
        assertThat(cut.get(1).truncated()).isTrue();
    }

    @Test
    void aRowLongerThanTheLimitIsReportedWithoutHoldingItAndTheNextRowsAreRead() throws IOException {
        byte[] csv = ("a,b\n1," + "x".repeat(50_000) + "\n2,ok\n").getBytes(StandardCharsets.US_ASCII);
        List<CsvRowReader.Row> rows = rows(csv, "UTF-8");
        assertThat(rows.get(1).tooLong()).isTrue();
        assertThat(rows.get(1).raw()).hasSize(10_000);
        assertThat(rows.get(2).fields()).containsExactly("2", "ok");
        assertThat(rows.get(2).line()).isEqualTo(3);
    }

    @Test
    void aMillionRowsStreamInBoundedMemory() throws IOException {
        byte[] row = "1234567,2026-11-22 10:00:00,13800138000,C-10042,agent7,order,P-100,1.2mm,10,85.50,,,,\n"
                .getBytes(StandardCharsets.US_ASCII);
        InputStream million = new InputStream() {
            long left = 1_000_000L * row.length;
            @Override
            public int read() {
                return left-- > 0 ? row[(int) ((1_000_000L * row.length - left - 1) % row.length)] : -1;
            }
        };
        long n = 0;
        try (CsvRowReader r = new CsvRowReader(new java.io.BufferedInputStream(million), "UTF-8", ',', '"', 10_000)) {
            while (r.hasNext()) {
                CsvRowReader.Row x = r.next();
                n++;
                assertThat(x.fields()).hasSize(14);
            }
        }
        assertThat(n).isEqualTo(1_000_000L);
    }
}
