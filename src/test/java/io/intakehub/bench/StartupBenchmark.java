package io.intakehub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.intakehub.faults.FaultHarness;
import io.intakehub.local.FreePorts;

/**
 * B6 (README: Benchmarks): start-up to ready and resident memory. Kafka, Artemis and the store run in
 * this JVM (the fault suite's servers); the packaged hub runs as a separate process in the {@code prod}
 * profile, configured by environment variables as in production, and is timed from process start to
 * its readiness probe answering 200 — and, inside the JVM, by Spring's "Started … in" line. The
 * baseline, alternating with it: an empty Spring Boot application with the same starters
 * ({@link intakebench.empty.EmptyApp}) launched from the same jar against the same servers.
 * Then the hub streams a phone export of B1's kind while its resident set (VmRSS) is sampled.
 * It streams it twice: with the JVM options of the starts ({@code -Xmx256m}, the JVM's own defaults
 * otherwise) and with {@link #SMALL_FOOTPRINT}, the options the README gives for a container of 400 to
 * 768 MB. Arguments: rounds (after one warm-up start each; 0 for a single unwarmed start, as the smoke
 * test does), rows of the export. {@code -Dbench.b6.jvm} adds JVM options to both sides.
 */
public final class StartupBenchmark {

    /**
     * The README's JVM options for a small container (Production: memory): a 160 MB heap, the serial collector
     * (no G1 remembered sets, ≈ 45 MB less), only the C1 compiler (C2's code and compiler arenas cost ≈ 80 MB; B6
     * measured about a tenth less throughput on the export), smaller thread stacks. {@code ReadmeJvmOptionsTest}
     * keeps the README's text equal to this.
     */
    public static final String SMALL_FOOTPRINT = "-Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

    private static final Pattern STARTED = Pattern.compile("Started \\S+ in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** The export streamed with the default options and with {@link #SMALL_FOOTPRINT}. */
    record UnderLoad(Start standard, Start small) {}

    /** Runs B6 and returns the hub's export runs (peak RSS and rate), for the smoke test. */
    static UnderLoad run(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path jar = Path.of(System.getProperty("hub.jar", "target/intake-hub-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: B6 times the packaged hub (mvn -B package first)");
        }
        try (FaultHarness servers = FaultHarness.servers("b6")) {
            List<Start> hub = new ArrayList<>();
            List<Start> empty = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) { // round 0 warms up (and migrates both databases)
                Start e = start(servers, jar, false, null, "");
                Start h = start(servers, jar, true, null, "");
                System.out.printf("  %s: empty app ready in %.2f s (Spring %.2f s, RSS %d MB); hub ready in %.2f s (Spring %.2f s, RSS %d MB)%n",
                        round == 0 ? "warm-up" : "round " + round, e.toReady, e.springSeconds, e.rssAtReady >> 20, h.toReady,
                        h.springSeconds, h.rssAtReady >> 20);
                if (round > 0 || rounds == 0) { // rounds = 0: one start each, nothing warmed up (the smoke test)
                    empty.add(e);
                    hub.add(h);
                }
            }
            Start underLoad = start(servers, jar, true, rows, "");
            Start small = start(servers, jar, true, rows, SMALL_FOOTPRINT);

            double e = median(empty.stream().map(s -> s.toReady).toList());
            double h = median(hub.stream().map(s -> s.toReady).toList());
            double es = median(empty.stream().map(s -> s.springSeconds).toList());
            double hs = median(hub.stream().map(s -> s.springSeconds).toList());
            System.out.printf("%n| B6 | empty app (baseline) | hub (prod profile) | ratio | target |%n|---|---:|---:|---:|---|%n");
            System.out.printf("| process start to readiness 200, median of %d | %.2f s | %.2f s | %.2fx | hub <= 3 s |%n", hub.size(), e, h, h / e);
            System.out.printf("| Spring's \"Started ... in\" | %.2f s | %.2f s | %.2fx | information |%n", es, hs, hs / es);
            System.out.printf("| RSS at ready | %d MB | %d MB | %.2fx | information |%n",
                    median(empty.stream().map(s -> (double) s.rssAtReady).toList()).longValue() >> 20,
                    median(hub.stream().map(s -> (double) s.rssAtReady).toList()).longValue() >> 20,
                    median(hub.stream().map(s -> (double) s.rssAtReady).toList()) / median(empty.stream().map(s -> (double) s.rssAtReady).toList()));
            System.out.printf("| peak RSS while streaming a %,d-row export, -Xmx256m (%.0f rows/s; that start ready in %.2f s) | - | %d MB | - | information |%n",
                    rows, underLoad.rowsPerSecond, underLoad.toReady, underLoad.peakRss >> 20);
            System.out.printf("| peak RSS while streaming it with the small-footprint options (%.0f rows/s, %.2fx the rate; that start ready in %.2f s) "
                    + "| - | %d MB | - | <= 400 MB |%n", small.rowsPerSecond, small.rowsPerSecond / underLoad.rowsPerSecond, small.toReady,
                    small.peakRss >> 20);
            System.out.printf("%nB6 start-up: hub ready in %.2f s in the prod profile (target <= 3 s): %s; peak RSS under a phone export "
                    + "%d MB with the README's small-footprint options %s (target <= 400 MB): %s; %d MB at -Xmx256m%n", h,
                    h <= 3 ? "MET" : "MISSED", small.peakRss >> 20, SMALL_FOOTPRINT, small.peakRss <= 400L << 20 ? "MET" : "MISSED",
                    underLoad.peakRss >> 20);
            return new UnderLoad(underLoad, small);
        }
    }

    record Start(double toReady, double springSeconds, long rssAtReady, long peakRss, double rowsPerSecond) {}

    /** Starts the hub (or the empty app), waits for readiness, optionally streams an export through it, stops it. */
    static Start start(FaultHarness servers, Path jar, boolean isHub, Integer exportRows, String jvm) throws Exception {
        int port = FreePorts.find();
        String name = isHub ? "hub" : "empty";
        Path log = servers.work().resolve(name + "-" + System.nanoTime() + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // B1's heap (the phone export at -Xmx256m); both sides the same
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
        // later options win: the small-footprint heap replaces -Xmx256m
        String extra = (System.getProperty("bench.b6.jvm", "") + " " + jvm).strip();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        if (isHub) {
            cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--hub.email.enabled=false"));
        } else {
            cmd.addAll(List.of("-Dloader.path=" + Path.of("target/test-classes").toAbsolutePath(),
                    "-Dloader.main=" + intakebench.empty.EmptyApp.class.getName(), "-cp", jar.toString(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher",
                    "--spring.config.name=empty-app", "--server.port=" + port,
                    "--management.endpoint.health.probes.enabled=true",
                    "--spring.artemis.mode=native", "--spring.artemis.broker-url=" + servers.artemisUrl(),
                    "--spring.artemis.user=hub", "--spring.artemis.password=hub",
                    "--spring.datasource.url=" + servers.storeUrl("empty"), "--spring.datasource.username=sa"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.startsWith("SPRING_") || k.equals("JAVA_TOOL_OPTIONS"));
        if (isHub) {
            pb.environment().putAll(servers.productionEnvironment("hub"));
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            URI readiness = URI.create("http://localhost:" + port + "/actuator/health/readiness");
            long deadline = t0 + Duration.ofSeconds(120).toNanos();
            while (status(readiness) != 200) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not become ready; see " + log);
                }
                Thread.sleep(10);
            }
            double toReady = (System.nanoTime() - t0) / 1e9;
            long rss = rss(p.pid());
            double spring = springSeconds(log);
            long peak = rss;
            double rate = 0;
            if (exportRows != null) {
                String file = "b6-" + System.nanoTime() + ".csv";
                String csv = FaultHarness.export(String.valueOf(System.nanoTime() % 100_000), exportRows);
                long s0 = System.nanoTime();
                servers.dropExport(file, csv);
                Path receipt = servers.phoneDone().resolve(file + ".ack.csv");
                while (!Files.exists(receipt)) {
                    peak = Math.max(peak, rss(p.pid()));
                    if (!p.isAlive() || System.nanoTime() - s0 > Duration.ofMinutes(20).toNanos()) {
                        throw new IllegalStateException("the export was not taken; see " + log);
                    }
                    Thread.sleep(100);
                }
                rate = exportRows / ((System.nanoTime() - s0) / 1e9);
                peak = Math.max(peak, hwm(p.pid()));
                servers.receiptIds(file, exportRows, Duration.ofMinutes(1)); // every row accepted, each with its own id
            }
            return new Start(toReady, spring, rss, peak, rate);
        } finally {
            p.destroy();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Spring's own count from the log ("Started … in 2.1 seconds"), waiting briefly for the line. */
    private static double springSeconds(Path log) throws IOException, InterruptedException {
        for (int i = 0; i < 50; i++) {
            Matcher m = STARTED.matcher(Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1));
            if (m.find()) {
                return Double.parseDouble(m.group(1));
            }
            Thread.sleep(100);
        }
        return Double.NaN;
    }

    private static long rss(long pid) throws IOException {
        return statusField(pid, "VmRSS:");
    }

    private static long hwm(long pid) throws IOException {
        return statusField(pid, "VmHWM:");
    }

    /** A memory figure of /proc/PID/status in bytes (Linux). */
    private static long statusField(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    private static Double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
