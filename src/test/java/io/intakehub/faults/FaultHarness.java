package io.intakehub.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.intakehub.config.ArtemisTopology;
import io.intakehub.config.HubProperties;
import io.intakehub.local.EmbeddedKafka;
import io.intakehub.local.FreePorts;
import jakarta.jms.Message;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The fault suite's world: Kafka (KRaft), Artemis and the store (H2 over TCP) run here, in the test JVM,
 * each on its own port and folder so it can be stopped and started again with its data; the hub runs as the packaged
 * jar in a separate process pointed at them ({@code hub.embedded.enabled=false}, as in production), so it can be
 * killed with SIGKILL. Reading the topics and queues afterwards is done here too, the way an outside system would.
 */
public final class FaultHarness implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(120);

    static {
        // the brokers in this JVM log every message at INFO (Artemis' audit log alone is hundreds of MB per run)
        for (String quiet : List.of("org.apache.activemq", "org.apache.kafka", "kafka", "org.apache.zookeeper", "state.change.logger")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(quiet)).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    final Path work;
    final HubProperties.Queues queues = new HubProperties.Queues();
    final String ordersTopic = "intake.orders.v1";
    final String complaintsTopic = "intake.complaints.v1";
    final String registrationsTopic = "intake.customer-registrations.v1";
    private final int kafkaPort;
    private final int kafkaControllerPort;
    private final int artemisPort;
    private final int storePort;
    private final int httpPort = FreePorts.find();
    final int smtpPort;
    final int imapPort;
    /** This harness's hub: its hub.instance-id (unique in the cluster, the same across its restarts). */
    final String instanceId;
    /** The harness owning the servers, for a second hub instance on them ({@link #peer}); null for that one. */
    private final FaultHarness owner;
    private com.icegreen.greenmail.util.GreenMail mail;
    private EmbeddedKafka kafka;
    private EmbeddedActiveMQ artemis;
    private org.h2.tools.Server store;
    /** The store on a real PostgreSQL instead of H2 (the cluster case): started by {@link #startStore}. */
    private final boolean onPostgres;
    private io.intakehub.support.PostgresServer postgres;
    private String postgresUrl;
    private Process hub;
    private int hubStarts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    FaultHarness(String name) throws IOException {
        this(name, false);
    }

    FaultHarness(String name, boolean onPostgres) throws IOException {
        this.work = Path.of("target/faults", name + "-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(work);
        this.onPostgres = onPostgres;
        this.owner = null;
        this.instanceId = "hub-1";
        this.kafkaPort = FreePorts.find();
        this.kafkaControllerPort = FreePorts.find();
        this.artemisPort = FreePorts.find();
        this.storePort = FreePorts.find();
        this.smtpPort = FreePorts.find();
        this.imapPort = FreePorts.find();
    }

    /** Another hub instance on the same servers and folders (a cluster), with its own HTTP port and instance id. */
    private FaultHarness(FaultHarness owner, String instanceId) {
        this.work = owner.work;
        this.onPostgres = owner.onPostgres;
        this.owner = owner;
        this.instanceId = instanceId;
        this.kafkaPort = owner.kafkaPort;
        this.kafkaControllerPort = owner.kafkaControllerPort;
        this.artemisPort = owner.artemisPort;
        this.storePort = owner.storePort;
        this.smtpPort = owner.smtpPort;
        this.imapPort = owner.imapPort;
        this.postgresUrl = owner.postgresUrl;
        this.hubStarts = 100 * (owner.peers + 1);
        owner.peers++;
    }

    private int peers;

    /**
     * A second (third…) hub instance of a cluster on this harness's servers; closing it stops only its hub. Its
     * methods that read the brokers (topics, queues, reconciliation) need the owner's: call those on the owner.
     */
    FaultHarness peer(String peerInstanceId) {
        return new FaultHarness(this, peerInstanceId);
    }

    /** The servers alone (Kafka, Artemis, the store), for a harness that starts the hub its own way (B6). */
    public static FaultHarness servers(String name) throws Exception {
        FaultHarness h = new FaultHarness(name);
        try {
            h.startAll();
            return h;
        } catch (Exception e) {
            h.close();
            throw e;
        }
    }

    /**
     * The environment of the {@code prod} profile (application-prod.yaml) for a hub on these servers, as
     * an operator would set it; {@code database} names the store's database.
     */
    public Map<String, String> productionEnvironment(String database) {
        return Map.ofEntries(Map.entry("SPRING_PROFILES_ACTIVE", "prod"),
                Map.entry("HUB_DB_URL", storeUrl(database)), Map.entry("HUB_DB_USER", "sa"), Map.entry("HUB_DB_PASSWORD", ""),
                Map.entry("HUB_ARTEMIS_URL", "tcp://localhost:" + artemisPort), Map.entry("HUB_ARTEMIS_USER", "hub"),
                Map.entry("HUB_ARTEMIS_PASSWORD", "hub"), Map.entry("HUB_KAFKA_BROKERS", "localhost:" + kafkaPort),
                Map.entry("HUB_WEB_API_KEYS", "bench=bench-key-1"), Map.entry("HUB_OPS_USERS", "viewer:viewer-bench:VIEWER"),
                Map.entry("HUB_EDI_ROOT", work.resolve("edi").toString()), Map.entry("HUB_PHONE_ROOT", work.resolve("phone").toString()),
                Map.entry("HUB_EMAIL_ATTACHMENT_DIR", work.resolve("attachments").toString()),
                // the prod profile wants the mailbox settings even with email off (hub.email.enabled=false): the route
                // and its endpoints are built, not started
                Map.entry("HUB_EMAIL_IMAP_HOST", "mail.example.com"), Map.entry("HUB_EMAIL_IMAP_USER", "intake"),
                Map.entry("HUB_EMAIL_IMAP_PASSWORD", "unused"), Map.entry("HUB_EMAIL_SMTP_HOST", "mail.example.com"),
                Map.entry("HUB_EMAIL_SMTP_USER", "intake"), Map.entry("HUB_EMAIL_SMTP_PASSWORD", "unused"),
                Map.entry("HUB_EMAIL_REPLY_FROM", "intake@example.com"), Map.entry("HUB_EMAIL_REPLY_ID_DOMAIN", "example.com"));
    }

    /** The JDBC URL of a database on the harness's store server. */
    public String storeUrl(String database) {
        if (onPostgres) {
            return postgresUrl;
        }
        return "jdbc:h2:tcp://localhost:" + storePort + "/./" + database + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    public String kafkaAddress() {
        return "localhost:" + kafkaPort;
    }

    public String artemisUrl() {
        return "tcp://localhost:" + artemisPort;
    }

    public Path work() {
        return work;
    }

    /** A new world for one case: its brokers and store started, and the hub started on them and ready. */
    public static FaultHarness started(String name, String... hubOptions) throws Exception {
        FaultHarness h = new FaultHarness(name);
        try {
            h.startAll();
            h.startHub(hubOptions);
            return h;
        } catch (Exception e) {
            h.close();
            throw e;
        }
    }

    // ---- the servers ----

    void startKafka() throws IOException {
        kafka = EmbeddedKafka.start(kafkaPort, kafkaControllerPort, work.resolve("kafka"), 3);
        kafka.createTopics(List.of(ordersTopic, complaintsTopic, registrationsTopic), 3);
        kafka.createTopics(List.of("intake.customers.v1"), 3, Map.of("cleanup.policy", "compact"));
    }

    /** The same broker again: same port, same logs. */
    void restartKafka() throws IOException {
        kafka = EmbeddedKafka.start(kafkaPort, kafkaControllerPort, work.resolve("kafka"), 3);
    }

    void stopKafka() {
        kafka.close();
        kafka = null;
    }

    void startArtemis() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJournalDirectory(work.resolve("artemis/journal").toString());
        config.setBindingsDirectory(work.resolve("artemis/bindings").toString());
        config.setLargeMessagesDirectory(work.resolve("artemis/large").toString());
        config.setPagingDirectory(work.resolve("artemis/paging").toString());
        config.addAcceptorConfiguration("tcp", "tcp://localhost:" + artemisPort + "?protocols=CORE");
        config.setIDCacheSize(100_000);
        config.setPersistIDCache(true);
        // the same queues and dead-letter addresses as the embedded default and deploy/artemis/broker.xml
        for (ArtemisTopology.Address a : ArtemisTopology.addresses(queues)) {
            config.addAddressSetting(a.name(), new AddressSettings().setDeadLetterAddress(SimpleString.of(a.deadLetterAddress()))
                    .setMaxDeliveryAttempts(a.maxDeliveryAttempts()).setRedeliveryDelay(1000));
            config.addQueueConfiguration(QueueConfiguration.of(a.name()).setAddress(a.name()).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        artemis = new EmbeddedActiveMQ();
        artemis.setConfiguration(config);
        artemis.start();
    }

    void stopArtemis() throws Exception {
        artemis.stop();
        artemis = null;
    }

    void startStore() throws Exception {
        if (onPostgres) {
            postgres = io.intakehub.support.PostgresServer.start();
            postgresUrl = postgres.createDatabase("hub");
            return;
        }
        store = org.h2.tools.Server.createTcpServer("-tcpPort", String.valueOf(storePort), "-ifNotExists",
                "-baseDir", work.resolve("h2").toString()).start();
    }

    void stopStore() {
        if (postgres != null) {
            postgres.close();
            postgres = null;
            return;
        }
        store.stop();
        store = null;
    }

    /** A mail server (GreenMail, mail in memory) with the hub's intake mailbox, on the same ports each time. */
    void startMail() {
        mail = new com.icegreen.greenmail.util.GreenMail(new com.icegreen.greenmail.util.ServerSetup[] {
            io.intakehub.local.EmbeddedMailServer.patient(new com.icegreen.greenmail.util.ServerSetup(smtpPort, "127.0.0.1",
                    com.icegreen.greenmail.util.ServerSetup.PROTOCOL_SMTP)),
            io.intakehub.local.EmbeddedMailServer.patient(new com.icegreen.greenmail.util.ServerSetup(imapPort, "127.0.0.1",
                    com.icegreen.greenmail.util.ServerSetup.PROTOCOL_IMAP))})
                .withConfiguration(com.icegreen.greenmail.configuration.GreenMailConfiguration.aConfig()
                        .withUser("intake@localhost", "intake@localhost", "intake"));
        mail.start();
    }

    void stopMail() {
        mail.stop();
        mail = null;
    }

    /** Mails waiting in the intake mailbox's inbox (not yet taken and moved by the hub). */
    int inboxCount() throws Exception {
        var user = mail.getUserManager().getUser("intake@localhost");
        return mail.getManagers().getImapHostManager().getInbox(user).getMessageCount();
    }

    /** The hub's options for reading the harness's mail server (appended to {@link #startHub}). */
    String[] mailOptions() {
        return new String[] {"--hub.email.enabled=true", "--hub.email.imap.port=" + imapPort, "--hub.email.smtp.port=" + smtpPort,
            "--hub.email.poll-interval=500ms"};
    }

    void startAll() throws Exception {
        startKafka();
        startArtemis();
        startStore();
    }

    /** A ticket export of order rows with call ids {@code K<run>-<n>} for customer number C-7. */
    public static String export(String run, int rows) {
        StringBuilder csv = new StringBuilder("Call ID,Start Time,Caller Number,Customer Number,Call Type,Product,Quantity,Unit Price,Description\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("K").append(run).append('-').append(i).append(",2026-11-23 10:00,138 0000 ").append(1000 + i % 9000)
                    .append(",C-7,Order,Paper,").append(1 + i % 50).append(",2.00,row ").append(i).append('\n');
        }
        return csv.toString();
    }

    /**
     * One X12 interchange from partner ACME (its identity in mappings/partners.yaml) holding {@code transactions}
     * 850s, purchase orders {@code F<run>-<n>}, interchange control number {@code control}.
     */
    public static String x12(String run, int control, int transactions) {
        String isa13 = String.format("%09d", control);
        StringBuilder x = new StringBuilder("ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*INTAKEHUB      *261122*0930*U*00401*")
                .append(isa13).append("*0*P*>~\nGS*PO*ACMEBUYER*INTAKEHUB*20261122*0930*").append(control).append("*X*004010~\n");
        for (int n = 1; n <= transactions; n++) {
            String st = String.format("%09d", n);
            x.append("ST*850*").append(st).append("~\nBEG*00*SA*F").append(run).append('-').append(n).append("**20261122~\nCUR*BY*CNY~\n")
                    .append("N1*BY*Acme Office Supplies (Shanghai)*92*C-10042~\nN1*ST*Acme Warehouse Pudong*92*WH-01~\n")
                    .append("N3*100 Century Avenue~\nN4*Shanghai**200120*CN~\nPO1*1*").append(1 + n % 50).append("*CA*125.50**VP*A4-80~\n")
                    .append("PID*F****A4 copy paper 80 g~\nCTT*1~\nSE*11*").append(st).append("~\n");
        }
        return x.append("GE*").append(transactions).append('*').append(control).append("~\nIEA*1*").append(isa13).append("~\n").toString();
    }

    /** The message id of transaction {@code n} of {@link #x12}. */
    public static String x12MessageId(int control, int n) {
        return io.intakehub.canonical.MessageIds.of("edi", "ACME", "ZZ:ACMEBUYER/" + String.format("%09d", control) + "/" + control + "/"
                + String.format("%09d", n), 0);
    }

    /** Drops a file into a partner's EDI inbox the careful way. */
    void dropEdi(String partner, String name, String content) throws IOException {
        Files.createDirectories(ediIn(partner));
        Path part = ediIn(partner).resolve(name + ".part");
        Files.writeString(part, content, java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.move(part, ediIn(partner).resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Drops a file into the phone inbox the careful way: written under a temporary name, then renamed. */
    public void dropExport(String name, String csv) throws IOException {
        Files.createDirectories(phoneIn());
        Path part = phoneIn().resolve(name + ".part");
        Files.writeString(part, csv, java.nio.charset.StandardCharsets.UTF_8);
        Files.move(part, phoneIn().resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Waits for the export's receipt and returns the message id of every row (a row taken before a restart is
     * "already taken" under its first id), checking each row was accepted or taken before.
     */
    public List<String> receiptIds(String name, int rows, Duration wait) throws Exception {
        Path receipt = phoneDone().resolve(name + ".ack.csv");
        org.awaitility.Awaitility.await().atMost(wait).until(() -> Files.exists(receipt) && !Files.exists(phoneIn().resolve(name)));
        List<String> lines = Files.readAllLines(receipt, java.nio.charset.StandardCharsets.UTF_8);
        List<String> ids = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", 5);
            if (!f[1].equals("ACCEPTED") && !f[1].equals("DUPLICATE")) {
                throw new AssertionError("row not taken: " + l);
            }
            ids.add(f[2]);
        }
        if (ids.size() != rows || new java.util.HashSet<>(ids).size() != rows) {
            throw new AssertionError("receipt of " + name + ": " + ids.size() + " rows, " + new java.util.HashSet<>(ids).size() + " ids; expected "
                    + rows);
        }
        return ids;
    }

    public Path phoneIn() {
        return work.resolve("phone/in");
    }

    public Path phoneDone() {
        return work.resolve("phone/done");
    }

    Path ediIn(String partner) {
        return work.resolve("edi").resolve(partner).resolve("in");
    }

    // ---- the hub, a separate process ----

    /** Starts the packaged hub and waits until it is ready (readiness UP). */
    void startHub(String... extra) throws Exception {
        String jar = System.getProperty("hub.jar", "target/intake-hub-0.1.0-SNAPSHOT.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        // extra JVM options for the hub, e.g. a JFR recording while a benchmark runs (-Dhub.jvm-options=…)
        String jvm = System.getProperty("hub.jvm-options", "").strip();
        if (!jvm.isEmpty()) {
            cmd.addAll(List.of(jvm.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString(),
                "--hub.embedded.enabled=false",
                "--hub.embedded.data-dir=" + work.resolve("data"),
                "--server.port=" + httpPort,
                "--hub.kafka.brokers=localhost:" + kafkaPort,
                "--spring.artemis.mode=native",
                "--spring.artemis.broker-url=tcp://localhost:" + artemisPort,
                "--spring.datasource.url=" + storeUrl("hub"),
                "--spring.datasource.username=" + (onPostgres ? "postgres" : "sa"), "--spring.datasource.password=",
                "--hub.instance-id=" + instanceId,
                "--hub.edi.root=" + work.resolve("edi"),
                "--hub.phone.root=" + work.resolve("phone"),
                "--hub.phone.read-lock-min-age=300", "--hub.phone.poll-interval=200",
                "--hub.email.enabled=false",
                "--hub.mappings.reload=false",
                "--hub.ops.metrics-refresh-interval=PT2S",
                "--logging.level.root=INFO"));
        // an extra option replaces the default of the same name (Spring would join repeated options with a comma)
        for (String e : extra) {
            String key = e.substring(0, e.indexOf('=') + 1);
            cmd.removeIf(c -> c.startsWith(key));
        }
        cmd.addAll(List.of(extra));
        Path log = work.resolve("hub-" + (++hubStarts) + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.startsWith("SPRING_"));
        hub = pb.start();
        long until = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < until) {
            if (!hub.isAlive()) {
                throw new IllegalStateException("the hub exited with " + hub.exitValue() + "; " + tail(log));
            }
            if (readiness() == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the hub was not ready within " + READY + "; " + tail(log));
    }

    /**
     * Where a process's log is and its last lines, for a failure message: a CI run keeps only the console, not the
     * files under target/.
     */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
            return "the last lines of " + log + ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "see " + log + " (unreadable: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void killHub() throws InterruptedException {
        hub.destroyForcibly();
        hub.waitFor();
    }

    /** A graceful stop (SIGTERM). */
    void stopHub() throws InterruptedException {
        if (hub != null && hub.isAlive()) {
            hub.destroy();
            if (!hub.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                hub.destroyForcibly().waitFor();
            }
        }
    }

    int readiness() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The full health document as an ops viewer sees it. */
    String health() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("viewer:viewer-dev".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The hub process's id (its CPU time is read from /proc by the benchmarks). */
    public long hubPid() {
        return hub.pid();
    }

    public String base() {
        return "http://localhost:" + httpPort;
    }

    /** Stops or starts one of the hub's routes through the ops API, as an operator would. */
    public void route(String id, String action) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/ops/v1/routes/" + id + "/" + action))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "operator:operator-dev".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(action + " " + id + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** Writes records to a topic with one producer (acks=all, idempotent), each with its HubMessageId header when given. */
    public void produceAll(String topic, List<Map.Entry<String, byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:" + kafkaPort);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(p, new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : records) {
                var record = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(topic, e.getKey(), e.getValue());
                if (e.getKey() != null) {
                    record.headers().add("HubMessageId", e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                sent.add(producer.send(record));
            }
            for (var f : sent) {
                f.get();
            }
        }
    }

    HttpResponse<String> post(String path, String json, String idempotencyKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Api-Key", "local-dev-key")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- reading what came out ----

    /** The members of a Kafka consumer group now (each hub instance's consumers in it). */
    int groupMembers(String group) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafkaAddress()))) {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, java.util.concurrent.TimeUnit.SECONDS)
                    .members().size();
        }
    }

    /** Message id → how many records on the topic carry it (HubMessageId header). */
    Map<String, Integer> topicCounts(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:" + kafkaPort);
        p.put("group.id", "fault-reader-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long idle = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < idle) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    var h = r.headers().lastHeader("HubMessageId");
                    counts.merge(h == null ? "?" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** Writes one record to a topic as an outside producer would (acks=all), with a HubMessageId header when given. */
    void produce(String topic, String messageId, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:" + kafkaPort);
        p.put("acks", "all");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(p, new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            var record = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(topic, "fault-test", value);
            if (messageId != null) {
                record.headers().add("HubMessageId", messageId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            producer.send(record).get();
        }
    }

    /** Records on the topic now (the sum of its partitions' end offsets). */
    public long topicEnd(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:" + kafkaPort);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Messages on the queue now, from the broker itself (a JMS browser may end early on a long queue). */
    public long queueDepth(String queue) {
        var q = artemis.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }

    /**
     * Message id → how many messages on the queue carry it. Takes them off the queue (the count is exact; a JMS
     * browser may stop before the end of a long queue): call it once, at the end.
     */
    public Map<String, Integer> drainCounts(String queue) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("tcp://localhost:" + artemisPort);
                var conn = cf.createConnection()) {
            conn.start();
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (var consumer = s.createConsumer(s.createQueue(queue))) {
                for (Message m = consumer.receive(5000); m != null; m = consumer.receive(2000)) {
                    String id = m.getStringProperty("HubMessageId");
                    counts.merge(id == null ? "?" : id, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** What a fault case left behind, counted over every input's message id. */
    record Tally(int inputs, long missingOnTopic, long twiceOnTopic, long onQueue, long twiceOnQueue, long deadLettered,
            Map<String, Integer> deadLetters) {
        /** Every input on its topic and exactly once on its work queue, none dead-lettered. */
        void assertEveryInputOnceOnTheQueue() {
            org.assertj.core.api.Assertions.assertThat(missingOnTopic).as("missing on the topic").isZero();
            org.assertj.core.api.Assertions.assertThat(onQueue).as("on the work queue").isEqualTo(inputs);
            org.assertj.core.api.Assertions.assertThat(twiceOnQueue).as("twice on the work queue").isZero();
            org.assertj.core.api.Assertions.assertThat(deadLettered).as("dead-lettered").isZero();
        }

        String line() {
            return String.format("%d inputs | missing on the topic %d, on it twice %d | on the work queue %d, twice %d | dead-lettered %d",
                    inputs, missingOnTopic, twiceOnTopic, onQueue, twiceOnQueue, deadLettered);
        }
    }

    /**
     * Counts every input's message id on its topic, on its work queue (once dispatch has caught up; the queue is
     * drained to count exactly) and on the dead-letter queue.
     */
    Tally reconcile(java.util.Collection<String> ids, String topic, String queue) throws Exception {
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> queueDepth(queue) >= ids.size());
        } catch (org.awaitility.core.ConditionTimeoutException stuck) {
            // say where it stopped: how far dispatch got, what the topic holds, what the hub reports about its consumers
            throw new AssertionError("dispatch did not catch up within 300 s: " + queueDepth(queue) + " of " + ids.size()
                    + " on " + queue + ", " + topicCounts(topic).size() + " distinct ids on " + topic + "; health: " + health(), stuck);
        }
        Thread.sleep(3000);
        Map<String, Integer> onTopic = topicCounts(topic);
        Map<String, Integer> onQueue = drainCounts(queue);
        Map<String, Integer> dead = drainCounts(queues.getDeadLetters());
        return new Tally(ids.size(), ids.stream().filter(id -> !onTopic.containsKey(id)).count(),
                ids.stream().filter(id -> onTopic.getOrDefault(id, 0) > 1).count(), ids.stream().filter(onQueue::containsKey).count(),
                ids.stream().filter(id -> onQueue.getOrDefault(id, 0) > 1).count(), ids.stream().filter(dead::containsKey).count(), dead);
    }

    @Override
    public void close() throws Exception {
        stopHub();
        if (owner != null) {
            return; // a peer: the servers are its owner's
        }
        if (mail != null) {
            stopMail();
        }
        if (kafka != null) {
            stopKafka();
        }
        if (artemis != null) {
            stopArtemis();
        }
        if (store != null || postgres != null) {
            stopStore();
        }
        // the in-process Kafka refuses to halt this JVM on a fatal fault (EmbeddedKafka): fail the case with the reason
        io.intakehub.local.EmbeddedKafka.fatalFault().ifPresent(reason -> {
            throw new AssertionError(reason);
        });
    }
}
