package io.intakehub.ingest.edi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.intakehub.bench.EdiThroughputBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-ahead the route uses hands out exactly what the single-threaded {@link EdiReader} reads, in
 * the same order; it never runs further ahead than its bound (so no outcome is spilled undecided); and
 * it stops its thread wherever the route stops.
 */
class EdiReadAheadTest {

    private static final EdiSchemas SCHEMAS = new EdiSchemas();

    @Test
    void handsOutWhatTheReaderReadsForEverySampleAndBrokenVariant() throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        try (Stream<Path> files = Files.list(EdiMappingGoldenTest.SAMPLES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".edi")).sorted().toList()) {
                byte[] b = Files.readAllBytes(f);
                inputs.add(b);
                inputs.add(Arrays.copyOf(b, b.length * 2 / 3)); // truncated inside the interchange
                inputs.add(new String(b, StandardCharsets.ISO_8859_1).replace("BEG*00*", "BEG*XQ*").replace("BGM+", "BGM+999+")
                        .getBytes(StandardCharsets.ISO_8859_1)); // an invalid code value
            }
        }
        if (Files.isDirectory(EdiConformanceTest.CORPUS)) {
            for (String folder : EdiConformanceTest.EDI_FOLDERS) {
                try (Stream<Path> files = Files.list(EdiConformanceTest.CORPUS.resolve(folder))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".edi") || p.toString().endsWith(".txt")).sorted().toList()) {
                        inputs.add(Files.readAllBytes(f));
                    }
                }
            }
        }
        byte[] many = manyTransactions(EdiReadAhead.BATCH * 3 + 5);
        inputs.add(many);
        inputs.add(Arrays.copyOf(many, many.length - 40));
        assertThat(inputs).hasSizeGreaterThan(13);
        for (byte[] input : inputs) {
            assertThat(readAhead(input)).isEqualTo(single(input));
        }
    }

    @Test
    void neverRunsMoreThanItsBoundAheadAndAcknowledgesEveryDecisionTheRouteMade(@TempDir Path dir) throws Exception {
        assertThat(EdiReadAhead.MAX_LEAD).isLessThan(EdiEnvelope.Outcomes.IN_MEMORY / 2);
        Path file = dir.resolve("big.edi");
        long n = EdiThroughputBenchmark.generate(file, 1_500_000); // about 3,500 transactions: outcomes spill
        ByteArrayOutputStream ack = new ByteArrayOutputStream();
        long maxLead = 0;
        try (EdiReadAhead r = new EdiReadAhead(new EdiReader(Files.newInputStream(file), SCHEMAS), "big.edi")) {
            long i = 0;
            while (r.hasNext()) {
                EdiTransaction t = r.next();
                if (i % 500 == 0 && n - i > EdiReadAhead.MAX_LEAD) {
                    // a slow route: the reader fills its queue and then waits, however slow this machine is
                    long full = (long) EdiReadAhead.BATCH * EdiReadAhead.QUEUED;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (r.lead() < full && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    assertThat(r.lead()).as("lead once the reader had time to fill its queue").isGreaterThanOrEqualTo(full);
                    Thread.sleep(20); // and it goes no further while the route stands still
                }
                maxLead = Math.max(maxLead, r.lead());
                t.outcome().status = i++ % 10 == 0 ? EdiEnvelope.Status.REJECTED : EdiEnvelope.Status.ACCEPTED;
            }
            assertThat(i).isEqualTo(n);
            AckWriter.x12(r.envelopes().get(0), "997", new AckWriter.Controls(7, 7), ZoneOffset.UTC, ack);
        }
        assertThat(maxLead).isBetween((long) EdiReadAhead.BATCH * EdiReadAhead.QUEUED, (long) EdiReadAhead.MAX_LEAD);
        String text = ack.toString(StandardCharsets.US_ASCII);
        long rejected = (n + 9) / 10;
        assertThat(text.split("AK5\\*R\\*5~", -1)).hasSize((int) rejected + 1);
        assertThat(text.split("AK5\\*A~", -1)).hasSize((int) (n - rejected) + 1);
        assertThat(text).contains("AK2*850*000000001~\nAK5*R*5~", "AK2*850*000000002~\nAK5*A~");
        assertThat(text).contains("AK9*P*" + n + "*" + n + "*" + (n - rejected) + "~");
    }

    @Test
    void closingWhereTheRouteStoppedEndsTheReadingThread(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stopped.edi");
        EdiThroughputBenchmark.generate(file, 1_500_000);
        EdiReadAhead r = new EdiReadAhead(new EdiReader(Files.newInputStream(file), SCHEMAS), "stopped-" + System.nanoTime());
        for (int i = 0; i < 10; i++) {
            r.next();
        }
        Thread reading = readingThread(r);
        assertThat(reading).isNotNull();
        assertThatThrownBy(r::envelopes).isInstanceOf(IllegalStateException.class).hasMessageContaining("after its last transaction");
        r.close();
        assertThat(reading.isAlive()).isFalse();
    }

    @Test
    void aFailureOfTheReadingThreadReachesTheRoute() throws Exception {
        byte[] head = manyTransactions(3);
        InputStream failing = new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                if (pos == head.length / 2) {
                    throw new InternalError("disk controller gone");
                }
                return head[pos++] & 0xff;
            }
        };
        try (EdiReadAhead r = new EdiReadAhead(new EdiReader(failing, SCHEMAS), "failing")) {
            assertThatThrownBy(() -> {
                while (r.hasNext()) {
                    r.next();
                }
            }).isInstanceOf(InternalError.class).hasMessage("disk controller gone");
            assertThat(r.hasNext()).isFalse();
        }
    }

    private static Thread readingThread(EdiReadAhead r) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("edi-read-stopped-"))
                .findFirst().orElse(null);
    }

    private static List<String> single(byte[] input) throws IOException {
        try (EdiReader r = new EdiReader(new ByteArrayInputStream(input), SCHEMAS)) {
            List<String> out = dump(r);
            out.addAll(dump(r.envelopes()));
            return out;
        }
    }

    private static List<String> readAhead(byte[] input) throws IOException {
        try (EdiReadAhead r = new EdiReadAhead(new EdiReader(new ByteArrayInputStream(input), SCHEMAS), "test")) {
            List<String> out = dump(r);
            out.addAll(dump(r.envelopes()));
            return out;
        }
    }

    private static List<String> dump(java.util.Iterator<EdiTransaction> transactions) {
        List<String> out = new ArrayList<>();
        while (transactions.hasNext()) {
            EdiTransaction t = transactions.next();
            out.add(t.index() + " " + t.type() + " " + t.typeVersion() + " " + t.controlNumber() + " " + t.supported() + " "
                    + t.acknowledgement() + " " + t.segmentCount() + " " + t.errors() + " " + t.tree());
        }
        return out;
    }

    private static List<String> dump(List<EdiEnvelope> envelopes) {
        List<String> out = new ArrayList<>();
        for (EdiEnvelope e : envelopes) {
            out.add(e.standard + " " + e.version + " " + e.key() + " " + e.receiverQualifier + ":" + e.receiverId + " " + e.closed
                    + " " + e.errors);
            for (EdiEnvelope.Group g : e.groups) {
                out.add(" group " + g.functionalId + " " + g.controlNumber + " " + g.closed + " " + g.errors + " " + g.transactions.size());
                g.transactions.forEach(o -> out.add("  " + o.type + " " + o.controlNumber + " " + o.status + " " + o.errors));
            }
        }
        return out;
    }

    private static byte[] manyTransactions(int n) throws IOException {
        Path tmp = Files.createTempFile("read-ahead-", ".edi");
        try {
            // the benchmark's generator writes transactions of about 450 bytes
            long written = EdiThroughputBenchmark.generate(tmp, n * 460L + 300);
            assertThat(written).isGreaterThanOrEqualTo(n - 2);
            return Files.readAllBytes(tmp);
        } finally {
            Files.delete(tmp);
        }
    }
}
