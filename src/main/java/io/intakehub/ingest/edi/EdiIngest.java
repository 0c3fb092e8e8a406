package io.intakehub.ingest.edi;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.CompactObjectNode;
import io.intakehub.config.HubHeaders;
import io.intakehub.config.HubProperties;
import io.intakehub.delivery.DeliveryLedger;
import io.intakehub.shared.DeadLetters;
import io.intakehub.shared.Failures;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The EDI route's logic ({@code ingest-edi}): open a partner's file, hand out its transactions one
 * at a time, check each interchange against the partner profile, record every transaction's
 * outcome, and at the end write the 997/999/CONTRL into the partner's {@code out/} folder.
 */
@Component("ediIngest")
public class EdiIngest {

    private static final Logger LOG = LoggerFactory.getLogger(EdiIngest.class);

    /** Exchange property: the state of the file being read. */
    public static final String FILE_STATE = "HubEdiFile";
    /** Exchange property (split items): the transaction being processed. */
    public static final String TRANSACTION = "HubEdiTransaction";
    /** Exchange property: the folder beside in/ the file moves to (failed unless the file was read through). */
    static final String DONE_FOLDER = "HubEdiFolder";
    /** Header: {@code transaction} for an order to map, {@code acknowledgement} for an incoming 997/999/CONTRL. */
    public static final String KIND = "HubEdiKind";

    // SECURITY: only <partner>/in/<plain name> is ever opened
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");
    private static final Pattern NOT_ALNUM = Pattern.compile("[^A-Za-z0-9]");
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-]{1,64}/in/[^/\\\\\\p{Cc}]{1,200}");

    /** Per-file state, shared by the split's items (properties are copied by reference). */
    public static final class FileState {
        final PartnerProfiles.Partner partner;
        final String fileName;
        final EdiReadAhead reader;
        final Set<String> interchangesInFile = new HashSet<>();
        /** This reading's name in the delivery ledger: its transactions' writes settle when the file is recorded. */
        final String ledgerInput;

        FileState(PartnerProfiles.Partner partner, String fileName, EdiReadAhead reader, String ledgerInput) {
            this.partner = partner;
            this.fileName = fileName;
            this.reader = reader;
            this.ledgerInput = ledgerInput;
        }
    }

    private final EdiSchemas schemas;
    private final PartnerProfiles partners;
    private final EdiStore store;
    private final HubProperties.Edi config;
    private final DeliveryLedger ledger;

    public EdiIngest(EdiSchemas schemas, PartnerProfiles partners, EdiStore store, HubProperties props, DeliveryLedger ledger) {
        this.ledger = ledger;
        this.schemas = schemas;
        this.partners = partners;
        this.store = store;
        this.config = props.getEdi();
    }

    /** Step {@code open-edi-file}: checks where the file is, opens a streaming reader as the body. */
    public void open(Exchange exchange) {
        Message m = exchange.getMessage();
        String relative = m.getHeader(Exchange.FILE_NAME, String.class);
        String path = relative == null ? "" : relative.replace('\\', '/');
        if (!SAFE_PATH.matcher(path).matches() || path.contains("..")) {
            throw new HubException(ReasonCode.PATH_NOT_ALLOWED, "file '" + printable(path) + "' is not a plain file name in a partner's in/ folder");
        }
        String partnerId = path.substring(0, path.indexOf('/'));
        PartnerProfiles.Partner partner = partners.get(partnerId).orElseThrow(() -> new HubException(ReasonCode.UNKNOWN_PARTNER,
                "folder '" + partnerId + "' has no partner profile in mappings/partners.yaml"));
        InputStream in = m.getBody(InputStream.class);
        // lexed and checked on a thread of its own, a batch ahead of the mapping and delivery below
        EdiReadAhead reader = new EdiReadAhead(new EdiReader(in, schemas), path);
        FileState state = new FileState(partner, path.substring(path.lastIndexOf('/') + 1), reader, DeliveryLedger.input("edi", path));
        exchange.setProperty(FILE_STATE, state);
        exchange.setProperty(DeliveryLedger.INPUT, state.ledgerInput);
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange e) {
                // a file that failed stays in in/: what it wrote is looked for on the topic before anything is written again
                ledger.abandon(state.ledgerInput);
                try {
                    reader.close();
                } catch (IOException ex) {
                    LOG.debug("closing {}: {}", path, ex.getMessage());
                }
            }
        });
        m.setHeader(HubHeaders.CHANNEL, "edi");
        m.setHeader(HubHeaders.PARTNER, partner.id());
        m.setHeader(HubHeaders.SOURCE_REF, "file:" + path);
        // the split gets a plain iterator: Camel closes a Closeable split body when the iteration ends, and the
        // reader must stay open until finish() has written the acknowledgement from its outcomes (closed on done,
        // which also stops its reading thread when the split stopped early)
        m.setBody(new Iterator<EdiTransaction>() {
            @Override
            public boolean hasNext() {
                return reader.hasNext();
            }

            @Override
            public EdiTransaction next() {
                return reader.next();
            }
        });
    }

    /**
     * Step {@code check-edi-transaction} (one split item): the partner, receiver, duplicate, type,
     * version and syntax checks, then the mapping input with the partner and envelope beside the
     * segments. Throws {@link HubException} for a transaction that must not go on.
     */
    public void check(Exchange exchange) {
        EdiTransaction t = describe(exchange);
        FileState state = exchange.getProperty(FILE_STATE, FileState.class);
        Message m = exchange.getMessage();
        checkEnvelope(t.envelope(), state);
        EdiEnvelope env = t.envelope();
        if (env.rejection != null) {
            throw new HubException(ReasonCode.valueOf(env.rejection), env.rejectionText);
        }
        if (t.acknowledgement()) {
            t.outcome().status = EdiEnvelope.Status.ACKNOWLEDGEMENT;
            m.setHeader(KIND, "acknowledgement");
            return;
        }
        if (!t.supported() || !state.partner.acceptsTransaction(env.standard, t.type())) {
            t.outcome().reasonCode = "UNSUPPORTED_TRANSACTION";
            throw new HubException(ReasonCode.UNSUPPORTED_TRANSACTION, "transaction " + t.type() + " " + t.controlNumber()
                    + " is not a type partner " + state.partner.id() + " may send (" + env.standard + ")");
        }
        if (!state.partner.acceptsVersion(env.standard, t.typeVersion())) {
            t.outcome().reasonCode = "UNSUPPORTED_VERSION";
            throw new HubException(ReasonCode.UNSUPPORTED_TRANSACTION, "transaction " + t.type() + " " + t.controlNumber()
                    + " is version " + t.typeVersion() + ", which partner " + state.partner.id() + "'s profile does not allow");
        }
        if (!t.valid()) {
            List<EdiError> fatal = t.errors().stream().filter(EdiError::fatal).toList();
            throw new HubException(fatal.stream().anyMatch(e -> e.code().equals("TRUNCATED")) ? ReasonCode.EDI_UNREADABLE : ReasonCode.EDI_INVALID,
                    "transaction " + t.type() + " " + t.controlNumber() + " (interchange " + env.controlNumber + ") has "
                            + fatal.size() + " error(s): " + fatal.stream().map(EdiError::explain).collect(Collectors.joining("; ")),
                    fatal.stream().map(e -> new io.intakehub.canonical.FieldError(
                            e.segmentTag() + (e.segmentPosition() > 0 ? "@" + e.segmentPosition() : "")
                                    + (e.elementPosition() > 0 ? "/" + e.elementPosition() : ""), e.explain())).toList(), null);
        }
        m.setHeader(KIND, "transaction");
        m.setBody(mappingInput(t, state.partner));
    }

    private void checkEnvelope(EdiEnvelope env, FileState state) {
        if (env.partnerId != null) {
            return;
        }
        PartnerProfiles.Partner p = state.partner;
        env.partnerId = p.id();
        String expectedSender;
        String expectedReceiver;
        boolean senderOk;
        boolean receiverOk;
        if (env.isX12()) {
            PartnerProfiles.X12 x = p.x12();
            expectedSender = x == null ? "(no X12 agreement)" : x.senderQualifier() + ":" + x.senderId();
            expectedReceiver = x == null ? "" : x.receiverQualifier() + ":" + x.receiverId();
            senderOk = x != null && x.senderId().equals(env.senderId) && x.senderQualifier().equals(env.senderQualifier);
            receiverOk = x != null && x.receiverId().equals(env.receiverId) && x.receiverQualifier().equals(env.receiverQualifier);
        } else {
            PartnerProfiles.Edifact e = p.edifact();
            expectedSender = e == null ? "(no EDIFACT agreement)" : e.senderId();
            expectedReceiver = e == null ? "" : e.receiverId();
            senderOk = e != null && e.senderId().equals(env.senderId)
                    && (e.senderQualifier() == null || e.senderQualifier().equals(env.senderQualifier));
            receiverOk = e != null && e.receiverId().equals(env.receiverId)
                    && (e.receiverQualifier() == null || e.receiverQualifier().equals(env.receiverQualifier));
        }
        if (!senderOk) {
            reject(env, "UNKNOWN_PARTNER", "interchange " + env.controlNumber + " comes from " + env.senderQualifier + ":"
                    + env.senderId + ", but partner " + p.id() + " sends as " + expectedSender);
        } else if (!receiverOk) {
            reject(env, "WRONG_RECEIVER", "interchange " + env.controlNumber + " is addressed to " + env.receiverQualifier + ":"
                    + env.receiverId + ", not to this hub (" + expectedReceiver + ")");
        } else if (!state.interchangesInFile.add(env.key()) || store.seen(p.id(), env.key(), config.getDuplicateWindow())) {
            reject(env, "DUPLICATE_INTERCHANGE", "interchange " + env.controlNumber + " from " + env.senderId
                    + " was already received (duplicate window " + config.getDuplicateWindow().toDays() + " days)");
        }
    }

    private static void reject(EdiEnvelope env, String code, String text) {
        env.rejection = code;
        env.rejectionText = text;
    }

    /** What an EDI mapping reads: the transaction's segments, with "partner" and "envelope" beside them. */
    public static ObjectNode mappingInput(EdiTransaction t, PartnerProfiles.Partner p) {
        ObjectNode in = t.tree();
        ObjectNode partner = in.putObject("partner");
        partner.put("id", p.id());
        partner.put("name", p.name());
        partner.put("customerId", p.customerId());
        partner.put("zone", p.zone());
        partner.put("currency", p.currency());
        ObjectNode env = in.putObject("envelope");
        env.put("standard", t.envelope().standard);
        env.put("interchange", t.envelope().controlNumber);
        env.put("group", t.group().controlNumber);
        env.put("transaction", t.controlNumber());
        env.put("version", t.typeVersion());
        return in;
    }

    /**
     * Step {@code edi-accepted}: the transaction is on Kafka — or, when the duplicate guard found the same
     * purchase order accepted before (by EDI or any other channel), journaled as its duplicate. Either way the
     * transaction itself was sound, so the 997/CONTRL accepts it.
     */
    public void accepted(Exchange exchange) {
        EdiTransaction t = exchange.getProperty(TRANSACTION, EdiTransaction.class);
        t.outcome().messageId = exchange.getMessage().getHeader(HubHeaders.MESSAGE_ID, String.class);
        t.outcome().status = EdiEnvelope.Status.ACCEPTED;
    }

    /** Step {@code edi-acknowledgement-received}: an incoming 997/999/CONTRL is matched to what we sent. */
    public void acknowledgementReceived(Exchange exchange) {
        EdiTransaction t = exchange.getProperty(TRANSACTION, EdiTransaction.class);
        String standard = t.envelope().standard;
        String reference;
        String status;
        if ("X12".equals(standard)) {
            reference = t.tree().path("AK1").path(0).path("AK102").asText("");
            status = t.tree().path("AK9").path(0).path("AK901").asText("");
        } else {
            reference = t.tree().path("UCI").path(0).path("UCI01").asText("");
            status = t.tree().path("UCI").path(0).path("UCI04").asText("");
        }
        boolean matched = store.acknowledged(t.envelope().partnerId, standard, reference, status);
        LOG.info("Acknowledgement {} {} from {} for {} {}: {}", t.type(), t.controlNumber(), t.envelope().partnerId,
                reference, status, matched ? "matched" : "no document of ours with that reference");
    }

    /**
     * First step of {@code ingest-edi-transaction}'s catch: broker or store trouble is not this
     * transaction's fault, so it is thrown on, failing the whole file, which stays in in/ and is read
     * again later; anything else is the transaction's own failure and goes on to the dead letter.
     * (A catch condition, {@code onWhen}, cannot decide it: when it is evaluated neither the exchange
     * nor {@code ${exception}} carries the exception yet.)
     */
    public void rethrowIfTransient(Exchange exchange) throws Exception {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (Failures.isInfrastructure(t)) {
            throw t instanceof Exception e ? e : new IllegalStateException(t);
        }
    }

    /** The transaction in the exchange's body, named in its headers (channel, partner, reference, file, format, type). */
    EdiTransaction describe(Exchange exchange) {
        EdiTransaction t = exchange.getMessage().getBody(EdiTransaction.class);
        FileState state = exchange.getProperty(FILE_STATE, FileState.class);
        exchange.setProperty(TRANSACTION, t);
        Message m = exchange.getMessage();
        m.setHeader(HubHeaders.CHANNEL, "edi");
        m.setHeader(HubHeaders.PARTNER, state.partner.id());
        m.setHeader(HubHeaders.SOURCE_REF, t.reference());
        m.setHeader(HubHeaders.FILE_NAME, state.fileName);
        m.setHeader(HubHeaders.RECEIVED_AT, OffsetDateTime.now().toString());
        m.setHeader(HubHeaders.FORMAT, t.envelope().isX12() ? "x12" : "edifact");
        m.setHeader(HubHeaders.MAPPING_FORMAT, t.envelope().isX12() ? "edi-x12" : "edifact");
        m.setHeader(HubHeaders.SOURCE_TYPE, t.type().toLowerCase());
        return t;
    }

    /**
     * Step {@code edi-rejected} of the EDI error policy: marks the transaction rejected with its reason
     * and turns the body into a readable record (the file itself is kept in done/ or failed/).
     */
    public void rejected(Exchange exchange) throws IOException {
        if (io.intakehub.shared.InputBudget.givenUp(exchange)) {
            return; // refused already, by the thread that gave it up (EdiWatchdog)
        }
        EdiTransaction t = exchange.getProperty(TRANSACTION, EdiTransaction.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        HubException hub = Failures.cause(failure, HubException.class);
        if (t == null) {
            return;
        }
        String reason = hub != null ? hub.reason().name() : ReasonCode.INTERNAL_ERROR.name();
        t.outcome().status = EdiEnvelope.Status.REJECTED;
        if (t.outcome().reasonCode == null) {
            t.outcome().reasonCode = t.envelope().rejection != null ? t.envelope().rejection : reason;
        }
        ObjectNode record = CompactObjectNode.FACTORY.objectNode();
        FileState state = exchange.getProperty(FILE_STATE, FileState.class);
        record.put("file", state == null ? null : state.fileName);
        record.put("reference", t.reference());
        record.put("type", t.type());
        record.put("reason", failure == null ? reason : failure.getMessage());
        var errs = record.putArray("errors");
        t.errors().forEach(e -> errs.add(e.explain()));
        // the mapping's input (segments, partner and envelope), so an operator can correct and replay it (ops API)
        record.set("segments", state == null ? t.tree() : mappingInput(t, state.partner));
        exchange.getMessage().setBody(CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        exchange.getMessage().setHeader(DeadLetters.ACTION, "The original file is kept in the partner's done/ folder");
    }

    /**
     * Step {@code finish-edi-file}: the acknowledgements into out/, the interchanges remembered.
     * A file in which nothing could be read at all fails as a whole (and moves to failed/).
     */
    public void finish(Exchange exchange) {
        FileState state = exchange.getProperty(FILE_STATE, FileState.class);
        List<EdiEnvelope> envelopes = state.reader.envelopes();
        ZoneOffset zone = ZoneOffset.of(state.partner.zone());
        for (EdiEnvelope env : envelopes) {
            checkEnvelope(env, state);
            // a transaction still PENDING here was cut short: the acknowledgement rejects it
            writeAck(env, state, zone);
            if (env.rejection == null && !"UNKNOWN".equals(env.standard)) {
                store.remember(state.partner.id(), env.key(), state.fileName);
            }
        }
        // the interchanges are recorded (a re-drop is a duplicate): their transactions' writes are no longer in doubt
        ledger.settle(state.ledgerInput);
        boolean anyTransaction = envelopes.stream().anyMatch(e -> e.groups.stream().anyMatch(g -> !g.transactions.isEmpty()));
        if (!anyTransaction) {
            String why = envelopes.stream().flatMap(e -> e.errors.stream()).filter(EdiError::fatal).map(EdiError::explain)
                    .findFirst().orElse("the file holds no interchange");
            throw new HubException(ReasonCode.EDI_UNREADABLE, "file " + state.fileName + " of partner " + state.partner.id()
                    + " has no transaction that could be read: " + why);
        }
        exchange.setProperty(DONE_FOLDER, "done");
    }

    private void writeAck(EdiEnvelope env, FileState state, ZoneOffset zone) {
        String ackType = state.partner.ack(env.isX12() ? "X12" : "EDIFACT");
        boolean onlyAcks = env.groups.stream().flatMap(g -> g.transactions.stream())
                .allMatch(o -> o.status == EdiEnvelope.Status.ACKNOWLEDGEMENT);
        boolean hasContent = env.groups.stream().anyMatch(g -> !g.transactions.isEmpty());
        if ("none".equalsIgnoreCase(ackType) || (onlyAcks && hasContent) || "UNKNOWN".equals(env.standard)) {
            return; // never an acknowledgement for an acknowledgement
        }
        String kind = env.isX12() ? "x12" : "edifact";
        long isa = store.nextControlNumber(state.partner.id(), kind + "-interchange");
        long gs = env.isX12() ? store.nextControlNumber(state.partner.id(), "x12-group") : 0;
        String name = (env.isX12() ? ackType : "CONTRL") + "_" + isa + "_for_" + NOT_ALNUM.matcher(env.controlNumber).replaceAll("") + ".edi";
        Path out = Path.of(config.getRoot(), state.partner.id(), "out");
        try {
            Files.createDirectories(out);
            Path part = out.resolve(name + ".part");
            // streamed: an interchange of millions of transactions has an acknowledgement of as many lines
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(part), 64 * 1024)) {
                if (env.isX12()) {
                    AckWriter.x12(env, ackType, new AckWriter.Controls(isa, gs), zone, file);
                } else {
                    AckWriter.contrl(env, new AckWriter.Controls(isa, 0), zone, file);
                }
            }
            Files.move(part, out.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write acknowledgement " + name, e);
        }
        store.sent(state.partner.id(), env.standard, String.valueOf(isa), String.valueOf(gs), ackType, name, env.key());
        io.intakehub.shared.IntakeMetrics.receiptSent("edi");
        LOG.info("Acknowledged interchange {} of {} with {} ({} transaction(s))", env.controlNumber, state.partner.id(), name,
                env.groups.stream().mapToInt(g -> g.transactions.size()).sum());
    }

    private static String printable(String s) {
        return CONTROL.matcher(s).replaceAll("?");
    }
}
