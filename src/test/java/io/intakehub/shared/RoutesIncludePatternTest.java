package io.intakehub.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code camel.main.routes-include-pattern} names every route file under {@code routes/} and nothing else,
 * without wildcards: a wildcard makes Camel scan the whole packaged jar at start-up (README, "Design notes").
 */
class RoutesIncludePatternTest {

    @Test
    void everyRouteFileIsNamedAndNoneIsAWildcard() throws Exception {
        Map<String, Object> yaml;
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.yaml"))) {
            yaml = new Yaml().load(in);
        }
        @SuppressWarnings("unchecked")
        String pattern = (String) ((Map<String, Object>) ((Map<String, Object>) yaml.get("camel")).get("main")).get("routes-include-pattern");
        assertThat(pattern).as("Camel does not trim the names").doesNotContain(" ");
        List<String> named = Arrays.stream(pattern.split(",")).toList();
        assertThat(named).allSatisfy(n -> assertThat(n).startsWith("classpath:routes/").doesNotContain("*"));
        List<String> files;
        try (Stream<Path> walk = Files.walk(Path.of("routes"))) {
            files = walk.filter(p -> p.toString().endsWith(".camel.yaml")).map(p -> "classpath:" + p.toString().replace('\\', '/')).toList();
        }
        assertThat(named).containsExactlyInAnyOrderElementsOf(files);
    }
}
