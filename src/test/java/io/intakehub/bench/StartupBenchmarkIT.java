package io.intakehub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * B6's smoke run in every build (failsafe, after the jar is packaged): the packaged hub starts in the
 * prod profile on servers it did not start itself, the empty baseline starts from the same jar, and a
 * small export goes through with every row accepted once (the harness checks the receipt). It times
 * nothing that could fail the build; the numbers are the benchmark's business.
 */
class StartupBenchmarkIT {

    @Test
    void theHarnessStillRunsEndToEnd() throws Exception {
        StartupBenchmark.UnderLoad runs = StartupBenchmark.run(new String[] {"0", "2000"});
        for (StartupBenchmark.Start underLoad : List.of(runs.standard(), runs.small())) {
            assertThat(underLoad.rowsPerSecond()).isPositive();
            assertThat(underLoad.peakRss()).isGreaterThan(underLoad.rssAtReady() / 2);
        }
    }
}
