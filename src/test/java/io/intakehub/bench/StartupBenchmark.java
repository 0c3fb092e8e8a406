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
import java.util.Map;
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
 * It streams it twice: from the packaged jar with the JVM options of the starts ({@code -Xmx256m}, the JVM's
 * own defaults otherwise), and as the image runs it with {@link #SMALL_FOOTPRINT}, the options the README
 * gives for a container of 400 to 768 MB.
 * <p>
 * The starts are timed three ways, each against the empty app launched the same way: the packaged jar
 * ({@code java -jar}); as the Dockerfile runs it — the jar extracted by Spring Boot's jar tools and a
 * class-data-sharing archive per side from a training start ({@link Launch}); and that with
 * {@link #SMALL_FOOTPRINT}. Arguments: rounds of the image's way (after one warm-up start each; the other two
 * ways at most three; 0 for a single unwarmed start each way, as the smoke test does), rows of the export. {@code -Dbench.b6.jvm} adds JVM options to both sides.
 */
public final class StartupBenchmark {

    /**
     * The README's JVM options for a small container (Production: memory): a 160 MB heap, the serial collector
     * (no G1 remembered sets, ≈ 45 MB less), only the C1 compiler (C2's code and compiler arenas cost ≈ 80 MB; B6
     * measured about a tenth less throughput on the export) and one compiler thread (on 2 cores the second one
     * competed with start-up's main thread: 0.35 s sooner ready), smaller thread stacks.
     * {@code ReadmeJvmOptionsTest} keeps the README's text equal to this.
     */
    public static final String SMALL_FOOTPRINT = "-Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss512k";

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
            Launch packaged = Launch.packaged(jar);
            // the image's way with the README's default options is the measured target; the other two get at most three
            // rounds, which keeps the full benchmark command under 30 minutes (B6 alone is about 11)
            int fewer = Math.max(1, Math.min(rounds, 3));
            Pairs asBuilt = rounds(servers, packaged, "", fewer, rounds > 0);
            // the image's way: extracted, one training start per side writes its archive
            Launch image = Launch.extract(jar, servers.work().resolve("extracted"));
            double emptyTraining = start(servers, image.training(), false, null, "").toReady;
            image.archiveOptions("empty", false); // written when the harness stopped it: throws if missing
            System.out.printf("  training starts (extracted jar, until ready, writing the class-data-sharing archives): empty app ready in %.2f s, "
                    + "hub ready and ended in %.2f s (the embedded default, as the Dockerfile trains it)%n", emptyTraining,
                    start(servers, image.training(), true, null, "").toReady);
            // a warm-up pair here too: the first starts after the training ones were the slowest of all (14 s once)
            Pairs asImage = rounds(servers, image, "", rounds == 0 ? 1 : rounds, rounds > 0);
            Pairs asSmallImage = rounds(servers, image, SMALL_FOOTPRINT, fewer, false);
            Start underLoad = start(servers, packaged, true, rows, "");
            Start small = start(servers, image, true, rows, SMALL_FOOTPRINT);

            System.out.printf("%n| B6 | empty app (baseline) | hub (prod profile) | ratio | target |%n|---|---:|---:|---:|---|%n");
            asBuilt.print("packaged jar (`java -jar`)");
            asImage.print("extracted jar + class-data-sharing archive, as the image runs it");
            asSmallImage.print("as the image runs it, with the small-footprint options");
            System.out.printf("| peak RSS while streaming a %,d-row export, packaged jar at -Xmx256m (%.0f rows/s; that start ready in %.2f s) | - | %d MB | - | information |%n",
                    rows, underLoad.rowsPerSecond, underLoad.toReady, underLoad.peakRss >> 20);
            System.out.printf("| peak RSS while streaming it as the image runs it with the small-footprint options (%.0f rows/s, %.2fx the rate; that start ready in %.2f s) "
                    + "| - | %d MB | - | <= 400 MB |%n", small.rowsPerSecond, small.rowsPerSecond / underLoad.rowsPerSecond, small.toReady,
                    small.peakRss >> 20);
            double h = asImage.hubReady();
            double hs = asSmallImage.hubReady();
            System.out.printf("%nB6 start-up: hub ready in the prod profile as the image runs it in %.2f s (%.2f s with the small-footprint options, "
                    + "%.2f s from the packaged jar; target <= 3 s): %s; peak RSS under a phone export %d MB with the README's small-footprint options %s "
                    + "(target <= 400 MB): %s; %d MB at -Xmx256m%n",
                    h, hs, asBuilt.hubReady(), Math.min(h, hs) <= 3 ? "MET" : "MISSED", small.peakRss >> 20, SMALL_FOOTPRINT,
                    small.peakRss <= 400L << 20 ? "MET" : "MISSED", underLoad.peakRss >> 20);
            return new UnderLoad(underLoad, small);
        }
    }

    /** Starts both sides alternately with the given JVM options: a warm-up pair (not counted) if asked, then {@code rounds} measured pairs. */
    private static Pairs rounds(FaultHarness servers, Launch launch, String jvm, int rounds, boolean warmUp) throws Exception {
        Pairs pairs = new Pairs(new ArrayList<>(), new ArrayList<>());
        for (int round = warmUp ? 0 : 1; round <= rounds; round++) { // round 0 warms up (and migrates both databases)
            Start e = start(servers, launch, false, null, jvm);
            Start h = start(servers, launch, true, null, jvm);
            System.out.printf("  %s%s, %s: empty app ready in %.2f s (Spring %.2f s, CPU %.2f s, RSS %d MB); hub ready in %.2f s (Spring %.2f s, CPU %.2f s, RSS %d MB)%n",
                    launch.extracted() ? "extracted + archive" : "packaged jar", jvm.isEmpty() ? "" : " " + jvm, round == 0 ? "warm-up" : "round " + round,
                    e.toReady, e.springSeconds, e.cpuAtReady, e.rssAtReady >> 20, h.toReady, h.springSeconds, h.cpuAtReady, h.rssAtReady >> 20);
            if (round > 0) {
                pairs.empty.add(e);
                pairs.hub.add(h);
            }
        }
        return pairs;
    }

    /** The measured starts of one launch, both sides. */
    record Pairs(List<Start> empty, List<Start> hub) {

        double hubReady() {
            return median(hub.stream().map(s -> s.toReady).toList());
        }

        void print(String how) {
            double e = median(empty.stream().map(s -> s.toReady).toList());
            double es = median(empty.stream().map(s -> s.springSeconds).toList());
            double hs = median(hub.stream().map(s -> s.springSeconds).toList());
            double ec = median(empty.stream().map(s -> s.cpuAtReady).toList());
            double hc = median(hub.stream().map(s -> s.cpuAtReady).toList());
            double er = median(empty.stream().map(s -> (double) s.rssAtReady).toList());
            double hr = median(hub.stream().map(s -> (double) s.rssAtReady).toList());
            System.out.printf("| %s: process start to readiness 200, median of %d | %.2f s | %.2f s | %.2fx | hub <= 3 s |%n", how, hub.size(), e,
                    hubReady(), hubReady() / e);
            System.out.printf("| %s: Spring's \"Started ... in\" | %.2f s | %.2f s | %.2fx | information |%n", how, es, hs, hs / es);
            System.out.printf("| %s: CPU seconds used by then (user + system, both cores) | %.2f s | %.2f s | %.2fx | information |%n", how, ec, hc, hc / ec);
            System.out.printf("| %s: RSS at ready | %d MB | %d MB | %.2fx | information |%n", how, (long) er >> 20, (long) hr >> 20, hr / er);
        }
    }

    /**
     * How a side is launched. {@link #packaged}: the jar as built, its nested jars read by Spring Boot's launcher.
     * {@link #extract}: as the Dockerfile runs it — extracted by Spring Boot's jar tools ({@code -Djarmode=tools
     * extract}: the application jar with {@code lib/} beside it, plain jars on the class path) and with a dynamic
     * class-data-sharing archive per side ({@code -XX:SharedArchiveFile}), written by a {@link #training} start
     * ({@code -XX:ArchiveClassesAtExit}, dumped when that process exits).
     */
    record Launch(Path jar, Path archives, boolean isTraining) {

        /** The archive options, as the Dockerfile gives them ({@code ReadmeJvmOptionsTest}). */
        static final String WRITE_ARCHIVE = "-XX:ArchiveClassesAtExit=";
        static final String USE_ARCHIVE = "-XX:SharedArchiveFile=";
        /**
         * The hub's training start's environment, the Dockerfile's: the embedded default (it needs no servers), its
         * servers and web port free, and the hub ending itself once ready — every route and client started.
         */
        static final Map<String, String> TRAINING_ENV = Map.of("HUB_EMBEDDED_KAFKA_PORT", "0", "HUB_EMBEDDED_ARTEMIS_PORT", "0",
                "HUB_EMBEDDED_SFTP_PORT", "0", "HUB_HTTP_PORT", "0", "HUB_EXIT_WHEN_READY", "true");

        static Launch packaged(Path jar) {
            return new Launch(jar, null, false);
        }

        static Launch extract(Path jar, Path into) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djarmode=tools", "-jar",
                    jar.toString(), "extract", "--force", "--destination", into.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("extracting " + jar + " failed: exit " + p.exitValue());
            }
            Launch launch = new Launch(into.resolve(jar.getFileName()), into, false);
            // a class-data-sharing archive takes jars only (a non-empty folder on the class path stops the JVM)
            String entry = intakebench.empty.EmptyApp.class.getName().replace('.', '/') + ".class";
            try (var in = StartupBenchmark.class.getClassLoader().getResourceAsStream(entry);
                    var out = new java.util.jar.JarOutputStream(Files.newOutputStream(launch.emptyAppJar()))) {
                out.putNextEntry(new java.util.jar.JarEntry(entry));
                in.transferTo(out);
            }
            return launch;
        }

        Path emptyAppJar() {
            return archives.resolve("empty-app.jar");
        }

        boolean extracted() {
            return archives != null;
        }

        Launch training() {
            return new Launch(jar, archives, true);
        }

        /**
         * The archive options of one side ({@code hub} or {@code empty}); none for the packaged jar. A training start
         * runs until it is ready: the hub ends itself ({@link #TRAINING_ENV}), the empty app is stopped by the harness.
         */
        List<String> archiveOptions(String side) {
            return archiveOptions(side, isTraining);
        }

        private List<String> archiveOptions(String side, boolean writing) {
            if (!extracted()) {
                return List.of();
            }
            Path jsa = archives.resolve(side + ".jsa");
            if (writing) {
                return List.of(WRITE_ARCHIVE + jsa);
            }
            if (!Files.exists(jsa)) {
                throw new IllegalStateException(jsa + " was not written by the training start");
            }
            return List.of(USE_ARCHIVE + jsa);
        }
    }

    /** One start; {@code cpuAtReady}: the process's user + system CPU seconds when it answered ready (both cores' work, not only the wait). */
    record Start(double toReady, double springSeconds, long rssAtReady, double cpuAtReady, long peakRss, double rowsPerSecond) {}

    /** Starts the hub (or the empty app), waits for readiness, optionally streams an export through it, stops it. */
    static Start start(FaultHarness servers, Launch launch, boolean isHub, Integer exportRows, String jvm) throws Exception {
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
        cmd.addAll(launch.archiveOptions(name));
        if (isHub) {
            cmd.addAll(List.of("-jar", launch.jar().toString(), "--server.port=" + port, "--hub.email.enabled=false"));
        } else {
            if (launch.extracted()) { // the extracted jar's manifest names its lib/ folder; the app class from a jar of its own
                cmd.addAll(List.of("-cp", launch.jar() + java.io.File.pathSeparator + launch.emptyAppJar(),
                        intakebench.empty.EmptyApp.class.getName()));
            } else {
                cmd.addAll(List.of("-Dloader.path=" + Path.of("target/test-classes").toAbsolutePath(),
                        "-Dloader.main=" + intakebench.empty.EmptyApp.class.getName(), "-cp", launch.jar().toString(),
                        "org.springframework.boot.loader.launch.PropertiesLauncher"));
            }
            cmd.addAll(List.of("--spring.config.name=empty-app", "--server.port=" + port,
                    "--management.endpoint.health.probes.enabled=true",
                    // nothing embedded, as in the hub's prod profile: Spring Boot starts an Artemis server whenever its
                    // classes are present unless told not to, and the hub jar's listener (EmbeddedServers) a Kafka broker
                    "--spring.artemis.embedded.enabled=false", "--hub.embedded.enabled=false",
                    "--spring.artemis.mode=native", "--spring.artemis.broker-url=" + servers.artemisUrl(),
                    "--spring.artemis.user=hub", "--spring.artemis.password=hub",
                    "--spring.datasource.url=" + servers.storeUrl("empty"), "--spring.datasource.username=sa"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.startsWith("SPRING_") || k.equals("JAVA_TOOL_OPTIONS"));
        if (isHub && launch.isTraining()) {
            // as the Dockerfile trains, with no servers to reach: the embedded default, its brokers on free ports
            Path dir = Files.createDirectories(launch.archives().resolve("training"));
            pb.directory(dir.toFile()).environment().putAll(Launch.TRAINING_ENV);
        } else if (isHub) {
            pb.environment().putAll(servers.productionEnvironment("hub"));
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (isHub && launch.isTraining()) { // the hub ends by itself once ready, writing the archive as the JVM exits
            if (!p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("the hub's training start did not end by itself with 0; see " + log);
            }
            launch.archiveOptions(name, false); // throws if the archive is missing
            return new Start((System.nanoTime() - t0) / 1e9, Double.NaN, 0, Double.NaN, 0, 0);
        }
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
            if (launch.extracted() && !launch.isTraining() && Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Unable to use shared archive")) {
                // the JVM goes on without an archive it cannot use (a class path or JVM that differs from the training's)
                throw new IllegalStateException(name + " started without its class-data-sharing archive; see " + log);
            }
            double cpu = cpuSeconds(p.pid());
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
            return new Start(toReady, spring, rss, cpu, peak, rate);
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

    /** User + system CPU seconds of a process so far (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s on Linux). */
    static double cpuSeconds(long pid) throws IOException {
        return cpuSeconds(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
    }

    /** User + system CPU seconds of a process's or thread's {@code stat} line (fields 14 and 15, in ticks of 10 ms). */
    static double cpuSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the command name may hold spaces; f[0] is field 3
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
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

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
