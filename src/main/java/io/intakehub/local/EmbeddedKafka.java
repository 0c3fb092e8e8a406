package io.intakehub.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (broker and controller in one) running inside the hub's JVM, for the
 * embedded default and the tests. Storage is formatted with Kafka's own {@link Formatter} (not the
 * storage tool, whose exit would halt the JVM) and kept across restarts in the data folder.
 *
 * <p>A Kafka server ends its process on a fatal fault ({@code Exit.halt(1)}: a failed log folder, an
 * unexpected error in the Raft or controller thread, a fatal error in a request handler). Here the process
 * is the hub's or a test's, and a silent halt leaves nothing to read but "exit code 1"; so this class
 * replaces Kafka's exit and halt with a refusal that logs the reason at ERROR, remembers it
 * ({@link #fatalFault()}) and stops only the Kafka thread that asked. Kafka in this JVM is then unusable
 * (producers and consumers report it, health goes DOWN) until the process is restarted.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private static final AtomicReference<String> FATAL = new AtomicReference<>();

    static {
        Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
        Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
    }

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private final KafkaRaftServer server;

    private EmbeddedKafka(int port, int controllerPort, Path logDir, KafkaRaftServer server) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.logDir = logDir;
        this.server = server;
    }

    /**
     * Formats the log folder if it is new and starts the broker.
     *
     * @param port listener port for clients (0 = a free port)
     * @param logDir the folder holding Kafka's logs and metadata
     * @param partitions partitions of each topic it creates
     */
    public static EmbeddedKafka start(int port, Path logDir, int partitions) throws IOException {
        return start(port, port == 0 ? 0 : port + 1, logDir, partitions);
    }

    /**
     * As {@link #start(int, Path, int)} with the controller's port given too (0 = a free port): a caller that restarts
     * the broker on the same ports picks both free ports itself rather than trusting the client port's neighbour.
     */
    public static EmbeddedKafka start(int port, int controllerPort, Path logDir, int partitions) throws IOException {
        int clientPort = port == 0 ? FreePorts.find() : port;
        controllerPort = controllerPort == 0 ? FreePorts.find() : controllerPort;
        Files.createDirectories(logDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", String.valueOf(partitions));
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        props.put("log.retention.hours", "168");
        // the in-process broker shares the hub's heap: the log cleaner's de-duplication buffer (128 MB by
        // default, on the heap) is cut to what a local compacted topic needs, so the hub runs at -Xmx256m
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        props.put("log.cleaner.threads", "1");
        KafkaConfig config = new KafkaConfig(props, false);

        format(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(clientPort, controllerPort, logDir, server);
    }

    private static void format(Path logDir) throws IOException {
        String clusterIdFile = logDir.resolve("hub-cluster-id").toString();
        Path idPath = Path.of(clusterIdFile);
        String clusterId = Files.exists(idPath) ? Files.readString(idPath).trim() : Uuid.randomUuid().toString();
        try {
            new Formatter()
                    .setNodeId(1)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Features.PRODUCTION_FEATURES)
                    .setControllerListenerName("CONTROLLER")
                    .setIgnoreFormatted(true)
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run();
        } catch (Exception e) {
            throw new IOException("cannot format the embedded Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
        Files.writeString(idPath, clusterId);
    }

    /**
     * Kafka asked to end the process: say why, remember it, and end only the calling thread (see the class
     * comment).
     */
    private static void refuse(String kind, int status, String message) {
        String reason = "the in-process Kafka asked to " + kind + " the JVM with status " + status
                + (message == null ? "" : " (" + message + ")") + " in thread " + Thread.currentThread().getName()
                + "; refused, Kafka in this process is unusable until it is restarted";
        FATAL.compareAndSet(null, reason);
        IllegalStateException refusal = new IllegalStateException(reason);
        LOG.error("{}", reason, refusal);
        throw refusal;
    }

    /** The first fatal fault the in-process Kafka reported in this JVM, if any (see the class comment). */
    public static Optional<String> fatalFault() {
        return Optional.ofNullable(FATAL.get());
    }

    /** Forgets a fault (the refusal's own test, which provokes one in a JVM other tests share). */
    static void forgetFatalFault() {
        FATAL.set(null);
    }

    /** Creates the topics if missing and waits until the broker answers for them. */
    public void createTopics(List<String> topics, int partitions) {
        createTopics(topics, partitions, Map.of());
    }

    /** Creates topics with the given topic configs (e.g. {@code cleanup.policy=compact}); existing ones are left alone. */
    public void createTopics(List<String> topics, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            List<NewTopic> wanted = new ArrayList<>();
            for (String t : topics) {
                wanted.add(new NewTopic(t, partitions, (short) 1).configs(configs));
            }
            for (var f : admin.createTopics(wanted).values().values()) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic: " + e.getCause().getMessage(), e);
                    }
                }
            }
            // a topic just created may not be in the metadata yet: ask again until it is
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                            || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not become ready: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        LOG.info("Stopping embedded Kafka on {}", bootstrapServers());
        server.shutdown();
        server.awaitShutdown();
    }
}
