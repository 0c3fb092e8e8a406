package io.intakehub.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The project's own text: every relative link in the README and the docs leads to a file that exists (and to a heading
 * in it, when it names one), and code, routes, mappings, deployment files and docs say why things are as they are now,
 * not which issue or working session brought them (that is the commit log's). The Flyway scripts are left out: their
 * checksums are part of every store they have migrated.
 */
class ProjectTextTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HISTORY = Pattern.compile("\\b([Ii]ssues? #?\\d|[Ss]essions? \\d)");
    private static final Set<String> TEXT = Set.of(".java", ".md", ".yaml", ".yml", ".jslt", ".json", ".html", ".sql", ".properties",
            ".conf", ".xml", ".csv", ".txt", ".sh");

    private static List<Path> docs() throws IOException {
        List<Path> all = new ArrayList<>(List.of(Path.of("README.md"), Path.of("BENCHMARKS.md")));
        try (Stream<Path> walk = Files.walk(Path.of("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(all::add);
        }
        return all;
    }

    /** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String heading) {
        String text = heading.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT).replace("`", "");
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == ' ') {
                out.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static Set<String> anchors(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("#")).map(ProjectTextTest::anchor)
                .collect(Collectors.toSet());
    }

    @Test
    void everyRelativeLinkInTheReadmeAndTheDocsLeadsToAFileAndHeadingThatExist() throws Exception {
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path doc : docs()) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                links++;
                String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String fragment = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path file = path.isEmpty() ? doc : doc.toAbsolutePath().getParent().resolve(path).normalize();
                if (!Files.exists(file)) {
                    broken.add(doc + ": " + target + " (no such file)");
                } else if (fragment != null && file.toString().endsWith(".md") && !anchors(file).contains(fragment)) {
                    broken.add(doc + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(links).as("links checked").isGreaterThan(10);
        assertThat(broken).isEmpty();
    }

    @Test
    void codeAndDocsSayWhyNotWhichIssueOrSessionBroughtThem() throws Exception {
        List<String> found = new ArrayList<>();
        Path self = Path.of("src/test/java/io/intakehub/docs/ProjectTextTest.java");
        for (String root : List.of("src", "routes", "mappings", "deploy", "docs", "README.md", "BENCHMARKS.md", "Dockerfile",
                "docker-compose.yml", "pom.xml")) {
            if (!Files.exists(Path.of(root))) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(Path.of(root))) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    String name = p.getFileName().toString();
                    boolean text = name.equals("Dockerfile") || TEXT.stream().anyMatch(name::endsWith);
                    if (!text || p.equals(self) || p.startsWith("src/main/resources/db/migration") || p.startsWith("src/test/resources/samples")) {
                        continue;
                    }
                    List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        if (HISTORY.matcher(lines.get(i)).find()) {
                            found.add(p + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
