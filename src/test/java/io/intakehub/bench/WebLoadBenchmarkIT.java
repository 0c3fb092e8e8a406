package io.intakehub.bench;

import org.junit.jupiter.api.Test;

/**
 * B3's smoke run in every build (failsafe, after the jar is packaged): the packaged hub and the bare
 * baseline endpoint each take a short constant-rate step of web posts, every one answered 202 (the
 * harness fails itself otherwise). It times nothing that could fail the build.
 */
class WebLoadBenchmarkIT {

    @Test
    void theHarnessStillRunsEndToEnd() throws Exception {
        WebLoadBenchmark.main(new String[] {"2", "smoke"});
    }
}
