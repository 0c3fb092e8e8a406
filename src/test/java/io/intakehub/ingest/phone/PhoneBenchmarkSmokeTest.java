package io.intakehub.ingest.phone;

import static org.assertj.core.api.Assertions.assertThat;

import io.intakehub.bench.PhoneExportBenchmark;
import org.junit.jupiter.api.Test;

/**
 * Keeps the phone-export benchmark (B1) from rotting: a small run of the real harness — the hub on its
 * embedded default, an export dropped into its folder, the raw producer beside it. The harness itself
 * fails unless every row is accepted once and every record written once; this times nothing.
 */
class PhoneBenchmarkSmokeTest {

    @Test
    void theHarnessStreamsAnExportAndTheBaselineSendsTheSameNumberOfRecords() throws Exception {
        PhoneExportBenchmark.Result r = PhoneExportBenchmark.measure(3000, 1);
        assertThat(r.hubRowsPerSecond()).isPositive();
        assertThat(r.rawRecordsPerSecond()).isPositive();
        assertThat(r.hubCpuMicros()).isPositive();
        assertThat(r.callIdFloorRecordsPerSecond()).isPositive();
        assertThat(r.floorRecordsPerSecond()).isPositive();
    }
}
