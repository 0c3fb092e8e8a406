package io.intakehub.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.intakehub.ingest.email.EmailForm;
import io.intakehub.ingest.email.HtmlText;
import org.junit.jupiter.api.Test;

/**
 * Matching outside input takes time linear in its length. Every pattern the hub keeps is an RE2/J pattern (no
 * backtracking), none is written as a {@code java.util.regex} pattern or a regex String method, and each one is run
 * here against adversarial text — long runs of every character class the patterns care about, nested repeats,
 * 1 MB lines — within a time bound.
 */
class LinearMatchingTest {

    static final Path MAIN = Path.of("src/main/java");
    /** Generous for one pattern over every adversarial input on a loaded 2-core machine; backtracking takes minutes. */
    static final long BOUND_MS = 10_000;

    @Test
    void noBacktrackingMatcherIsUsedInTheHub() throws IOException {
        java.util.regex.Pattern stringRegex = java.util.regex.Pattern.compile(
                "\\.(replaceAll|replaceFirst)\\(\"([^\"\\\\]|\\\\.)*\",|\\.matches\\(\"|\\.split\\(\"([^\"\\\\]|\\\\.){2,}\"");
        List<String> found = new ArrayList<>();
        for (Path f : sources()) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (l.contains("java.util.regex") || (stringRegex.matcher(l).find() && !l.contains(".split(\"\\\\"))) {
                    found.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + l.strip());
                }
            }
        }
        assertThat(found).as("java.util.regex backtracks; use a com.google.re2j.Pattern field").isEmpty();
    }

    @Test
    void everyPatternOfTheHubRunsInLinearTimeOnAdversarialText() throws Exception {
        List<String> inputs = adversarial();
        List<String> slow = new ArrayList<>();
        int checked = 0;
        for (Field f : patternFields()) {
            Pattern p = (Pattern) f.get(null);
            long start = System.nanoTime();
            for (String s : inputs) {
                Matcher m = p.matcher(s);
                m.matches();
                for (int n = 0; m.find() && n < 10_000; n++) {
                    // the whole find loop, as replaceAll would walk it
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms > BOUND_MS) {
                slow.add(f.getDeclaringClass().getSimpleName() + "." + f.getName() + " " + ms + " ms");
            }
            checked++;
        }
        assertThat(checked).as("pattern fields found").isGreaterThan(40);
        assertThat(slow).isEmpty();
    }

    @Test
    void theEmailFormAndHtmlReadersTakeAdversarialBodiesInLinearTime() {
        EmailForm form = EmailForm.load("file:mappings/email/labels.yaml", java.time.ZoneId.of("Asia/Shanghai"));
        long start = System.nanoTime();
        for (String s : adversarial()) {
            form.read(s);
            form.read("问题描述:" + s + "\n");
            HtmlText.toText("<table><tr><td>" + s + "</td></tr></table>");
        }
        // a body of 3 KB of blanks with a label-like line, the shape that once held the poller for minutes
        form.read("Name:" + " ".repeat(3000) + "x\n" + " ".repeat(3000) + ":\n");
        HtmlText.toText("<" + " ".repeat(200_000) + "<!--" + "<script>".repeat(20_000) + "<td>".repeat(50_000));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(30_000);
    }

    /** Long runs of each class of character the patterns look at, alone, between markers and interleaved. */
    static List<String> adversarial() {
        List<String> out = new ArrayList<>();
        String[] units = {" ", "\t", "a", "0", ":", "：", "<", ">", "=?", "?", "@", ".", "-", "\n", "中", "*", "[0]", "&#",
                ",", "\"", ";", "/", "_", " a", "a:", "=?utf-8?b?", "<a ", "-- ", "\r\n ", "\\"};
        for (String u : units) {
            // 1 MB lines of the classes the form and header patterns repeat over; shorter runs of the rest
            int line = List.of(" ", "a", ":", "<", "中", "=?").contains(u) ? 1 << 20 : 64 << 10;
            out.add(u.repeat(line / u.length()));
            out.add("x" + u.repeat(20_000 / u.length()) + "!"); // a run that fails at its end
            out.add((u + "x").repeat(5_000)); // interleaved
        }
        out.add("a".repeat(30) + " ".repeat(100_000) + ":");
        out.add(("=?utf-8?q?" + "=".repeat(60) + "?=").repeat(2_000));
        out.add("((((((((((" + "a".repeat(10_000));
        return out;
    }

    static List<Field> patternFields() throws Exception {
        List<Field> out = new ArrayList<>();
        for (Path f : sources()) {
            String name = MAIN.relativize(f).toString().replace('/', '.').replaceAll("\\.java$", "");
            Class<?> c = Class.forName(name, true, LinearMatchingTest.class.getClassLoader());
            for (Class<?> k : Stream.concat(Stream.of(c), Stream.of(c.getDeclaredClasses())).toList()) {
                for (Field field : k.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) && field.getType() == Pattern.class) {
                        field.setAccessible(true);
                        out.add(field);
                    }
                }
            }
        }
        return out;
    }

    static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).sorted().toList();
        }
    }
}
