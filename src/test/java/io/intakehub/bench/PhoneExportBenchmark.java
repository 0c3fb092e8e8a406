package io.intakehub.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.intakehub.IntakeHubApplication;
import io.intakehub.config.HubProperties;
import io.intakehub.ingest.phone.CsvRowReader;
import io.intakehub.ingest.phone.PhoneProfiles;
import io.intakehub.ingest.phone.PhoneRows;
import io.intakehub.ingest.phone.PhoneStore;
import io.intakehub.store.BusinessKeys;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * B1 of the performance issue: a generated phone export (default 1,000,000 rows) streamed by the
 * running hub — file read, rows mapped and validated, de-duplicated, batched to the embedded Kafka,
 * receipt written — against a raw Kafka producer sending records of the same sizes, keys and topics
 * with the same producer settings, to the same broker, in the same JVM. Rounds alternate (hub,
 * producer, hub, producer …) after one warm-up round each; medians are reported, with CPU time per
 * record (the whole process, broker included, in both) and the live heap after each full GC during
 * the hub's rounds. Correctness: each hub round must yield exactly one ACCEPTED receipt line per row and
 * exactly as many new records on the topics (no duplicate, nothing missing); each producer round
 * exactly its record count.
 *
 * <p>Run by the README's benchmark command in a child JVM at {@code -Xmx1g} (the brokers share it; see
 * {@code BenchmarkMain}); alone: {@code java -Xmx1g -cp <test classpath> io.intakehub.bench.PhoneExportBenchmark [rows] [rounds]}.
 * The hub runs its embedded default on free ports; dispatch and the journal indexer are stopped so
 * that the hub's side is the ingest path only (the baseline has nothing downstream either).
 */
public final class PhoneExportBenchmark {

    private static final String HEADER = "Call ID,Start Time,Caller Number,Customer Number,Customer Name,Agent,Call Type,"
            + "Product Code,Product,Specification,Quantity,Unit Price,Order or Batch Number,Amount,Description,Requested Action\n";
    private static final String[] PRODUCTS = {"Copy paper A4", "中性笔", "Toner cartridge", "订书机", "文件夹", "Whiteboard marker"};

    private static final AtomicLong MAX_AFTER_GC = new AtomicLong();
    private static final AtomicLong MAJOR_GCS = new AtomicLong();
    private static final java.util.Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).map(java.lang.management.MemoryPoolMXBean::getName)
            .collect(java.util.stream.Collectors.toSet());
    private static volatile boolean tracking;
    private static boolean listening;

    private PhoneExportBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        measure(rows, rounds, "--logging.level.root=WARN");
        System.exit(0); // the in-process broker leaves non-daemon threads behind
    }

    /** What one run measured (medians). */
    public record Result(double hubRowsPerSecond, double rawRecordsPerSecond, double hubCpuMicros, double rawCpuMicros,
            double callIdFloorRecordsPerSecond, double floorRecordsPerSecond) {}

    /**
     * Starts the hub on its embedded default (free ports, its own data folder under target/), runs the
     * rounds, prints the table and stops the hub. Settings go in as command-line arguments, which win
     * over application.yaml without leaking into anything else in the JVM.
     */
    public static Result measure(int rows, int rounds, String... extraArgs) throws Exception {
        Path work = Path.of("target/bench-phone", UUID.randomUUID().toString()).toAbsolutePath();
        Files.createDirectories(work);
        trackHeapAfterGc();
        // the call centre's callers are the company's customers: the directory knows the export's 5,000 (the intake
        // rules look each row's customer up, as in production)
        Path customers = work.resolve("customers.jsonl");
        writeCustomers(customers);
        List<String> args = new ArrayList<>(List.of(
                "--hub.embedded.data-dir=" + work.resolve("data"),
                "--hub.embedded.kafka-port=0", "--hub.embedded.artemis-port=0",
                "--hub.embedded.smtp-port=0", "--hub.embedded.imap-port=0",
                "--hub.edi.sftp-port=0", "--server.port=0",
                "--hub.email.enabled=false", "--hub.mappings.reload=false",
                "--hub.phone.read-lock-min-age=200", "--hub.phone.poll-interval=100",
                "--spring.main.banner-mode=off", "--hub.customers.seed=file:" + customers));
        String store = System.getProperty("bench.phone.store", "h2");
        if (store.equals("postgresql")) {
            // the production store as a server of its own on this machine (test settings: no fsync, asynchronous commit)
            String[] db = io.intakehub.support.PostgresStore.newDatabase();
            args.addAll(List.of("--spring.datasource.url=" + db[0], "--spring.datasource.username=" + db[1], "--spring.datasource.password="));
        } else if (!store.equals("h2")) {
            throw new IllegalArgumentException("bench.phone.store must be h2 or postgresql, not " + store);
        }
        System.out.println("B1 store: " + store);
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext hub = new SpringApplicationBuilder(IntakeHubApplication.class).run(args.toArray(String[]::new));
        try {
            return run(hub, work, rows, rounds);
        } finally {
            hub.close();
        }
    }

    private static Result run(ConfigurableApplicationContext hub, Path work, int rows, int rounds) throws Exception {
        CamelContext camel = hub.getBean(CamelContext.class);
        io.intakehub.customers.CustomerDirectory directory = hub.getBean(io.intakehub.customers.CustomerDirectory.class);
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (directory.find("C-" + (10_000 + CUSTOMERS - 1)).isEmpty()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the benchmark's customers did not reach the directory");
            }
            Thread.sleep(100);
        }
        for (String r : List.of("deliver-dispatch-orders", "deliver-dispatch-complaints", "deliver-dispatch-registrations",
                "shared-journal-index")) {
            camel.getRouteController().stopRoute(r);
        }
        HubProperties props = hub.getBean(HubProperties.class);
        Path in = Path.of(props.getPhone().getRoot(), "in");
        Path done = Path.of(props.getPhone().getRoot(), "done");
        List<String> topics = List.of(props.getKafka().getTopics().getOrders(), props.getKafka().getTopics().getComplaints(),
                props.getKafka().getTopics().getRegistrations());
        Environment env = hub.getEnvironment();
        String brokers = env.getProperty("hub.kafka.brokers");
        List<ProducerRecord<String, byte[]>> pool = recordPool(hub, topics);
        Floor floor = new Floor(hub.getBean(PhoneStore.class), hub.getBean(BusinessKeys.class));
        System.out.printf("B1: %,d-row ticket exports, %d measured rounds; records %d-%d bytes (mean %d); -Xmx %d MB%n",
                rows, rounds, pool.stream().mapToInt(r -> r.value().length).min().orElse(0),
                pool.stream().mapToInt(r -> r.value().length).max().orElse(0),
                (int) pool.stream().mapToInt(r -> r.value().length).average().orElse(0), Runtime.getRuntime().maxMemory() >> 20);

        Properties producerSettings = producerSettings(env, brokers);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
            List<double[]> hubRuns = new ArrayList<>();
            List<double[]> rawRuns = new ArrayList<>();
            List<double[]> callIdRuns = new ArrayList<>();
            List<double[]> floorRuns = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                int n = round == 0 ? Math.min(rows, 100_000) : rows; // round 0 warms both up
                Path file = work.resolve("export-" + round + ".csv");
                writeExport(file, "B" + round + "-" + UUID.randomUUID().toString().substring(0, 6), n);
                double[] h = hubRound(admin, topics, file, in, done, n);
                Files.deleteIfExists(file);
                double[] r = rawRound(admin, topics, producerSettings, pool, n, null);
                double[] c = rawRound(admin, topics, producerSettings, pool, n, floor.round(round, false));
                double[] f = rawRound(admin, topics, producerSettings, pool, n, floor.round(round, true));
                System.out.printf("  round %d%s: hub %,.0f rows/s (%.1f µs CPU/row), raw producer %,.0f records/s (%.1f µs CPU/record);"
                        + " raw producer + call ids %,.0f (%.1f µs), + call ids and business keys %,.0f (%.1f µs)%n",
                        round, round == 0 ? " (warm-up)" : "", h[0], h[1], r[0], r[1], c[0], c[1], f[0], f[1]);
                if (round > 0) {
                    hubRuns.add(h);
                    rawRuns.add(r);
                    callIdRuns.add(c);
                    floorRuns.add(f);
                }
            }
            double hubRate = median(hubRuns, 0);
            double rawRate = median(rawRuns, 0);
            double hubCpu = median(hubRuns, 1);
            double rawCpu = median(rawRuns, 1);
            double callIdRate = median(callIdRuns, 0);
            double callIdCpu = median(callIdRuns, 1);
            double floorRate = median(floorRuns, 0);
            double floorCpu = median(floorRuns, 1);
            System.out.printf("%n| B1 | rows or records/s (median of %d) | CPU µs per row/record | ratio | target |%n|---|---:|---:|---:|---|%n",
                    rounds);
            System.out.printf("| raw Kafka producer (baseline) | %,.0f | %.1f | 1.00x | baseline |%n", rawRate, rawCpu);
            System.out.printf("| raw producer + each row's call id remembered in the store (batches of %,d), nothing else"
                    + " | %,.0f | %.1f | %.2fx rate, %.2fx CPU | store floor, call ids |%n",
                    Floor.BATCH, callIdRate, callIdCpu, callIdRate / rawRate, callIdCpu / rawCpu);
            System.out.printf("| raw producer + call id remembered and business key claimed (the duplicate guard), nothing else"
                    + " | %,.0f | %.1f | %.2fx rate, %.2fx CPU | store floor, call ids and business keys |%n",
                    floorRate, floorCpu, floorRate / rawRate, floorCpu / rawCpu);
            System.out.printf("| hub: export file -> canonical -> Kafka | %,.0f | %.1f | %.2fx rate, %.2fx CPU | >= 0.85x rate, <= 1.3x CPU |%n",
                    hubRate, hubCpu, hubRate / rawRate, hubCpu / rawCpu);
            System.out.printf("%nB1 phone export: %.2fx the raw producer's rate (target >= 0.85x): %s; %.2fx its CPU per record"
                    + " (target <= 1.3x): %s; live heap (after each of %d full GCs during the hub's rounds) at most %d MB of -Xmx %d MB%n",
                    hubRate / rawRate, hubRate / rawRate >= 0.85 ? "MET" : "MISSED", hubCpu / rawCpu, hubCpu / rawCpu <= 1.3 ? "MET" : "MISSED",
                    MAJOR_GCS.get(), MAX_AFTER_GC.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("B1 store floor: the raw producer that also remembers each row's call id runs at %.2fx its own rate, and"
                    + " %.2fx when it also claims each business key; the hub at %.2fx is %.2fx of the latter%n",
                    callIdRate / rawRate, floorRate / rawRate, hubRate / rawRate, hubRate / floorRate);
            return new Result(hubRate, rawRate, hubCpu, rawCpu, callIdRate, floorRate);
        }
    }

    /** One hub round: the export dropped into in/, timed until its receipt is written; counts checked. */
    private static double[] hubRound(Admin admin, List<String> topics, Path file, Path in, Path done, int n) throws Exception {
        long before = endOffsets(admin, topics);
        String name = file.getFileName().toString();
        Path staged = in.resolve(name + ".part");
        Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING);
        Path receipt = done.resolve(name + ".ack.csv");
        System.gc();
        tracking = true;
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        Files.move(staged, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        while (!Files.exists(receipt)) {
            Thread.sleep(20);
        }
        long t1 = System.nanoTime();
        long cpu1 = cpu();
        tracking = false;
        long accepted;
        try (Stream<String> lines = Files.lines(receipt)) {
            accepted = lines.filter(l -> l.contains(",ACCEPTED,")).count();
        }
        long written = endOffsets(admin, topics) - before;
        if (accepted != n || written != n) {
            throw new IllegalStateException("hub round: " + n + " rows, " + accepted + " accepted, " + written + " records written");
        }
        Files.deleteIfExists(done.resolve(name));
        Files.deleteIfExists(receipt);
        return new double[] {n / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1e3 / n};
    }

    /**
     * One baseline round: the raw producer sends n records (the pool, cycled, each with its own key). The producer is
     * made before the clock starts and closed after it stops: a producer kept open holds the buffers of its fullest
     * moment (up to buffer.memory, 32 MB) for good, and in this shared JVM that heap would be taken from the hub's
     * rounds.
     */
    private static double[] rawRound(Admin admin, List<String> topics, Properties settings,
            List<ProducerRecord<String, byte[]>> pool, int n, Floor.Round store) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings)) {
            producer.partitionsFor(topics.get(0)); // metadata fetched before the clock starts
            return rawRound(admin, topics, producer, pool, n, store);
        }
    }

    private static double[] rawRound(Admin admin, List<String> topics, KafkaProducer<String, byte[]> producer,
            List<ProducerRecord<String, byte[]>> pool, int n, Floor.Round store) throws Exception {
        long before = endOffsets(admin, topics);
        AtomicLong failed = new AtomicLong();
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ProducerRecord<String, byte[]> p = pool.get(i % pool.size());
            producer.send(new ProducerRecord<>(p.topic(), null, p.key() + "-" + i, p.value(), p.headers()), (md, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                }
            });
            if (store != null && (i + 1) % Floor.BATCH == 0) {
                store.written(i + 1 - Floor.BATCH, Floor.BATCH);
            }
        }
        if (store != null && n % Floor.BATCH != 0) {
            store.written(n - n % Floor.BATCH, n % Floor.BATCH);
        }
        producer.flush();
        if (store != null) {
            store.await();
        }
        long t1 = System.nanoTime();
        long cpu1 = cpu();
        long written = endOffsets(admin, topics) - before;
        if (failed.get() > 0 || written != n) {
            throw new IllegalStateException("raw round: " + n + " records, " + failed.get() + " failed, " + written + " written");
        }
        return new double[] {n / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1e3 / n};
    }

    /**
     * The least a row costs the store beyond its record, as the hub writes it: its call id remembered
     * ({@link PhoneStore#remember}, the de-duplication across files and restarts) and its business key claimed
     * ({@link BusinessKeys#claimAll}, the duplicate guard), a statement of each per batch of rows, on a thread
     * beside the producer's (as the hub's route thread writes while its sender thread sends). Added to the raw
     * producer's round it shows how close to the producer any hub that keeps those keys in this store can get: with
     * the call ids alone (the channel's own de-duplication), and with both.
     */
    static final class Floor {
        static final int BATCH = 1000;
        private final PhoneStore calls;
        private final BusinessKeys keys;
        private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "b1-floor-writer");
            t.setDaemon(true);
            return t;
        });

        Floor(PhoneStore calls, BusinessKeys keys) {
            this.calls = calls;
            this.keys = keys;
        }

        Round round(int round, boolean businessKeys) {
            return new Round("F" + round + "-" + UUID.randomUUID().toString().substring(0, 8), businessKeys);
        }

        final class Round {
            private final String nonce;
            private final boolean businessKeys;
            private final List<java.util.concurrent.Future<?>> pending = new ArrayList<>();

            Round(String nonce, boolean businessKeys) {
                this.nonce = nonce;
                this.businessKeys = businessKeys;
            }

            /** Rows {@code from} to {@code from + count} were handed to the producer: their keys, as the hub writes them. */
            void written(int from, int count) {
                pending.removeIf(java.util.concurrent.Future::isDone);
                pending.add(writer.submit(() -> {
                    List<PhoneStore.Taken> taken = new ArrayList<>(count);
                    List<BusinessKeys.Claimed> claims = new ArrayList<>(businessKeys ? count : 0);
                    for (int i = from; i < from + count; i++) {
                        String id = nonce + "-" + i;
                        taken.add(new PhoneStore.Taken("CALL-" + id, "msg-" + id, "h" + i));
                        if (businessKeys) {
                            claims.add(new BusinessKeys.Claimed("business-order", "C-" + (10_000 + i % CUSTOMERS) + "|PO-" + id, "msg-" + id));
                        }
                    }
                    if (businessKeys && !keys.claimAll(claims, s -> java.time.Duration.ofDays(30), java.time.Duration.ofMinutes(5)).isEmpty()) {
                        throw new IllegalStateException("floor round " + nonce + ": a fresh business key was taken");
                    }
                    calls.remember("bench-floor", taken);
                    return null;
                }));
            }

            void await() throws Exception {
                for (java.util.concurrent.Future<?> f : pending) {
                    f.get();
                }
            }
        }
    }

    /** The records the hub makes from 1,000 rows of the generator: the baseline sends the same bytes, keys and topics. */
    private static List<ProducerRecord<String, byte[]>> recordPool(ConfigurableApplicationContext hub, List<String> topics) throws IOException {
        PhoneProfiles profiles = hub.getBean(PhoneProfiles.class);
        PhoneRows phoneRows = hub.getBean(PhoneRows.class);
        Path sample = Files.createTempFile("b1-pool", ".csv");
        writeExport(sample, "POOL", 1000);
        List<ProducerRecord<String, byte[]>> pool = new ArrayList<>();
        var layout = profiles.match(() -> Files.newInputStream(sample), 65536).orElseThrow();
        try (CsvRowReader r = layout.profile().reader(Files.newInputStream(sample), 65536)) {
            r.next();
            while (r.hasNext()) {
                PhoneRows.Item it = phoneRows.item(layout, r.next(), new PhoneRows.FileInfo(sample.getFileName().toString(), OffsetDateTime.now()));
                String topic = it.messageType.equals("order") ? topics.get(0) : it.messageType.equals("complaint") ? topics.get(1) : topics.get(2);
                ProducerRecord<String, byte[]> rec = new ProducerRecord<>(topic, it.recordKey, it.bytes);
                // the same envelope headers as the hub's records
                for (String h : List.of("HubMessageId", "HubCorrelationId")) {
                    rec.headers().add(h, it.id.getBytes(StandardCharsets.UTF_8));
                }
                rec.headers().add("HubMessageType", it.messageType.getBytes(StandardCharsets.UTF_8));
                rec.headers().add("HubChannel", "phone".getBytes(StandardCharsets.UTF_8));
                rec.headers().add("HubFormat", "ticket-csv".getBytes(StandardCharsets.UTF_8));
                rec.headers().add("HubPartner", "ticket".getBytes(StandardCharsets.UTF_8));
                rec.headers().add("HubSourceRef", it.key.getBytes(StandardCharsets.UTF_8));
                rec.headers().add("HubReceivedAt", OffsetDateTime.now().toString().getBytes(StandardCharsets.UTF_8));
                pool.add(rec);
            }
        }
        Files.delete(sample);
        return pool;
    }

    /** The producer settings of the hub's Kafka component (application.yaml), for the baseline. */
    private static Properties producerSettings(Environment env, String brokers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, env.getProperty("camel.component.kafka.request-required-acks", "all"));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, env.getProperty("camel.component.kafka.enable-idempotence", "true"));
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, env.getProperty("camel.component.kafka.max-in-flight-request", "5"));
        p.put(ProducerConfig.LINGER_MS_CONFIG, env.getProperty("camel.component.kafka.linger-ms", "5"));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, env.getProperty("camel.component.kafka.producer-batch-size", "16384"));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, env.getProperty("camel.component.kafka.buffer-memory-size", "33554432"));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, env.getProperty("camel.component.kafka.compression-codec", "none"));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, env.getProperty("camel.component.kafka.delivery-timeout-ms", "15000"));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, env.getProperty("camel.component.kafka.request-timeout-ms", "5000"));
        return p;
    }

    private static final int CUSTOMERS = 5000;

    /** The export's customers as the CRM publishes them: one in ten a key account. */
    static void writeCustomers(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int c = 0; c < CUSTOMERS; c++) {
                w.write("{\"customerNumber\":\"C-" + (10_000 + c) + "\",\"name\":\"Customer " + c + "\",\"phones\":[\"021 5000 "
                        + String.format("%04d", c) + "\"],\"member\":true,\"monthlyVolume\":" + (c % 10 == 0 ? 12000 : 800)
                        + ",\"creditTerms\":\"cash\"}\n");
            }
        }
    }

    /** A ticket export: 85 % orders, 15 % complaints, English and Chinese values, ~150 bytes a row. */
    static void writeExport(Path file, String prefix, int rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            for (int i = 1; i <= rows; i++) {
                boolean complaint = i % 7 == 0;
                String product = PRODUCTS[i % PRODUCTS.length];
                w.write(prefix + "-" + i + ",2026-11-23 " + String.format("%02d:%02d:%02d", 8 + i % 10, i % 60, (i / 60) % 60)
                        + ",138 " + String.format("%04d %04d", i % 10_000, (i / 10_000) % 10_000) + ",C-" + (10_000 + i % 5000)
                        + ",Customer " + (i % 5000) + ",agent" + (i % 40) + "," + (complaint ? "Complaint" : "Order")
                        + ",P-" + (1000 + i % 800) + "," + product + ",std," + (1 + i % 50) + "," + (1 + i % 30) + ".50"
                        + ",PO-" + prefix + "-" + i + "," + ((1 + i % 50) * (1 + i % 30)) + ".00,"
                        // each row its own order number and complaint text: the duplicate guard would take repeats for duplicates
                        + (complaint ? "\"Damaged on arrival, box crushed (" + prefix + "-" + i + ")\",replacement" : "Deliver to the front desk,")
                        + "\n");
            }
        }
    }

    private static long endOffsets(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        for (String t : topics) {
            admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions()
                    .forEach(p -> req.put(new TopicPartition(t, p.partition()), OffsetSpec.latest()));
        }
        return admin.listOffsets(req).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<double[]> runs, int i) {
        double[] v = runs.stream().mapToDouble(r -> r[i]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Records the heap in use right after each full GC while a hub round runs: the live set, not garbage. */
    private static synchronized void trackHeapAfterGc() {
        if (listening) {
            return;
        }
        listening = true;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((note, hb) -> {
                if (tracking && GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(note.getType())) {
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) note.getUserData());
                    if (!info.getGcAction().contains("major")) {
                        return; // after a young collection the old generation still holds its garbage
                    }
                    MAJOR_GCS.incrementAndGet();
                    long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream().filter(e -> HEAP_POOLS.contains(e.getKey()))
                            .mapToLong(e -> e.getValue().getUsed()).sum();
                    MAX_AFTER_GC.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
    }
}
