package io.intakehub.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a benchmark run printed, kept and written into {@code BENCHMARKS.md} between the "latest full run"
 * markers: date, machine, command, and every ratio table and verdict line of the six benchmarks. A full
 * run ({@code bench.only=all}, not quick) replaces that section; any other run writes
 * {@code target/bench/latest.md} only, so a partial run never stands in for the suite.
 * {@code main(log)} makes the same section from a saved log of a run.
 */
public final class BenchmarkReport {

    static final String START = "<!-- latest-full-run:start (written by the benchmark command; edit the text around it) -->";
    static final String END = "<!-- latest-full-run:end -->";
    private static final Pattern KEEP = Pattern.compile("^(\\|.*\\||B[1-6][ :].*|  (round|warm-up).*)$");

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private BenchmarkReport() {}

    /** Keeps a copy of everything printed from now on (the benchmarks' children are copied through {@link #pipe}). */
    static BenchmarkReport teeStdout() {
        BenchmarkReport r = new BenchmarkReport();
        PrintStream original = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                r.captured.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                r.captured.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        }, true, StandardCharsets.UTF_8));
        return r;
    }

    /** Starts a child JVM with its output copied into this one's (so the report sees it); returns its exit code. */
    static int pipe(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(System.out);
        }
        return p.waitFor();
    }

    /** Writes the section: into BENCHMARKS.md after a full run, else into target/bench/latest.md. */
    void write(String command, boolean full) throws IOException {
        String section = section(captured.toString(StandardCharsets.UTF_8), command,
                OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16) + " UTC");
        Path latest = Path.of("target/bench/latest.md");
        Files.createDirectories(latest.getParent());
        Files.writeString(latest, section);
        if (full) {
            replaceSection(Path.of("BENCHMARKS.md"), section);
            System.out.println("BENCHMARKS.md: the latest full run written");
        } else {
            System.out.println("Not a full run: results in " + latest + " (BENCHMARKS.md keeps the latest full run)");
        }
    }

    static String section(String output, String command, String when) {
        List<String> kept = new ArrayList<>();
        String previous = "";
        for (String line : output.split("\\R")) {
            if (!KEEP.matcher(line).matches()) {
                continue;
            }
            String kind = line.startsWith("|") ? "table" : line.startsWith("  ") ? "bullet" : "text";
            // Markdown: a table, a list and each sentence stand apart
            if (!kept.isEmpty() && (!kind.equals(previous) || kind.equals("text"))) {
                kept.add("");
            }
            kept.add(kind.equals("bullet") ? "- " + line.strip() : line);
            previous = kind;
        }
        var os = ManagementFactory.getOperatingSystemMXBean();
        long memory = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
        StringBuilder b = new StringBuilder();
        b.append("Run ").append(when).append(" on ").append(os.getAvailableProcessors()).append(" cores, ")
                .append(memory > 0 ? (memory >> 30) + " GiB, " : "").append(os.getName()).append(' ').append(os.getArch())
                .append(", Java ").append(System.getProperty("java.version")).append("; command `").append(command).append("`.\n\n");
        for (String l : kept) {
            b.append(l).append('\n');
        }
        return b.toString();
    }

    static void replaceSection(Path file, String section) throws IOException {
        String text = Files.readString(file);
        int s = text.indexOf(START);
        int e = text.indexOf(END);
        if (s < 0 || e < s) {
            throw new IllegalStateException(file + " has no " + START + " … " + END + " section");
        }
        Files.writeString(file, text.substring(0, s + START.length()) + "\n" + section + text.substring(e));
    }

    /** Makes the section from a saved log of a full run: {@code BenchmarkReport <log> <when> [<command>]}. */
    public static void main(String[] args) throws IOException {
        String log = Files.readString(Path.of(args[0]));
        replaceSection(Path.of("BENCHMARKS.md"), section(log, args.length > 2 ? args[2] : "mvn -B -Pbench -DskipTests package exec:exec", args[1]));
    }
}
