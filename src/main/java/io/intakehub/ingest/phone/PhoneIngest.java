package io.intakehub.ingest.phone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.re2j.Pattern;
import io.intakehub.config.HubHeaders;
import io.intakehub.config.HubProperties;
import io.intakehub.delivery.DeliveryLedger;
import io.intakehub.shared.DeadLetters;
import io.intakehub.shared.Failures;
import io.intakehub.shared.HubException;
import io.intakehub.shared.IntakeMetrics;
import io.intakehub.shared.ReasonCode;
import io.intakehub.store.Journal;
import io.intakehub.store.JournalEvent;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.StatefulService;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phone-export route's logic ({@code ingest-phone}). One file at a time, streamed:
 * <ol>
 *   <li>{@code open}: the profile whose layout fits the first row ({@code UNKNOWN_LAYOUT} otherwise);</li>
 *   <li>{@code process}: rows are read, mapped and checked one by one and gathered into batches of
 *       {@code hub.phone.batch-size}; a batch is checked against the call ids taken before (one query)
 *       and its messages are handed to {@code deliver-accept-batch} without waiting, so up to
 *       {@code hub.phone.max-batches-in-flight} batches are on their way to Kafka while the next is
 *       mapped. Batches settle in file order: keys remembered, inquiries journaled, contact events
 *       logged, bad rows dead-lettered, the receipt written;</li>
 *   <li>{@code finish}: the receipt takes its name and the file moves to done/.</li>
 * </ol>
 * Kafka, Artemis or the store failing fails the file as a whole: it stays in in/ and is read again;
 * rows already taken are then {@code DUPLICATE} in the new receipt, never a second message.
 */
public class PhoneIngest {

    private static final Logger LOG = LoggerFactory.getLogger(PhoneIngest.class);

    /** Exchange property: the state of the file being read. */
    public static final String FILE_STATE = "HubPhoneFile";
    /** Exchange property: the folder the file moves to when the exchange completes (done or failed). */
    public static final String TARGET_FOLDER = "HubPhoneFolder";

    // SECURITY: only plain names directly in in/ are read
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");
    private static final Pattern UNSAFE_IN_NAME = Pattern.compile("[/\\\\\\p{Cc}]");
    private static final Pattern SAFE_NAME = Pattern.compile("[^/\\\\\\p{Cc}]{1,200}");

    private final PhoneProfiles profiles;
    private final PhoneRows rows;
    private final PhoneStore store;
    private final Journal journal;
    private final HubProperties.Phone config;
    private final HubProperties.Topics topics;
    private final CamelContext camel;
    private volatile AsyncProducer accept;
    private final ProducerTemplate template;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "phone-batch-sender");
        t.setDaemon(true);
        return t;
    });
    /** Rows are mapped (JSLT, envelope, schema) on these threads, a batch per task. */
    private final ExecutorService mappers;
    private final int mappingThreads;
    private final java.time.Duration processingTimeout;

    /** Per-file state, kept as an exchange property. */
    static final class FileState implements AutoCloseable {
        final Path file;
        final String name;
        final PhoneLayout layout;
        final PhoneRows.FileInfo info;
        CsvRowReader reader;
        Receipt receipt;
        /** Rows counted as received (batch by batch); settled all at once when the file is done, or returned. */
        long rowsReceived;
        boolean settled;
        /** The file's header row as written, carried by its bad rows' dead letters so one can be replayed alone. */
        String headerRow;
        /** Batches written to Kafka whose rows are not remembered yet: in the delivery ledger. */
        final java.util.Set<String> inDoubt = new java.util.HashSet<>();

        FileState(Path file, PhoneLayout layout, OffsetDateTime receivedAt) {
            this.file = file;
            this.name = file.getFileName().toString();
            this.layout = layout;
            this.info = new PhoneRows.FileInfo(name, receivedAt);
        }

        @Override
        public void close() throws IOException {
            if (reader != null) {
                reader.close();
            }
            if (receipt != null) {
                receipt.close();
            }
        }
    }

    /** A batch of rows on its way. */
    private static final class Batch {
        final List<PhoneRows.Item> items = new ArrayList<>();
        final CompletableFuture<Exchange> sent = new CompletableFuture<>();
        /** The batch's name in the delivery ledger while its records are written and its rows not yet remembered. */
        String ledgerInput;
    }

    private final IntakeMetrics metrics;
    private final DeliveryLedger ledger;

    public PhoneIngest(PhoneProfiles profiles, PhoneRows rows, PhoneStore store, Journal journal, HubProperties props,
            CamelContext camel, ProducerTemplate template, IntakeMetrics metrics, DeliveryLedger ledger) {
        this.metrics = metrics;
        this.ledger = ledger;
        this.profiles = profiles;
        this.rows = rows;
        this.store = store;
        this.journal = journal;
        this.config = props.getPhone();
        this.topics = props.getKafka().getTopics();
        this.camel = camel;
        this.template = template;
        this.processingTimeout = props.getLimits().getProcessingTimeout();
        this.mappingThreads = config.getMappingThreads() > 0 ? config.getMappingThreads() : Runtime.getRuntime().availableProcessors();
        AtomicInteger n = new AtomicInteger();
        this.mappers = Executors.newFixedThreadPool(mappingThreads, r -> {
            Thread t = new Thread(r, "phone-mapper-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Step {@code open-phone-export}: the file's profile; a file no profile fits is refused whole. */
    public void open(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        String name = m.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        m.setHeader(HubHeaders.CHANNEL, "phone");
        m.setHeader(HubHeaders.FILE_NAME, name);
        m.setHeader(HubHeaders.SOURCE_REF, "file:" + name);
        if (name == null || !SAFE_NAME.matcher(name).matches() || name.contains("..")) {
            throw new HubException(ReasonCode.PATH_NOT_ALLOWED, "file name '" + (name == null ? "" : CONTROL.matcher(name).replaceAll("?"))
                    + "' is not a plain file name");
        }
        Path file = Path.of(m.getHeader(Exchange.FILE_PATH, String.class));
        PhoneLayout layout = profiles.match(() -> Files.newInputStream(file), config.getMaxRowChars())
                .orElseThrow(() -> new HubException(ReasonCode.UNKNOWN_LAYOUT,
                "file " + name + " fits none of the export profiles " + profiles.all().stream().map(PhoneProfile::id).toList()
                        + " (a header layout needs its required column names in the first row; a layout by position its field count"
                        + " and readable values)"));
        FileState state = new FileState(file, layout, OffsetDateTime.now());
        exchange.setProperty(FILE_STATE, state);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange e) {
                if (!state.settled && state.rowsReceived > 0) {
                    // the file failed and stays in in/: its rows were not taken and will be read again
                    metrics.settled("phone", layout.profile().id(), IntakeMetrics.Outcome.RETURNED, state.rowsReceived);
                }
                try {
                    state.close();
                } catch (IOException ex) {
                    LOG.debug("closing {}: {}", name, ex.getMessage());
                }
            }
        });
        m.setHeader(HubHeaders.PARTNER, layout.profile().id());
        m.setHeader(HubHeaders.FORMAT, layout.profile().format());
        LOG.info("Phone export {}: profile {} ({} of {} columns found)", name, layout.profile().id(), layout.columnsFound(),
                layout.profile().columns().size());
    }

    /** Step {@code process-phone-rows}: every row to its outcome, batches pipelined to Kafka. */
    public void process(Exchange exchange) throws Exception {
        FileState s = exchange.getProperty(FILE_STATE, FileState.class);
        PhoneProfile p = s.layout.profile();
        s.reader = p.reader(Files.newInputStream(s.file), config.getMaxRowChars());
        s.receipt = Receipt.open(s.file.resolveSibling("../done").normalize(), s.name);
        ArrayDeque<Batch> inFlight = new ArrayDeque<>();
        ArrayDeque<Mapped> mapping = new ArrayDeque<>();
        Map<String, PhoneRows.Item> pending = new HashMap<>();
        Batch batch = new Batch();
        boolean header = s.layout.firstRowIsHeader();
        try {
            while (s.reader.hasNext()) {
                CsvRowReader.Row row = s.reader.next();
                if (header && row.number() == 1) {
                    s.headerRow = row.raw();
                    continue;
                }
                batch.items.add(rows.read(s.layout, row, s.info));
                if (batch.items.size() >= config.getBatchSize()) {
                    map(batch, mapping, s);
                    batch = new Batch();
                    // batches are mapped on the mapping threads while this one reads on; they are sent in file order
                    while (mapping.size() > mappingThreads || (!mapping.isEmpty() && mapping.peek().future.isDone())) {
                        submit(mapped(mapping.poll()), s, pending, inFlight);
                    }
                    if (stopping(exchange)) {
                        throw new Interrupted("the hub is stopping; " + s.name + " stays in in/ and is read again from its start");
                    }
                }
            }
            map(batch, mapping, s);
            while (!mapping.isEmpty()) {
                submit(mapped(mapping.poll()), s, pending, inFlight);
            }
            while (!inFlight.isEmpty()) {
                settle(inFlight.poll(), s, pending);
            }
        } catch (Exception failure) {
            mapping.forEach(m -> m.future.cancel(false));
            salvage(inFlight, s, failure);
            // what was written but not remembered is looked for on the topic before anything is written again
            s.inDoubt.forEach(ledger::abandon);
            throw failure;
        }
    }

    /** A batch on the mapping threads, and the mapping that has its rows now. */
    private static final class Mapped {
        final Batch batch;
        BatchMapping mapping;
        Future<?> future;

        Mapped(Batch batch, BatchMapping mapping, Future<?> future) {
            this.batch = batch;
            this.mapping = mapping;
            this.future = future;
        }
    }

    private void map(Batch batch, ArrayDeque<Mapped> mapping, FileState s) {
        if (!batch.items.isEmpty()) {
            s.rowsReceived += batch.items.size();
            metrics.received("phone", batch.items.size());
            BatchMapping m = new BatchMapping(batch.items, 0, rows);
            mapping.add(new Mapped(batch, m, mappers.submit(m)));
        }
    }

    /**
     * The batch once every row is mapped. A row in work for longer than {@code hub.limits.processing-timeout} is given
     * up and refused as PROCESSING_TIMEOUT; its thread is made up for in the pool (Java cannot stop it), and the rows
     * after it are mapped anew.
     */
    private Batch mapped(Mapped m) throws Exception {
        long budget = processingTimeout.toNanos();
        long poll = Math.max(1, Math.min(500, processingTimeout.toMillis()));
        for (;;) {
            try {
                m.future.get(poll, TimeUnit.MILLISECONDS);
                return m.batch;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            } catch (java.util.concurrent.TimeoutException slow) {
                int stuck = m.mapping.giveUpIfOver(budget);
                if (stuck >= 0) {
                    PhoneRows.Item row = m.batch.items.get(stuck);
                    LOG.warn("Phone export row {} not mapped and judged within {}; refused as PROCESSING_TIMEOUT", row.line, processingTimeout);
                    m.batch.items.set(stuck, PhoneRows.givenUp(row, ReasonCode.PROCESSING_TIMEOUT, "the row was not mapped and judged within "
                            + processingTimeout.toMillis() + " ms (hub.limits.processing-timeout)"));
                    makeUpFor(mappers);
                    m.mapping = new BatchMapping(m.batch.items, stuck + 1, rows);
                    m.future = mappers.submit(m.mapping);
                }
            }
        }
    }

    /** One more thread in the pool, for one held by a row given up. */
    private static synchronized void makeUpFor(ExecutorService pool) {
        if (pool instanceof java.util.concurrent.ThreadPoolExecutor p) {
            p.setMaximumPoolSize(p.getMaximumPoolSize() + 1);
            p.setCorePoolSize(p.getCorePoolSize() + 1);
        }
    }

    /** The file was left midway because the hub (or its route) is stopping; transient by nature. */
    public static final class Interrupted extends IllegalStateException {
        public Interrupted(String message) {
            super(message);
        }
    }

    /** True when the route or the hub is shutting down: a long file should not hold the shutdown. */
    private boolean stopping(Exchange exchange) {
        if (camel.isStopping()) {
            return true;
        }
        Route route = exchange.getFromRouteId() == null ? null : camel.getRoute(exchange.getFromRouteId());
        // a graceful stop of the route stops (or suspends) its consumer first, then waits for us
        return route != null && route.getConsumer() instanceof StatefulService c
                && (c.isStopping() || c.isStopped() || c.isSuspending() || c.isSuspended());
    }

    /**
     * The file fails (it stays in in/ and is read again): batches Kafka did take are still remembered,
     * so the next reading finds their rows taken and sends nothing twice.
     */
    private void salvage(ArrayDeque<Batch> inFlight, FileState s, Exception failure) {
        for (Batch b : inFlight) {
            try {
                Exchange sent = b.sent.get(config.getSalvageWait().toMillis(), TimeUnit.MILLISECONDS);
                if (sent == null || sent.getException() == null) {
                    commit(b, s);
                }
            } catch (Exception e) {
                LOG.warn("Phone export {}: a batch sent before the failure could not be remembered ({}); its rows may be sent again"
                        + " with the same message ids", s.name, e.getMessage());
            }
        }
        LOG.warn("Phone export {} stays in in/ and is read again: {}", s.name, failure.getMessage());
    }

    private void submit(Batch batch, FileState s, Map<String, PhoneRows.Item> pending, ArrayDeque<Batch> inFlight) throws Exception {
        if (batch.items.isEmpty()) {
            return;
        }
        String profile = s.layout.profile().id();
        List<String> keys = new ArrayList<>();
        List<String> contactKeys = new ArrayList<>();
        for (PhoneRows.Item it : batch.items) {
            if (it.key == null || it.plan == PhoneRows.Plan.REJECT) {
                continue;
            }
            PhoneRows.Item earlier = pending.putIfAbsent(it.key, it);
            if (earlier != null) {
                sameKey(it, earlier.id, earlier.hash, profile);
            } else {
                (it.plan == PhoneRows.Plan.CONTACT ? contactKeys : keys).add(it.key);
            }
        }
        Map<String, PhoneStore.Seen> seen = new HashMap<>();
        if (!keys.isEmpty()) {
            seen.putAll(store.taken(profile, keys));
        }
        if (!contactKeys.isEmpty()) {
            seen.putAll(store.logged(profile, contactKeys));
        }
        for (PhoneRows.Item it : batch.items) {
            PhoneStore.Seen before = it.key == null || it.duplicateOf != null ? null : seen.get(it.key);
            if (before != null && pending.get(it.key) == it) {
                sameKey(it, before.id(), it.plan == PhoneRows.Plan.CONTACT ? it.hash : before.hash(), profile);
            }
        }
        rows.guard(batch.items);
        List<Message> records = new ArrayList<>();
        for (PhoneRows.Item it : batch.items) {
            if (it.plan == PhoneRows.Plan.DELIVER && it.duplicateOf == null && it.businessDuplicateOf == null) {
                records.add(record(it, s));
                for (PhoneRows.FollowOn f : it.followOns) {
                    Message m = record(it, s);
                    m.setBody(f.bytes());
                    m.setHeader(KafkaConstants.KEY, f.recordKey());
                    m.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic(f.type()));
                    m.setHeader(HubHeaders.MESSAGE_ID, f.id());
                    m.setHeader(HubHeaders.MESSAGE_TYPE, f.type());
                    records.add(m);
                }
            }
        }
        if (records.isEmpty()) {
            batch.sent.complete(null);
        } else {
            Exchange send = new DefaultExchange(camel);
            send.getMessage().setBody(records);
            batch.ledgerInput = DeliveryLedger.input("phone", s.name);
            send.setProperty(DeliveryLedger.INPUT, batch.ledgerInput);
            s.inDoubt.add(batch.ledgerInput);
            AsyncProducer producer = acceptProducer();
            // handed to the sender thread: called from this route's thread, Camel would only queue the
            // batch behind the running step (its reactive executor), and the step waits for the batch
            sender.execute(() -> {
                try {
                    producer.process(send, doneSync -> batch.sent.complete(send));
                } catch (RuntimeException e) {
                    batch.sent.completeExceptionally(e);
                }
            });
        }
        inFlight.add(batch);
        while (inFlight.size() > config.getMaxBatchesInFlight() || (!inFlight.isEmpty() && inFlight.peek().sent.isDone())) {
            settle(inFlight.poll(), s, pending);
        }
    }

    /** A row whose call id was taken before: a true resend is a duplicate; changed content is refused. */
    private static void sameKey(PhoneRows.Item it, String firstId, String firstHash, String profile) {
        if (firstHash != null && firstHash.equals(it.hash)) {
            it.duplicateOf = firstId;
        } else {
            it.reject(ReasonCode.CALL_ID_REUSED, "line " + it.line + ": call " + it.key + " was already taken as " + firstId
                    + " with different content; the first stands", List.of());
            it.id = PhoneRows.rowId(profile, it.hash);
            it.key = null;
        }
    }

    private Message record(PhoneRows.Item it, FileState s) {
        Message m = new DefaultMessage(camel);
        m.setBody(it.bytes);
        m.setHeader(KafkaConstants.KEY, it.recordKey);
        m.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic(it.messageType));
        m.setHeader(HubHeaders.MESSAGE_ID, it.id);
        m.setHeader(HubHeaders.CORRELATION_ID, it.id);
        m.setHeader(HubHeaders.MESSAGE_TYPE, it.messageType);
        m.setHeader(HubHeaders.CHANNEL, "phone");
        m.setHeader(HubHeaders.FORMAT, s.layout.profile().format());
        m.setHeader(HubHeaders.PARTNER, s.layout.profile().id());
        m.setHeader(HubHeaders.SOURCE_REF, it.key);
        m.setHeader(HubHeaders.RECEIVED_AT, s.info.receivedAt().toString());
        return m;
    }

    private String topic(String type) {
        return topics.of(type);
    }

    /** The batch's records are on Kafka (or the file fails): everything else about its rows, in file order. */
    private void settle(Batch batch, FileState s, Map<String, PhoneRows.Item> pending) throws Exception {
        Exchange sent;
        try {
            sent = batch.sent.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        if (sent != null && sent.getException() != null) {
            throw sent.getException();
        }
        commit(batch, s);
        for (PhoneRows.Item it : batch.items) {
            if (it.duplicateOf != null) {
                s.receipt.line(it.line, Receipt.Outcome.DUPLICATE, it.duplicateOf, null, "taken before");
            } else if (it.plan == PhoneRows.Plan.DELIVER && it.businessDuplicateOf != null) {
                s.receipt.line(it.line, Receipt.Outcome.DUPLICATE, it.businessDuplicateOf, null, "the same " + it.messageType + " was taken before");
            } else {
                switch (it.plan) {
                    case DELIVER -> s.receipt.line(it.line, Receipt.Outcome.ACCEPTED, it.id, null, it.messageType);
                    case JOURNAL -> s.receipt.line(it.line, Receipt.Outcome.RECORDED, it.id, null, it.messageType + " (journal only)");
                    case CONTACT -> s.receipt.line(it.line, Receipt.Outcome.RECORDED, it.id, null, "contact event");
                    case REJECT -> {
                        deadLetter(it, s);
                        s.receipt.line(it.line, Receipt.Outcome.REJECTED, it.id, it.reason.name(), it.problem);
                    }
                    case SKIP -> s.receipt.line(it.line, Receipt.Outcome.SKIPPED, null, null, it.detail);
                }
            }
            if (it.key != null && pending.get(it.key) == it) {
                pending.remove(it.key);
            }
        }
    }

    /** What makes a batch's rows taken: their keys remembered, contact events logged, inquiries journaled. */
    private void commit(Batch batch, FileState s) {
        String profile = s.layout.profile().id();
        List<PhoneStore.Taken> taken = new ArrayList<>();
        List<PhoneStore.Contact> contacts = new ArrayList<>();
        for (PhoneRows.Item it : batch.items) {
            if (it.duplicateOf != null) {
                continue;
            }
            switch (it.plan) {
                case DELIVER, JOURNAL -> taken.add(new PhoneStore.Taken(it.key, it.id, it.hash));
                case CONTACT -> contacts.add(it.contact);
                default -> { }
            }
        }
        store.remember(profile, taken);
        store.log(profile, contacts);
        if (batch.ledgerInput != null) {
            ledger.settle(batch.ledgerInput);
            s.inDoubt.remove(batch.ledgerInput);
        }
        for (PhoneRows.Item it : batch.items) {
            if (it.duplicateOf == null && it.plan == PhoneRows.Plan.JOURNAL) {
                journal.record(new JournalEvent(it.id, JournalEvent.Kind.RECORDED, "journal", OffsetDateTime.now(), it.messageType,
                        "phone", profile, it.key, it.id, it.customerId, it.businessKey, null, it.detail));
            } else if (it.duplicateOf == null && it.plan == PhoneRows.Plan.DELIVER && it.businessDuplicateOf != null) {
                journal.record(JournalEvent.duplicate(it.id, it.businessDuplicateOf, it.messageType, "phone", profile, it.key, it.id,
                        it.customerId, it.businessDuplicateKey));
            }
        }
    }

    /** A bad row to the dead-letter queue: its raw line, the file, the line number and the reason. */
    private void deadLetter(PhoneRows.Item it, FileState s) throws Exception {
        Exchange dl = new DefaultExchange(camel);
        Message m = dl.getMessage();
        m.setBody(it.raw.getBytes(StandardCharsets.UTF_8));
        m.setHeader(HubHeaders.CHANNEL, "phone");
        m.setHeader(HubHeaders.PARTNER, s.layout.profile().id());
        m.setHeader(HubHeaders.FORMAT, s.layout.profile().format());
        m.setHeader(HubHeaders.FILE_NAME, s.name);
        m.setHeader(HubHeaders.LINE, it.line);
        if (s.headerRow != null) {
            m.setHeader(HubHeaders.HEADER_ROW, s.headerRow);
        }
        m.setHeader(HubHeaders.SOURCE_REF, "file:" + s.name + "#" + it.line);
        m.setHeader(HubHeaders.MESSAGE_ID, it.id);
        m.setHeader(HubHeaders.RECEIVED_AT, s.info.receivedAt().toString());
        m.setHeader(DeadLetters.ACTION, "The whole file is kept in the phone folder's done/, its receipt beside it.");
        DeadLetters.send(template, dl, new HubException(it.reason, it.problem, it.errors, null), "ingest-phone");
    }

    /**
     * Step {@code finish-phone-export}: every row has settled; the receipt takes its name and the file
     * goes to done/ (an earlier drop of the same name there is kept under a time-stamped name).
     */
    public void finish(Exchange exchange) throws IOException {
        FileState s = exchange.getProperty(FILE_STATE, FileState.class);
        Receipt.keepOlder(s.file.resolveSibling("../done").normalize().resolve(s.name));
        Receipt r = s.receipt;
        Path receipt = r.commit();
        s.receipt = null;
        exchange.setProperty(TARGET_FOLDER, "done");
        String profile = s.layout.profile().id();
        metrics.settled("phone", profile, IntakeMetrics.Outcome.ACCEPTED, r.count(Receipt.Outcome.ACCEPTED));
        metrics.settled("phone", profile, IntakeMetrics.Outcome.RECORDED, r.count(Receipt.Outcome.RECORDED));
        metrics.settled("phone", profile, IntakeMetrics.Outcome.DUPLICATE, r.count(Receipt.Outcome.DUPLICATE));
        metrics.settled("phone", profile, IntakeMetrics.Outcome.DEAD_LETTERED, r.count(Receipt.Outcome.REJECTED));
        metrics.settled("phone", profile, IntakeMetrics.Outcome.SKIPPED, r.count(Receipt.Outcome.SKIPPED));
        long receipted = r.count(Receipt.Outcome.ACCEPTED) + r.count(Receipt.Outcome.RECORDED) + r.count(Receipt.Outcome.DUPLICATE)
                + r.count(Receipt.Outcome.REJECTED) + r.count(Receipt.Outcome.SKIPPED);
        if (receipted != s.rowsReceived) {
            LOG.error("Phone export {}: {} rows read but {} in the receipt; the intake metrics will not reconcile", s.name, s.rowsReceived, receipted);
        }
        s.settled = true;
        IntakeMetrics.receiptSent("phone");
        LOG.info("Phone export {} ({}): {} accepted, {} recorded, {} duplicate, {} rejected, {} blank; receipt {}", s.name,
                s.layout.profile().id(), r.count(Receipt.Outcome.ACCEPTED), r.count(Receipt.Outcome.RECORDED),
                r.count(Receipt.Outcome.DUPLICATE), r.count(Receipt.Outcome.REJECTED), r.count(Receipt.Outcome.SKIPPED),
                receipt.getFileName());
    }

    /**
     * Step {@code phone-file-rejected} (the file is refused whole): a one-line receipt in failed/ saying
     * why, and the file follows it there.
     */
    public void rejected(Exchange exchange) throws IOException {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String safe = name == null ? "unnamed" : UNSAFE_IN_NAME.matcher(name).replaceAll("_");
        Path failed = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class)).resolveSibling("failed");
        Receipt.keepOlder(failed.resolve(safe));
        try (Receipt r = Receipt.open(failed, safe)) {
            r.line(1, Receipt.Outcome.REJECTED, null, DeadLetters.reasonOf(exchange).name(), failure == null ? "" : failure.getMessage());
            r.commit();
        }
        exchange.setProperty(TARGET_FOLDER, "failed");
    }

    /** Stops the sender thread (the bean's destroy method). */
    public void close() {
        sender.shutdown();
        mappers.shutdown();
    }

    private AsyncProducer acceptProducer() throws Exception {
        AsyncProducer p = accept;
        if (p == null) {
            synchronized (this) {
                if (accept == null) {
                    AsyncProducer created = camel.getEndpoint("direct:deliver-accept-batch").createAsyncProducer();
                    ServiceHelper.startService(created);
                    accept = created;
                }
                p = accept;
            }
        }
        return p;
    }
}
