package io.intakehub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The small-footprint JVM options B6 measures are the ones the README and the Dockerfile tell operators to set, and
 * the image starts the hub the way B6 times it "as the image runs it".
 */
class ReadmeJvmOptionsTest {

    @Test
    void theReadmeAndTheDockerfileGiveTheOptionsB6Measures() throws Exception {
        assertThat(Files.readString(Path.of("docs/production.md"))).contains("JAVA_TOOL_OPTIONS=\"" + StartupBenchmark.SMALL_FOOTPRINT + " ");
        assertThat(Files.readString(Path.of("Dockerfile"))).contains(StartupBenchmark.SMALL_FOOTPRINT);
    }

    @Test
    void theImageTrainsAndUsesItsClassDataSharingArchiveAsB6Does() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ").replaceAll("[ \t]+", " ");
        assertThat(dockerfile).contains("java -Djarmode=tools -jar /tmp/intake-hub.jar extract --destination /app");
        StartupBenchmark.Launch.TRAINING_ENV.forEach((name, value) -> assertThat(dockerfile).contains(name + "=" + value + " "));
        assertThat(dockerfile).contains("java " + StartupBenchmark.Launch.WRITE_ARCHIVE + "/app/intake-hub.jsa -jar /app/intake-hub.jar");
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"" + StartupBenchmark.Launch.USE_ARCHIVE
                + "/app/intake-hub.jsa\", \"-jar\", \"/app/intake-hub.jar\"]");
    }
}
