package io.intakehub.ingest.edi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.intakehub.bench.EdiThroughputBenchmark;
import io.intakehub.mapping.MappingKey;
import io.intakehub.mapping.MappingRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the EDI benchmark (B2) from rotting: its generator, scan and parse+map agree on a small file. */
class EdiBenchmarkSmokeTest {

    @TempDir
    Path dir;

    @Test
    void generatedInterchangeIsScannedAndEveryTransactionMapped() throws Exception {
        Path file = dir.resolve("b2.edi");
        long n = EdiThroughputBenchmark.generate(file, 64 * 1024);
        assertThat(n).isGreaterThan(100);
        assertThat(Files.readString(file)).endsWith("GE*" + n + "*1~\nIEA*1*000000001~\n");
        assertThat(EdiThroughputBenchmark.scan(file)).isEqualTo(n * 17 + 4);
        var mapping = MappingRegistry.fromLocation("classpath:mappings/").find(new MappingKey("edi", "edi-x12", "BENCH", "850"));
        assertThat(EdiThroughputBenchmark.parseAndMap(file, new EdiSchemas(), mapping, n)).isEqualTo(n);
    }
}
