package io.intakehub.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every setting of the hub, bound from {@code hub.*}. Defaults run the embedded default locally;
 * {@code application-prod.yaml} takes hosts and secrets from the environment.
 */
@ConfigurationProperties(prefix = "hub")
public class HubProperties {

    private final Embedded embedded = new Embedded();
    private final Kafka kafka = new Kafka();
    private final Queues queues = new Queues();
    private final Web web = new Web();
    private final Mappings mappings = new Mappings();
    private final Journal journal = new Journal();
    private final Edi edi = new Edi();
    private final Phone phone = new Phone();
    private final Delivery delivery = new Delivery();
    private final Cluster cluster = new Cluster();
    private final Limits limits = new Limits();
    /** This instance's name, unique in a cluster and the same across its restarts: it owns the Kafka writes it has in doubt. */
    private String instanceId = "local";

    public Embedded getEmbedded() { return embedded; }
    public Kafka getKafka() { return kafka; }
    public Queues getQueues() { return queues; }
    public Web getWeb() { return web; }
    public Mappings getMappings() { return mappings; }
    public Journal getJournal() { return journal; }
    public Edi getEdi() { return edi; }
    public Phone getPhone() { return phone; }
    public Delivery getDelivery() { return delivery; }
    public Cluster getCluster() { return cluster; }
    public Limits getLimits() { return limits; }
    public String getInstanceId() { return instanceId; }
    public void setInstanceId(String instanceId) { this.instanceId = instanceId; }

    /** In-process servers of the embedded default; all off in the prod profile. */
    public static class Embedded {
        /** Start the in-process brokers and servers at all. */
        private boolean enabled = true;
        /** Folder for Kafka logs, Artemis journal and the H2 file. */
        private String dataDir = "./data";
        /** Kafka listener port; 0 picks a free port (tests). */
        private int kafkaPort = 9092;
        /** Artemis TCP acceptor port (the hub itself connects in-VM); 0 picks a free port. */
        private int artemisPort = 61616;
        /** Partitions of each intake topic created by the embedded broker. */
        private int topicPartitions = 3;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getDataDir() { return dataDir; }
        public void setDataDir(String dataDir) { this.dataDir = dataDir; }
        public int getKafkaPort() { return kafkaPort; }
        public void setKafkaPort(int kafkaPort) { this.kafkaPort = kafkaPort; }
        public int getArtemisPort() { return artemisPort; }
        public void setArtemisPort(int artemisPort) { this.artemisPort = artemisPort; }
        public int getTopicPartitions() { return topicPartitions; }
        public void setTopicPartitions(int topicPartitions) { this.topicPartitions = topicPartitions; }
    }

    /** Kafka: the log of record. Producer settings that make acceptance durable are not optional. */
    public static class Kafka {
        private String brokers = "localhost:9092";
        private final Topics topics = new Topics();
        /** Consumer group of the dispatch routes (Kafka to Artemis). */
        private String dispatchGroup = "intake-hub-dispatch";
        /** Consumer group of the journal indexer. */
        private String journalGroup = "intake-hub-journal";
        /** Consumer group of the customer directory (one for the whole cluster: the directory is in the shared store). */
        private String customersGroup = "intake-hub-customers";

        public String getBrokers() { return brokers; }
        public void setBrokers(String brokers) { this.brokers = brokers; }
        public Topics getTopics() { return topics; }
        public String getDispatchGroup() { return dispatchGroup; }
        public void setDispatchGroup(String dispatchGroup) { this.dispatchGroup = dispatchGroup; }
        public String getJournalGroup() { return journalGroup; }
        public void setJournalGroup(String journalGroup) { this.journalGroup = journalGroup; }
        public String getCustomersGroup() { return customersGroup; }
        public void setCustomersGroup(String customersGroup) { this.customersGroup = customersGroup; }
    }

    /** Topic per canonical type. */
    public static class Topics {
        private String orders = "intake.orders.v1";
        private String complaints = "intake.complaints.v1";
        private String registrations = "intake.customer-registrations.v1";
        /** Compacted, keyed by customer number: the CRM's customers (not an intake topic). */
        private String customers = "intake.customers.v1";

        public String getOrders() { return orders; }
        public void setOrders(String orders) { this.orders = orders; }
        public String getComplaints() { return complaints; }
        public void setComplaints(String complaints) { this.complaints = complaints; }
        public String getRegistrations() { return registrations; }
        public void setRegistrations(String registrations) { this.registrations = registrations; }
        public String getCustomers() { return customers; }
        public void setCustomers(String customers) { this.customers = customers; }

        public List<String> all() { return List.of(orders, complaints, registrations); }

        /** The intake topic of a canonical message type ({@code order}, {@code complaint}, {@code customer-registration}). */
        public String of(String type) {
            if (type == null) {
                throw new IllegalStateException("a record without a message type has no topic");
            }
            return switch (type) {
                case "order" -> orders;
                case "complaint" -> complaints;
                case "customer-registration" -> registrations;
                default -> throw new IllegalStateException("no topic for message type " + type);
            };
        }
    }

    /** Artemis work queues and the dead-letter queue. */
    public static class Queues {
        private String orders = "intake.orders.erp";
        private String complaints = "intake.complaints.desk";
        private String escalations = "intake.complaints.escalations";
        private String registrations = "intake.registrations.crm";
        private String deadLetters = "intake.dead-letters";
        /** Where Artemis parks a dead letter nobody could consume (the DLQ's own dead-letter address). */
        private String parked = "intake.dead-letters.parked";
        /** Deliveries a consumer of a work queue may fail before Artemis moves the message to the DLQ. */
        private int maxDeliveryAttempts = 10;

        public String getOrders() { return orders; }
        public void setOrders(String orders) { this.orders = orders; }
        public String getComplaints() { return complaints; }
        public void setComplaints(String complaints) { this.complaints = complaints; }
        public String getEscalations() { return escalations; }
        public void setEscalations(String escalations) { this.escalations = escalations; }
        public String getRegistrations() { return registrations; }
        public void setRegistrations(String registrations) { this.registrations = registrations; }
        public String getDeadLetters() { return deadLetters; }
        public void setDeadLetters(String deadLetters) { this.deadLetters = deadLetters; }
        public String getParked() { return parked; }
        public void setParked(String parked) { this.parked = parked; }
        public int getMaxDeliveryAttempts() { return maxDeliveryAttempts; }
        public void setMaxDeliveryAttempts(int maxDeliveryAttempts) { this.maxDeliveryAttempts = maxDeliveryAttempts; }

        /** Work queues, in the order of the table in docs/configuration.md. */
        public List<String> work() { return List.of(orders, complaints, escalations, registrations); }
    }

    /**
     * Bounds on what one input may make the hub build or spend, whatever its channel: past one, the input is refused
     * with a reason code (docs list each limit with its code) instead of growing a structure or holding a reader.
     */
    public static class Limits {
        /** Fields in one urlencoded form post (LIMIT_EXCEEDED). */
        private int formMaxFields = 1000;
        /** Highest list index in a form field name, {@code lines[999]} (LIMIT_EXCEEDED). */
        private int formMaxIndex = 999;
        /** List entries a form post may create in all, the gaps its indices leave included (LIMIT_EXCEEDED). */
        private int formMaxListItems = 10_000;
        /** Times the same input may fail the same transient-looking way while its channel takes others (REPEATED_FAILURE). */
        private int repeatedFailures = 3;
        /** A channel with one input in work longer than this is stalled: DOWN in /actuator/health (channelStall). */
        private Duration stallAfter = Duration.ofMinutes(2);
        /** Time one mail may take to be read, mapped and judged (PROCESSING_TIMEOUT past it). */
        private Duration processingTimeout = Duration.ofSeconds(30);
        /** Time from a stop request to the process's end at the latest, whatever a step is doing (0: no deadline). */
        private Duration shutdownWithin = Duration.ofSeconds(28);

        public int getFormMaxFields() { return formMaxFields; }
        public void setFormMaxFields(int formMaxFields) { this.formMaxFields = formMaxFields; }
        public int getFormMaxIndex() { return formMaxIndex; }
        public void setFormMaxIndex(int formMaxIndex) { this.formMaxIndex = formMaxIndex; }
        public int getFormMaxListItems() { return formMaxListItems; }
        public void setFormMaxListItems(int formMaxListItems) { this.formMaxListItems = formMaxListItems; }
        public int getRepeatedFailures() { return repeatedFailures; }
        public void setRepeatedFailures(int repeatedFailures) { this.repeatedFailures = repeatedFailures; }
        public Duration getStallAfter() { return stallAfter; }
        public void setStallAfter(Duration stallAfter) { this.stallAfter = stallAfter; }
        public Duration getProcessingTimeout() { return processingTimeout; }
        public void setProcessingTimeout(Duration processingTimeout) { this.processingTimeout = processingTimeout; }
        public Duration getShutdownWithin() { return shutdownWithin; }
        public void setShutdownWithin(Duration shutdownWithin) { this.shutdownWithin = shutdownWithin; }
    }

    /** The web channel. */
    public static class Web {
        /** Accepted API keys, comma-separated; an entry {@code client=key} names the client. */
        private List<String> apiKeys = new ArrayList<>(List.of("local=local-dev-key"));
        /** Largest request body accepted; larger ones get 413 before they are read. */
        private long maxBodyBytes = 256 * 1024;
        /** Retry-After sent with 503 when Kafka cannot take the message. */
        private Duration retryAfter = Duration.ofSeconds(30);
        /** Path segment under /api/v1 to the source type its posts are mapped as (orders -> order). */
        private Map<String, String> formTypes = new TreeMap<>(Map.of(
                "orders", "order", "complaints", "complaint", "registrations", "registration"));

        public List<String> getApiKeys() { return apiKeys; }
        public void setApiKeys(List<String> apiKeys) { this.apiKeys = apiKeys; }
        public long getMaxBodyBytes() { return maxBodyBytes; }
        public void setMaxBodyBytes(long maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; }
        public Duration getRetryAfter() { return retryAfter; }
        public void setRetryAfter(Duration retryAfter) { this.retryAfter = retryAfter; }
        public Map<String, String> getFormTypes() { return formTypes; }
        public void setFormTypes(Map<String, String> formTypes) { this.formTypes = formTypes; }
    }

    /** Where the JSLT mappings live and whether edits are picked up while running. */
    public static class Mappings {
        /** Mappings shipped in the jar. */
        private String location = "classpath:mappings/";
        /** A folder that, when it exists, is used instead and watched for edits (the embedded default). */
        private String watchDirectory = "mappings";
        /** Re-read a mapping file when it changes on disk (off in prod). */
        private boolean reload = true;

        public String getLocation() { return location; }
        public void setLocation(String location) { this.location = location; }
        public String getWatchDirectory() { return watchDirectory; }
        public void setWatchDirectory(String watchDirectory) { this.watchDirectory = watchDirectory; }
        public boolean isReload() { return reload; }
        public void setReload(boolean reload) { this.reload = reload; }
    }

    /** The message journal writer: batched, off the hot path. */
    public static class Journal {
        private int batchSize = 500;
        private Duration flushInterval = Duration.ofMillis(200);
        /** Events waiting in memory before producers are slowed down (back-pressure, never dropped). */
        private int capacity = 100_000;

        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
        public Duration getFlushInterval() { return flushInterval; }
        public void setFlushInterval(Duration flushInterval) { this.flushInterval = flushInterval; }
        public int getCapacity() { return capacity; }
        public void setCapacity(int capacity) { this.capacity = capacity; }
    }

    /** The EDI channel. */
    public static class Edi {
        /** Folder holding one folder per partner (in/, out/, done/, failed/); the embedded SFTP server serves it. */
        private String root = "./data/sftp";
        /** The partner profiles. */
        private String partners = "classpath:mappings/partners.yaml";
        /** Embedded SFTP server port. */
        private int sftpPort = 2222;
        /** An interchange (sender + control number) seen again within this window is a duplicate. */
        private Duration duplicateWindow = Duration.ofDays(30);
        /** A file is read only after its size and time stamp have not changed for this long. */
        private Duration readLockMinAge = Duration.ofSeconds(2);
        /** How often the partner folders are polled. */
        private Duration pollInterval = Duration.ofSeconds(1);

        public String getRoot() { return root; }
        public void setRoot(String root) { this.root = root; }
        public String getPartners() { return partners; }
        public void setPartners(String partners) { this.partners = partners; }
        public int getSftpPort() { return sftpPort; }
        public void setSftpPort(int sftpPort) { this.sftpPort = sftpPort; }
        public Duration getDuplicateWindow() { return duplicateWindow; }
        public void setDuplicateWindow(Duration duplicateWindow) { this.duplicateWindow = duplicateWindow; }
        public Duration getReadLockMinAge() { return readLockMinAge; }
        public void setReadLockMinAge(Duration readLockMinAge) { this.readLockMinAge = readLockMinAge; }
        public Duration getPollInterval() { return pollInterval; }
        public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
    }

    /** The phone-system export channel. */
    public static class Phone {
        /** Folder holding in/ (drops), done/ (read files and their .ack.csv receipts) and failed/; absolute in production. */
        private String root = "./data/phone";
        /** Where the export profiles are: a folder or classpath location holding *.profile.yaml. */
        private String profiles = "classpath:mappings/phone/";
        /** Embedded SFTP account of the call-centre system (home = root). */
        private String sftpUser = "callcentre";
        private String sftpPassword = "callcentre-dev";
        /** Rows per Kafka batch. */
        private int batchSize = 1000;
        /** Threads that map rows (a batch each); 0 = one per processor. */
        private int mappingThreads = 0;
        /** Batches in flight at once (sent, not yet acknowledged by Kafka). */
        private int maxBatchesInFlight = 4;
        /** Longest row (characters); a longer one is rejected as ROW_TOO_LONG without reading it into memory. */
        private int maxRowChars = 65536;
        /** Default zone for export times without an offset (the profile may name its own). */
        private String zone = "Asia/Shanghai";
        /** When a file fails, how long to wait for batches already sent so they are remembered (not sent again). */
        private Duration salvageWait = Duration.ofSeconds(20);

        public String getRoot() { return root; }
        public void setRoot(String root) { this.root = root; }
        public String getProfiles() { return profiles; }
        public void setProfiles(String profiles) { this.profiles = profiles; }
        public String getSftpUser() { return sftpUser; }
        public void setSftpUser(String sftpUser) { this.sftpUser = sftpUser; }
        public String getSftpPassword() { return sftpPassword; }
        public void setSftpPassword(String sftpPassword) { this.sftpPassword = sftpPassword; }
        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
        public int getMaxBatchesInFlight() { return maxBatchesInFlight; }
        public int getMappingThreads() { return mappingThreads; }
        public void setMappingThreads(int mappingThreads) { this.mappingThreads = mappingThreads; }
        public void setMaxBatchesInFlight(int maxBatchesInFlight) { this.maxBatchesInFlight = maxBatchesInFlight; }
        public int getMaxRowChars() { return maxRowChars; }
        public void setMaxRowChars(int maxRowChars) { this.maxRowChars = maxRowChars; }
        public String getZone() { return zone; }
        public void setZone(String zone) { this.zone = zone; }
        public Duration getSalvageWait() { return salvageWait; }
        public void setSalvageWait(Duration salvageWait) { this.salvageWait = salvageWait; }
    }

    /** The ledger of Kafka writes in doubt (written, their input's progress not yet recorded): see DeliveryLedger. */
    public static class Delivery {
        /** How far before a write in doubt its records are looked for on the topic (clock differences, linger). */
        private Duration scanMargin = Duration.ofSeconds(60);
        /** How long a message id found on its topic is remembered for its input's re-reading, when nothing re-reads it. */
        private Duration confirmedRetention = Duration.ofDays(7);
        /** Writes in doubt of another instance older than this are taken as that instance's crash and resolved here. */
        private Duration staleAfter = Duration.ofMinutes(10);

        public Duration getScanMargin() { return scanMargin; }
        public void setScanMargin(Duration scanMargin) { this.scanMargin = scanMargin; }
        public Duration getConfirmedRetention() { return confirmedRetention; }
        public void setConfirmedRetention(Duration confirmedRetention) { this.confirmedRetention = confirmedRetention; }
        public Duration getStaleAfter() { return staleAfter; }
        public void setStaleAfter(Duration staleAfter) { this.staleAfter = staleAfter; }
    }

    /** Several instances on one store (docs/production.md: Run a cluster): who is alive, who reads which inbox. */
    public static class Cluster {
        /** How often an instance says it is alive and renews the inbox leases it holds. */
        private Duration heartbeatInterval = Duration.ofSeconds(3);
        /** An inbox lease not renewed for this long is free; also how long an instance may be silent and count as alive. */
        private Duration leaseTtl = Duration.ofSeconds(15);

        public Duration getHeartbeatInterval() { return heartbeatInterval; }
        public void setHeartbeatInterval(Duration heartbeatInterval) { this.heartbeatInterval = heartbeatInterval; }
        public Duration getLeaseTtl() { return leaseTtl; }
        public void setLeaseTtl(Duration leaseTtl) { this.leaseTtl = leaseTtl; }
    }
}
