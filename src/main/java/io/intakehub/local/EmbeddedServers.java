package io.intakehub.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.env.EnvironmentPostProcessorApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the servers of the embedded default that must be up before Spring and Camel start (Kafka),
 * once per JVM, and publishes their addresses as properties. Servers that Spring starts itself
 * (Artemis, H2) are configured in {@link EmbeddedArtemisConfig} and {@code application.yaml}.
 * Adding a server (mail, SFTP) means: start it here, publish its address, log where it listens.
 * Off when {@code hub.embedded.enabled=false} (the prod profile).
 */
public class EmbeddedServers implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    private static final String SOURCE = "hubEmbeddedServers";

    private static EmbeddedKafka kafka;
    private static Path throwAwayDir;
    private static final Map<String, Object> published = new LinkedHashMap<>();
    private static final List<String> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public int getOrder() {
        // after application.yaml, profiles and ${random} have been loaded
        return EnvironmentPostProcessorApplicationListener.DEFAULT_ORDER + 10;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment env = event.getEnvironment();
        if (!env.getProperty("hub.embedded.enabled", Boolean.class, true)) {
            return;
        }
        synchronized (EmbeddedServers.class) {
            if (kafka == null) {
                startAll(env);
            }
        }
        Map<String, Object> props = new LinkedHashMap<>(published);
        // resolved once: a value such as target/test-data/${random.uuid} must mean one folder for
        // every server of this context, not a new folder at each reference
        props.put("hub.embedded.data-dir",
                Path.of(env.getProperty("hub.embedded.data-dir", "./data")).toAbsolutePath().normalize().toString());
        // the same for the consumer groups (tests give each context its own, dispatch-${random.uuid}): the route's
        // group and the one the rest of the hub reads (consumer lag) must be one group
        for (String group : List.of("hub.kafka.dispatch-group", "hub.kafka.journal-group", "hub.kafka.customers-group")) {
            String value = env.getProperty(group);
            if (value != null) {
                props.put(group, value);
            }
        }
        // Spring starts one Artemis per application context: port 0 means a free port for each
        int artemisPort = env.getProperty("hub.embedded.artemis-port", Integer.class, 61616);
        props.put("hub.embedded.artemis-port", artemisPort == 0 ? FreePorts.find() : artemisPort);
        // the mail and SFTP servers are started by Spring (per context) on the port published here
        for (String port : List.of("hub.embedded.smtp-port", "hub.embedded.imap-port")) {
            int configured = env.getProperty(port, Integer.class, 0);
            props.put(port, configured == 0 ? FreePorts.find() : configured);
        }
        env.getPropertySources().addFirst(new MapPropertySource(SOURCE, props));
    }

    private static void startAll(ConfigurableEnvironment env) {
        int kafkaPort = env.getProperty("hub.embedded.kafka-port", Integer.class, 9092);
        int partitions = env.getProperty("hub.embedded.topic-partitions", Integer.class, 3);
        Path dataDir = Path.of(env.getProperty("hub.embedded.data-dir", "./data"));
        try {
            // a test run (port 0) gets throw-away storage; the embedded default keeps its data
            Path kafkaDir = kafkaPort == 0 ? Files.createTempDirectory("intake-hub-kafka") : dataDir.resolve("kafka");
            long t0 = System.nanoTime();
            kafka = EmbeddedKafka.start(kafkaPort, kafkaDir, partitions);
            throwAwayDir = kafkaPort == 0 ? kafkaDir : null;
            // published before the topics are made, so a later context of the same JVM finds the broker either way
            published.put("hub.kafka.brokers", kafka.bootstrapServers());
            kafka.createTopics(List.of(
                    env.getProperty("hub.kafka.topics.orders", "intake.orders.v1"),
                    env.getProperty("hub.kafka.topics.complaints", "intake.complaints.v1"),
                    env.getProperty("hub.kafka.topics.registrations", "intake.customer-registrations.v1")),
                    partitions);
            // the CRM's customers: one record per customer number, kept for ever (compacted)
            kafka.createTopics(List.of(env.getProperty("hub.kafka.topics.customers", "intake.customers.v1")), partitions,
                    Map.of("cleanup.policy", "compact"));
            // logging is not configured yet this early: ReadyLog prints these lines once it is
            STARTED.add(String.format("Embedded Kafka (KRaft) listening on %s (controller localhost:%d, logs %s), ready in %d ms",
                    kafka.bootstrapServers(), kafka.controllerPort(), kafkaDir.toAbsolutePath(),
                    (System.nanoTime() - t0) / 1_000_000));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServers::stopAll, "embedded-servers-stop"));
    }

    private static synchronized void stopAll() {
        // the JVM runs its shutdown hooks together: let Spring close its contexts first, or their Kafka
        // consumers wait (30 s each) for a broker this hook has already stopped
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("SpringApplicationShutdownHook") && t != Thread.currentThread()) {
                try {
                    t.join(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (throwAwayDir != null) {
            org.springframework.util.FileSystemUtils.deleteRecursively(throwAwayDir.toFile());
        }
    }

    /** One line per server this class started, saying where it listens. */
    public static List<String> startedLines() {
        return List.copyOf(STARTED);
    }

    /** The running embedded Kafka, or null when the embedded default is off. */
    public static synchronized EmbeddedKafka kafka() {
        return kafka;
    }
}
