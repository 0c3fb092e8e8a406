package io.intakehub.bench;

import org.junit.jupiter.api.Test;

/**
 * B5's smoke run in every build (failsafe, after the jar is packaged): the packaged hub dispatches a few
 * hundred records, clean and with poison among them, and a plain JMS producer sends the same; the harness
 * fails itself unless every message id is on the queue exactly once and every poison record is
 * dead-lettered. It times nothing that could fail the build.
 */
class DispatchBenchmarkIT {

    @Test
    void theHarnessStillRunsEndToEnd() throws Exception {
        DispatchBenchmark.main(new String[] {"300", "0"});
    }
}
