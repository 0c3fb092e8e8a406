package io.intakehub.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.ingest.edi.AckWriter;
import io.intakehub.ingest.edi.EdiEnvelope;
import io.intakehub.ingest.edi.EdiIngest;
import io.intakehub.ingest.edi.EdiReadAhead;
import io.intakehub.ingest.edi.EdiReader;
import io.intakehub.ingest.edi.EdiSchemas;
import io.intakehub.ingest.edi.EdiTransaction;
import io.intakehub.ingest.edi.PartnerProfiles;
import io.intakehub.mapping.Mapping;
import io.intakehub.mapping.MappingKey;
import io.intakehub.mapping.MappingRegistry;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamReader;

/**
 * B2, the EDI benchmark (README: Benchmarks). One generated X12 850 interchange; in the same run,
 * alternating and repeated: a bare StAEDI scan of the file (the baseline) and the hub's parse + map
 * (EdiReader with the shipped schema on its read-ahead thread as the route runs it, the JSLT order mapping, the
 * canonical JSON written). Then a
 * generated 1 GB interchange is parsed and mapped in a child JVM at -Xmx256m, printing peak heap.
 */
public final class EdiThroughputBenchmark {

    static final PartnerProfiles.Partner PARTNER = new PartnerProfiles.Partner("BENCH", "Bench Buyer Ltd", "C-1",
            "+08:00", "CNY", null, null, null, null, List.of());

    private EdiThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(Path.of(args[1]));
            return;
        }
        long mb = args.length > 0 ? Long.parseLong(args[0]) : 64;
        long bigMb = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        Path dir = Files.createDirectories(Path.of("target/bench"));
        Path file = dir.resolve("b2-" + mb + "mb.edi");
        long transactions = generate(file, mb * 1024 * 1024);
        System.out.printf("B2: %s, %d MB, %d transactions%n", file, Files.size(file) >> 20, transactions);
        EdiSchemas schemas = new EdiSchemas();
        Mapping mapping = MappingRegistry.fromLocation("classpath:mappings/").find(new MappingKey("edi", "edi-x12", "BENCH", "850"));
        List<Double> scan = new ArrayList<>();
        List<Double> hub = new ArrayList<>();
        List<Double> oneThread = new ArrayList<>();
        // small files get fewer rounds (the quick mode and the smoke test); the full run warms up twice
        int warmups = mb >= 16 ? 2 : 1;
        int measured = mb >= 16 ? 5 : 3;
        for (int round = 0; round < warmups + measured; round++) {
            double s = timed(() -> scan(file));
            double h = timed(() -> parseAndMap(file, schemas, mapping, transactions));
            double o = timed(() -> parseAndMap(file, schemas, mapping, transactions, false, null, Long.MAX_VALUE, () -> { }));
            if (round >= warmups) {
                scan.add(transactions / s);
                hub.add(transactions / h);
                oneThread.add(transactions / o);
            }
            System.out.printf("  %s %d: StAEDI scan %.0f tx/s, hub parse+map %.0f tx/s (on one thread %.0f tx/s)%n",
                    round < warmups ? "warm-up" : "round", round < warmups ? round + 1 : round - warmups + 1,
                    transactions / s, transactions / h, transactions / o);
        }
        double ms = median(scan);
        double mh = median(hub);
        double mo = median(oneThread);
        System.out.printf("%n| benchmark | transactions/s (median of %d) | ratio | target |%n|---|---:|---:|---|%n", measured);
        System.out.printf("| StAEDI scan (baseline) | %.0f | 1.00x | baseline |%n", ms);
        System.out.printf("| hub parse + map (as the route runs it: reading a batch ahead on a second thread) | %.0f | %.3fx | >= 0.6x |%n",
                mh, mh / ms);
        System.out.printf("| hub parse + map on one thread (the CPU it costs) | %.0f | %.3fx | for comparison |%n", mo, mo / ms);
        System.out.printf("%nB2 parse+map: %.3fx of a StAEDI scan (target >= 0.6x): %s%n", mh / ms, mh / ms >= 0.6 ? "MET" : "MISSED");

        if (bigMb > 0) {
            Path big = dir.resolve("b2-" + bigMb + "mb.edi");
            if (!Files.exists(big) || Files.size(big) < bigMb * 1024 * 1024) {
                generate(big, bigMb * 1024 * 1024);
            }
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + System.getProperty("bench.edi.big-xmx", "256m"), "-XX:+UseParallelGC", "-cp",
                    System.getProperty("java.class.path"), EdiThroughputBenchmark.class.getName(), "child", big.toString());
            int rc = BenchmarkReport.pipe(pb);
            if (rc != 0) {
                throw new IllegalStateException("the bounded-heap run failed with exit code " + rc);
            }
        }
    }

    /**
     * The child JVM: parse and map the big file and write its 997; report throughput, the peak heap
     * used (sampled every 20 ms, garbage included) and the live heap after a full GC at every tenth
     * of the file — flat when nothing grows with the file.
     */
    static void child(Path file) throws Exception {
        AtomicLong maxUsed = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (true) {
                maxUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        EdiSchemas schemas = new EdiSchemas();
        Mapping mapping = MappingRegistry.fromLocation("classpath:mappings/").find(new MappingKey("edi", "edi-x12", "BENCH", "850"));
        long expected = Files.size(file) / 430; // about 430 bytes a generated transaction
        List<Long> live = new ArrayList<>();
        long t0 = System.nanoTime();
        Path ack = Files.createTempFile("b2-big-997-", ".edi");
        long n = parseAndMap(file, schemas, mapping, -1, true, ack, Math.max(1, expected / 10), () -> live.add(liveHeap()));
        double s = (System.nanoTime() - t0) / 1e9;
        long ackBytes = Files.size(ack);
        Files.delete(ack);
        StringBuilder samples = new StringBuilder();
        for (long l : live) {
            samples.append(samples.length() == 0 ? "" : ", ").append(l >> 20);
        }
        System.out.printf("%nB2 big: %d MB interchange, %d transactions parsed and mapped, and their 997 (%d MB) written, in %.1f s "
                        + "(%.0f tx/s, %.0f MB/s) at -Xmx%d MB; peak heap used %d MB; live heap after a full GC at each tenth: %s MB%n",
                Files.size(file) >> 20, n, ackBytes >> 20, s, n / s, (Files.size(file) >> 20) / s, Runtime.getRuntime().maxMemory() >> 20,
                maxUsed.get() >> 20, samples);
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static long scan(Path file) throws IOException {
        long segments = 0;
        try (InputStream in = Files.newInputStream(file)) {
            EDIStreamReader r = EDIInputFactory.newFactory().createEDIStreamReader(new java.io.BufferedInputStream(in, 64 * 1024));
            while (r.hasNext()) {
                if (r.next() == io.xlate.edi.stream.EDIStreamEvent.START_SEGMENT) {
                    segments++;
                }
            }
            r.close();
        } catch (io.xlate.edi.stream.EDIStreamException e) {
            throw new IOException(e);
        }
        return segments;
    }

    public static long parseAndMap(Path file, EdiSchemas schemas, Mapping mapping, long expected) throws IOException {
        return parseAndMap(file, schemas, mapping, expected, true, null, Long.MAX_VALUE, () -> { });
    }

    /**
     * With {@code ack} set, every transaction is marked accepted and the 997 is written there at the
     * end, as the route does; {@code every} transactions {@code probe} runs. With {@code readAhead} the file
     * is read as the route reads it (a batch ahead, on a thread of its own), without it on the caller's thread.
     */
    static long parseAndMap(Path file, EdiSchemas schemas, Mapping mapping, long expected, boolean readAhead, Path ack, long every,
            Runnable probe) throws IOException {
        long n = 0;
        long bytesOut = 0;
        try (InputStream in = Files.newInputStream(file); EdiReader reader = new EdiReader(in, schemas);
                EdiReadAhead ahead = new EdiReadAhead(reader, file.getFileName().toString())) {
            java.util.Iterator<EdiTransaction> r = readAhead ? ahead : reader;
            while (r.hasNext()) {
                EdiTransaction t = r.next();
                if (!t.valid()) {
                    throw new IllegalStateException("generated transaction " + t.controlNumber() + " is invalid: " + t.errors());
                }
                ObjectNode input = EdiIngest.mappingInput(t, PARTNER);
                // the bytes the acceptance step would hand to Kafka, written as it writes every canonical message
                bytesOut += CanonicalJson.bytes(mapping.apply(input)).length;
                t.outcome().status = EdiEnvelope.Status.ACCEPTED;
                if (++n % every == 0) {
                    probe.run();
                }
            }
            if (ack != null) {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(ack), 1 << 16)) {
                    for (EdiEnvelope env : readAhead ? ahead.envelopes() : reader.envelopes()) {
                        AckWriter.x12(env, "997", new AckWriter.Controls(1, 1), ZoneOffset.ofHours(8), out);
                    }
                }
            }
        }
        if (bytesOut == 0 && n > 0) {
            throw new IllegalStateException("no output");
        }
        if (expected >= 0 && n != expected) {
            throw new IllegalStateException("mapped " + n + " transactions, expected " + expected);
        }
        return n;
    }

    /** Writes one X12 interchange of 850s of about {@code bytes}; returns the number of transactions. */
    public static long generate(Path file, long bytes) throws IOException {
        long n = 0;
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            written += write(out, "ISA*00*          *00*          *ZZ*BENCHBUYER     *ZZ*INTAKEHUB      *261122*0930*U*00401*000000001*0*P*>~\n"
                    + "GS*PO*BENCHBUYER*INTAKEHUB*20261122*0930*1*X*004010~\n");
            while (written < bytes - 200) {
                n++;
                String st = String.format("%09d", n);
                String tx = "ST*850*" + st + "~\nBEG*00*SA*PO" + n + "**20261122~\nCUR*BY*CNY~\nPER*BD*Helen Carter*TE*+86 21 5555 0142~\n"
                        + "DTM*002*20261124*1000~\nN1*BY*Bench Buyer Ltd*92*C-1~\nN1*ST*Warehouse " + (n % 97) + "*92*WH-" + (n % 97) + "~\n"
                        + "N3*" + (n % 500) + " Century Avenue~\nN4*Shanghai**200120*CN~\n"
                        + "PO1*1*" + (n % 50 + 1) + "*CA*125.50**VP*A4-80~\nPID*F****A4 copy paper 80 g~\n"
                        + "PO1*2*200*EA*1.20**VP*PEN-BL~\nPID*F****Ballpoint pen blue~\n"
                        + "PO1*3*12*BX*36.00**VP*STAPLER-1~\nPID*F****Stapler~\nCTT*3~\nSE*17*" + st + "~\n";
                written += write(out, tx);
            }
            written += write(out, "GE*" + n + "*1~\nIEA*1*000000001~\n");
        }
        return n;
    }

    private static long write(OutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b);
        return b.length;
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double timed(Work w) throws Exception {
        long t0 = System.nanoTime();
        w.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
