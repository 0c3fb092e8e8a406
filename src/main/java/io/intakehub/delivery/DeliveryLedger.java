package io.intakehub.delivery;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.intakehub.config.HubHeaders;
import io.intakehub.config.HubProperties;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Exactly once on the topics across a crash. Kafka acknowledges a write before the channel records its input's
 * progress (a phone batch's call ids remembered, an EDI interchange recorded, a web key accepted); a crash between
 * the two used to send the same records again when the input was read again (same message ids, so the work queues
 * stayed exactly once through Artemis duplicate detection, but the topic had them twice).
 * <p>
 * The ledger closes that window. Before records are sent, their message ids are written to {@code delivery_in_doubt}
 * with the input whose progress will settle them; the channel settles them once its progress is in the store. A row
 * nobody settled — the process was killed, the send failed, the input's reading was abandoned — is <em>resolved</em>
 * before this instance sends anything again: its topics are read from the row's start time (less
 * {@code hub.delivery.scan-margin}) to their end, and each of its ids found there goes to {@code delivery_confirmed}.
 * A send drops the records whose ids are confirmed (they are on the topic already) and the channel goes on as if it
 * had sent them; their confirmation is deleted when the channel settles.
 * <p>
 * Route steps: {@code ledger-open} before the Kafka write, {@code ledger-written} after it, {@code ledger-failed} when
 * it fails. Channels name the input with the exchange property {@link #INPUT} and call {@link #settle} or
 * {@link #abandon}; a write without one is not kept (nothing re-reads it: a web post without a key is a new message
 * when retried), though records found on the topic are still left out of it.
 */
@Component("deliveryLedger")
public class DeliveryLedger {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLedger.class);

    /** Exchange property: the input whose recorded progress settles this exchange's writes. */
    public static final String INPUT = "HubLedgerInput";
    /** Exchange property set by {@code ledger-open}: true when every record to write is on its topic already. */
    public static final String ON_TOPIC = "HubLedgerOnTopic";
    private static final String OPEN = "HubLedgerOpen";
    private static final int IDS_PER_CHUNK = 100;
    private static final int IDS_PER_QUERY = 500;
    private static final Duration SCAN_LIMIT = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;
    private final HubProperties props;
    private final String owner;
    /** Inputs this instance has open: never resolved under a running writer. */
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    /** Inputs whose writes found confirmed ids: those are deleted when the input settles. */
    private final Map<String, Set<String>> consumed = new ConcurrentHashMap<>();
    private final Object resolving = new Object();
    /** True while rows may exist that nobody will settle: at start, after a failed write, after an abandoned input. */
    private volatile boolean unresolved = true;
    /** Counts the reasons to resolve, so one that comes while a resolution runs is not lost. */
    private final java.util.concurrent.atomic.AtomicLong reasons = new java.util.concurrent.atomic.AtomicLong();
    /** False once the confirmed table is known to be empty: the send path then asks nothing. */
    private volatile boolean confirmedMayExist = true;
    private final java.util.concurrent.atomic.AtomicLong skipped = new java.util.concurrent.atomic.AtomicLong();

    public DeliveryLedger(JdbcTemplate jdbc, HubProperties props) {
        this.jdbc = jdbc;
        this.props = props;
        this.owner = props.getInstanceId();
    }

    /** One record to write: its topic and message id. */
    record Pending(String topic, String messageId) {}

    /**
     * Step {@code ledger-open}: resolves what an earlier run left in doubt, drops the records already on their topic
     * (a batch body loses them; a single record sets {@link #ON_TOPIC}) and writes the rest's ids to the ledger.
     */
    public void open(Exchange exchange) {
        resolveIfNeeded();
        Message m = exchange.getMessage();
        Object body = m.getBody();
        List<Message> batch = body instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Message
                ? list.stream().map(Message.class::cast).toList() : null;
        List<Pending> pending = new ArrayList<>();
        if (batch != null) {
            for (Message r : batch) {
                pending.add(new Pending(r.getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class), r.getHeader(HubHeaders.MESSAGE_ID, String.class)));
            }
        } else {
            pending.add(new Pending(props.getKafka().getTopics().of(m.getHeader(HubHeaders.MESSAGE_TYPE, String.class)), m.getHeader(HubHeaders.MESSAGE_ID, String.class)));
        }
        Set<String> onTopic = confirmedMayExist ? confirmed(pending) : Set.of();
        String input = exchange.getProperty(INPUT, String.class);
        if (!onTopic.isEmpty()) {
            LOG.debug("{} record(s) of {} found on their topic after an earlier run's crash: not sent again", onTopic.size(),
                    input == null ? "a write" : input);
            skipped.addAndGet(onTopic.size());
            consumed.computeIfAbsent(input == null ? "" : input, k -> ConcurrentHashMap.newKeySet()).addAll(onTopic);
            pending.removeIf(p -> onTopic.contains(p.messageId()));
            if (batch != null) {
                m.setBody(new ArrayList<>(batch.stream().filter(r -> !onTopic.contains(r.getHeader(HubHeaders.MESSAGE_ID, String.class))).toList()));
            }
        }
        exchange.setProperty(ON_TOPIC, pending.isEmpty());
        if (pending.isEmpty() || input == null) {
            // without an input there is no re-reading to protect (a web post without a key is a new message when
            // retried): nothing to keep in doubt
            return;
        }
        live.add(input);
        record(UUID.randomUUID().toString(), input, pending);
        exchange.setProperty(OPEN, input);
    }

    /** Step {@code ledger-written}: Kafka acknowledged; the write stays in doubt until its input settles. */
    public void written(Exchange exchange) {
        exchange.removeProperty(OPEN);
        if (exchange.getProperty(INPUT) == null) {
            dropConsumed(""); // ids found on the topic for a write without an input: used now
        }
    }

    /** Step {@code ledger-failed} (a catch around the Kafka write): the write is in doubt; rethrows its failure. */
    public void failed(Exchange exchange) throws Exception {
        if (exchange.removeProperty(OPEN) != null) {
            inDoubtAgain();
        }
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        throw e != null ? e : new IllegalStateException("the Kafka write failed");
    }

    /** The input's progress is in the store: its writes are no longer in doubt. */
    public void settle(String input) {
        if (input == null) {
            return;
        }
        jdbc.update("delete from delivery_in_doubt where input_ref = ?", input);
        live.remove(input);
        dropConsumed(input);
    }

    /** The input's reading ended without its progress recorded (it will be read again): its writes are in doubt. */
    public void abandon(String input) {
        if (input != null && live.remove(input)) {
            consumed.remove(input);
            inDoubtAgain();
        }
    }

    /** The next write first resolves whatever no running writer of this instance holds, as after a start. */
    public void recheck() {
        inDoubtAgain();
    }

    private void inDoubtAgain() {
        reasons.incrementAndGet();
        unresolved = true;
    }

    /** A fresh name for one reading of an input, e.g. {@code edi:ACME/in/po.edi#<uuid>}. */
    public static String input(String channel, String what) {
        return channel + ":" + what + "#" + UUID.randomUUID();
    }

    private void record(String batchId, String input, List<Pending> pending) {
        Set<String> topics = new LinkedHashSet<>();
        pending.forEach(p -> topics.add(p.topic()));
        Timestamp now = Timestamp.from(Instant.now());
        List<Object[]> rows = new ArrayList<>();
        for (int from = 0, chunk = 0; from < pending.size(); from += IDS_PER_CHUNK, chunk++) {
            StringBuilder ids = new StringBuilder();
            for (Pending p : pending.subList(from, Math.min(pending.size(), from + IDS_PER_CHUNK))) {
                ids.append(p.messageId()).append('\n');
            }
            rows.add(new Object[] {batchId, chunk, owner, input, String.join(",", topics), now, ids.toString()});
        }
        jdbc.batchUpdate("insert into delivery_in_doubt (batch_id, chunk, owner, input_ref, topics, started_at, message_ids) values (?, ?, ?, ?, ?, ?, ?)", rows);
    }

    private Set<String> confirmed(List<Pending> pending) {
        Set<String> found = new HashSet<>();
        for (int from = 0; from < pending.size(); from += IDS_PER_QUERY) {
            List<Pending> part = pending.subList(from, Math.min(pending.size(), from + IDS_PER_QUERY));
            String marks = String.join(",", Collections.nCopies(part.size(), "?"));
            found.addAll(jdbc.queryForList("select message_id from delivery_confirmed where message_id in (" + marks + ")", String.class,
                    part.stream().map(Pending::messageId).toArray()));
        }
        return found;
    }

    private void dropConsumed(String input) {
        Set<String> ids = consumed.remove(input);
        if (ids == null || ids.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("delete from delivery_confirmed where message_id = ?", ids.stream().map(id -> new Object[] {id}).toList());
        if (consumed.isEmpty()) {
            confirmedMayExist = count("select count(*) from delivery_confirmed") > 0;
        }
    }

    private int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    /**
     * Resolves the writes nobody will settle (a running writer's are left alone). Every writer waits for it: none
     * writes while ids of an earlier run may still be on their way to the confirmed table.
     */
    void resolveIfNeeded() {
        if (!unresolved) {
            return;
        }
        synchronized (resolving) {
            if (!unresolved) {
                return;
            }
            long seen = reasons.get();
            resolve();
            unresolved = false;
            if (reasons.get() != seen) {
                unresolved = true; // a write failed or an input was abandoned meanwhile: the next writer resolves again
            }
        }
    }

    /** One row of the ledger, its chunks joined. */
    private record InDoubt(String batchId, String input, Set<String> topics, Instant startedAt, Set<String> ids) {}

    private void resolve() {
        Instant now = Instant.now();
        jdbc.update("delete from delivery_confirmed where confirmed_at < ?", Timestamp.from(now.minus(props.getDelivery().getConfirmedRetention())));
        Map<String, InDoubt> rows = new HashMap<>();
        // ours, or left by an instance that is gone (not seen within the cluster's lease TTL: its inboxes are being
        // taken over and its half-read inputs read again here), or simply old
        jdbc.query("""
                select batch_id, input_ref, topics, started_at, message_ids from delivery_in_doubt
                 where owner = ? or started_at < ?
                    or owner not in (select instance_id from hub_instance where last_seen >= ?)""",
                rs -> {
                    String batchId = rs.getString(1);
                    String input = rs.getString(2);
                    if (input == null || live.contains(input)) {
                        return; // a writer of this instance is still at it
                    }
                    InDoubt row = rows.computeIfAbsent(batchId, id -> {
                        try {
                            return new InDoubt(id, input, new LinkedHashSet<>(List.of(rs.getString(3).split(","))),
                                    rs.getTimestamp(4).toInstant(), new HashSet<>());
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    for (String id : rs.getString(5).split("\n")) {
                        if (!id.isEmpty()) {
                            row.ids().add(id);
                        }
                    }
                }, owner, Timestamp.from(now.minus(props.getDelivery().getStaleAfter())),
                Timestamp.from(now.minus(props.getCluster().getLeaseTtl())));
        if (rows.isEmpty()) {
            confirmedMayExist = count("select count(*) from delivery_confirmed") > 0;
            return;
        }
        Map<String, Instant> from = new HashMap<>();
        Map<String, String> wanted = new HashMap<>(); // id -> batch
        for (InDoubt row : rows.values()) {
            for (String topic : row.topics()) {
                from.merge(topic, row.startedAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
            row.ids().forEach(id -> wanted.put(id, row.batchId()));
        }
        Map<String, String> found = scan(from, wanted.keySet());
        Timestamp at = Timestamp.from(now);
        List<Object[]> confirmed = new ArrayList<>();
        found.forEach((id, topic) -> confirmed.add(new Object[] {id, topic, at, id}));
        jdbc.batchUpdate("""
                insert into delivery_confirmed (message_id, topic, confirmed_at)
                select ?, ?, ? where not exists (select 1 from delivery_confirmed where message_id = ?)""", confirmed);
        jdbc.batchUpdate("delete from delivery_in_doubt where batch_id = ?", rows.keySet().stream().map(id -> new Object[] {id}).toList());
        confirmedMayExist = !found.isEmpty() || count("select count(*) from delivery_confirmed") > 0;
        LOG.warn("Resolved {} Kafka write(s) left in doubt ({} message ids): {} found on their topics (they will not be sent again), "
                + "{} not (their inputs send them when read again)", rows.size(), wanted.size(), found.size(), wanted.size() - found.size());
    }

    /** Reads each topic from its time (less the margin) to its current end; the wanted ids found, with their topic. */
    private Map<String, String> scan(Map<String, Instant> from, Set<String> wanted) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, props.getKafka().getBrokers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // a broker that does not answer fails the write that asked (the channel retries later) as fast as a send would
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "intake-hub-ledger-" + owner);
        Map<String, String> found = new HashMap<>();
        long scanned = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> times = new HashMap<>();
            for (Map.Entry<String, Instant> e : from.entrySet()) {
                long since = e.getValue().minus(props.getDelivery().getScanMargin()).toEpochMilli();
                for (PartitionInfo p : consumer.partitionsFor(e.getKey())) {
                    times.put(new TopicPartition(p.topic(), p.partition()), since);
                }
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(times.keySet());
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(times);
            Map<TopicPartition, Long> todo = new HashMap<>();
            start.forEach((tp, o) -> {
                if (o != null && o.offset() < end.get(tp)) {
                    todo.put(tp, end.get(tp));
                }
            });
            consumer.assign(todo.keySet());
            todo.keySet().forEach(tp -> consumer.seek(tp, start.get(tp).offset()));
            long deadline = System.nanoTime() + SCAN_LIMIT.toNanos();
            while (!todo.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException("the ledger's scan of " + from.keySet() + " did not reach the end in "
                            + SCAN_LIMIT + " (" + scanned + " records read): nothing is sent until it does");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    scanned++;
                    Header h = r.headers().lastHeader(HubHeaders.MESSAGE_ID);
                    String id = h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
                    if (id != null && wanted.contains(id)) {
                        found.put(id, r.topic());
                    }
                }
                todo.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                consumer.pause(consumer.assignment().stream().filter(tp -> !todo.containsKey(tp)).toList());
            }
        }
        LOG.info("Ledger scan of {}: {} records read, {} of {} ids in doubt found", from.keySet(), scanned, found.size(), wanted.size());
        return found;
    }

    /** For the ops view and tests: writes in doubt, confirmed ids kept, records not written again since the start. */
    public Map<String, Long> counts() {
        return Map.of("inDoubt", (long) count("select count(distinct batch_id) from delivery_in_doubt"),
                "confirmed", (long) count("select count(*) from delivery_confirmed"), "skippedOnTopic", skipped.get());
    }
}
