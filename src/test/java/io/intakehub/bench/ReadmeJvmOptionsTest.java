package io.intakehub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The small-footprint JVM options B6 measures are the ones the README and the Dockerfile tell operators to set. */
class ReadmeJvmOptionsTest {

    @Test
    void theReadmeAndTheDockerfileGiveTheOptionsB6Measures() throws Exception {
        assertThat(Files.readString(Path.of("README.md"))).contains("JAVA_TOOL_OPTIONS=\"" + StartupBenchmark.SMALL_FOOTPRINT + " ");
        assertThat(Files.readString(Path.of("Dockerfile"))).contains(StartupBenchmark.SMALL_FOOTPRINT);
    }
}
