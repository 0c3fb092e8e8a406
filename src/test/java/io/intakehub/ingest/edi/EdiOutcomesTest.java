package io.intakehub.ingest.edi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.intakehub.bench.EdiThroughputBenchmark;

/**
 * The outcomes of a large group stay in bounded memory (older ones in a temporary file) and come
 * back complete and in order for the acknowledgement.
 */
class EdiOutcomesTest {

    @Test
    void outcomesBeyondTheInMemoryWindowComeBackInOrderWithTheirErrors() throws Exception {
        int n = EdiEnvelope.Outcomes.IN_MEMORY * 3 + 17;
        EdiEnvelope.Outcomes outcomes = new EdiEnvelope.Outcomes();
        for (int i = 0; i < n; i++) {
            EdiEnvelope.Outcome o = new EdiEnvelope.Outcome("850", String.format("%04d", i), i % 2 == 0 ? "X.004010" : null);
            o.status = i % 7 == 0 ? EdiEnvelope.Status.REJECTED : EdiEnvelope.Status.ACCEPTED;
            o.messageId = i % 7 == 0 ? null : "ord-" + i;
            if (i % 7 == 0) {
                o.reasonCode = "EDI_INVALID";
                o.errors.add(new EdiError("INVALID_CODE_VALUE", "BEG", 2, 2, 0, "E0092", "XQ" + i, true, null));
            }
            outcomes.add(o);
        }
        assertThat(outcomes.size()).isEqualTo(n);
        for (int pass = 0; pass < 2; pass++) { // read twice: the finish step and the acknowledgement both iterate
            List<EdiEnvelope.Outcome> back = new ArrayList<>();
            outcomes.forEach(back::add);
            assertThat(back).hasSize(n);
            for (int i = 0; i < n; i++) {
                EdiEnvelope.Outcome o = back.get(i);
                assertThat(o.controlNumber).isEqualTo(String.format("%04d", i));
                assertThat(o.typeVersion).isEqualTo(i % 2 == 0 ? "X.004010" : null);
                assertThat(o.status).isEqualTo(i % 7 == 0 ? EdiEnvelope.Status.REJECTED : EdiEnvelope.Status.ACCEPTED);
                assertThat(o.messageId).isEqualTo(i % 7 == 0 ? null : "ord-" + i);
                assertThat(o.errors).hasSize(i % 7 == 0 ? 1 : 0);
                if (i % 7 == 0) {
                    assertThat(o.errors.get(0).found()).isEqualTo("XQ" + i);
                    assertThat(o.reasonCode).isEqualTo("EDI_INVALID");
                }
            }
        }
        outcomes.close();
    }

    @Test
    void anInterchangeOfThousandsOfTransactionsIsAcknowledgedLineByLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.edi");
        long n = EdiThroughputBenchmark.generate(file, 1_500_000); // about 3,500 transactions
        assertThat(n).isGreaterThan(EdiEnvelope.Outcomes.IN_MEMORY * 3L);
        ByteArrayOutputStream ack = new ByteArrayOutputStream();
        try (EdiReader r = new EdiReader(Files.newInputStream(file), new EdiSchemas())) {
            long i = 0;
            while (r.hasNext()) {
                EdiTransaction t = r.next();
                // every tenth rejected, as if its mapping had failed
                t.outcome().status = i++ % 10 == 0 ? EdiEnvelope.Status.REJECTED : EdiEnvelope.Status.ACCEPTED;
            }
            assertThat(i).isEqualTo(n);
            AckWriter.x12(r.envelopes().get(0), "997", new AckWriter.Controls(7, 7), ZoneOffset.UTC, ack);
        }
        String text = ack.toString(StandardCharsets.US_ASCII);
        long rejected = (n + 9) / 10;
        assertThat(text.split("AK2\\*850\\*", -1)).hasSize((int) n + 1);
        assertThat(text).contains("AK2*850*000000001~\nAK5*R*5~", "AK2*850*000000002~\nAK5*A~");
        assertThat(text).contains(String.format("AK2*850*%09d~", n));
        assertThat(text).contains("AK9*P*" + n + "*" + n + "*" + (n - rejected) + "~");
    }
}
