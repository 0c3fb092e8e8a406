package io.intakehub.ingest.email;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.CompactObjectNode;
import io.intakehub.canonical.MessageIds;
import io.intakehub.config.HubHeaders;
import io.intakehub.delivery.DeliveryLedger;
import io.intakehub.ingest.edi.PartnerProfiles;
import io.intakehub.rules.RulesProperties;
import io.intakehub.shared.Failures;
import io.intakehub.shared.Hashes;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import io.intakehub.store.IdempotencyStore;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mail.MailConstants;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The email channel's steps (route {@code ingest-email}): read the raw message within limits, drop
 * every mail header from the exchange, recognise duplicates, replies to a case and the message type,
 * build the neutral tree for the mapping; after Kafka's acknowledgement remember the message and
 * answer the sender; on a permanent failure dead-letter the raw bytes and quarantine the mail.
 */
public class EmailIngest {

    private static final Logger LOG = LoggerFactory.getLogger(EmailIngest.class);

    /** Exchange properties (never headers: headers are cleared by the shared stages). */
    static final String RAW = "HubEmailRaw";
    static final String MAIL = "HubEmailParsed";
    static final String STATE = "HubEmailState";
    static final String SNAPSHOT = "HubEmailHeaders";
    /** The type the mail was taken for (routes test it). */
    static final String TYPE = "HubEmailType";

    private static final String SCOPE_ID = "email-message-id";
    private static final String SCOPE_HASH = "email-content";
    private static final Pattern CASE_IN_SUBJECT = Pattern.compile("\\[(?:Case|案件|Ref|编号)\\s*#?\\s*([COR]-[0-9A-HJKMNP-TV-Z]{9}(?:-\\d{1,2})?)\\]",
            Pattern.CASE_INSENSITIVE);
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int MAX_DESCRIPTION = 20000;

    /** What open() decided for this mail. */
    static final class State {
        String reference;
        String idemScope;
        String idemKey;
        String caseNumber;
        String type;
        boolean duplicate;
        boolean followUp;
        /** The mail carried only EDI files, now in their partner's in/ folder: nothing else to send. */
        boolean handedOver;
        String messageId;
        OffsetDateTime receivedAt;
        OffsetDateTime replyBy;
        OffsetDateTime resolveBy;
        String refusal;
        /** A follow-up's case: its message id is the follow-up's correlation id. */
        String caseMessageId;
    }

    private final EmailProperties props;
    private final io.intakehub.store.Journal journal;
    private final RulesProperties rules;
    private final EmailReader reader;
    private final EmailForm form;
    private final EmailClassifier classifier;
    private final EmailStore store;
    private final IdempotencyStore keys;
    private final AttachmentStore attachments;
    private final AutoReplyWriter writer;
    private final AutoReplyPolicy policy;
    private final PartnerProfiles partners;
    private final Path ediRoot;

    private final DeliveryLedger ledger;

    public EmailIngest(EmailProperties props, RulesProperties rules, EmailForm form, EmailStore store,
            IdempotencyStore keys, AttachmentStore attachments, AutoReplyWriter writer, PartnerProfiles partners,
            Path ediRoot, DeliveryLedger ledger, io.intakehub.store.Journal journal) {
        this.ledger = ledger;
        this.journal = journal;
        this.partners = partners;
        this.ediRoot = ediRoot;
        this.props = props;
        this.rules = rules;
        this.reader = new EmailReader(props.maxMessageBytes(), props.maxParts(), props.maxDepth());
        this.form = form;
        this.classifier = new EmailClassifier(props.classify());
        this.store = store;
        this.keys = keys;
        this.attachments = attachments;
        this.writer = writer;
        this.policy = new AutoReplyPolicy(props.reply().noReplySenders(),
                List.of(writer.fromAddress(), props.imap().username()), props.reply().maxPerSenderPerHour());
    }

    /** Step {@code open-email}: raw bytes in, neutral tree out (or a duplicate marked). */
    public void open(Exchange exchange) throws MessagingException, IOException {
        Message mailMessage = exchange.getMessage();
        byte[] raw = rawBytes(mailMessage);
        String tooLarge = raw == null ? describeUnread(mailMessage) : null;
        // SECURITY: a fresh message - no header of the mail (nor anything camel-mail derives from it
        // lazily, body included) stays on the exchange. The consumer keeps its own handle on the mail.
        Message in = new DefaultMessage(exchange);
        exchange.setIn(in);
        exchange.setProperty(RAW, raw);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        State s = new State();
        s.receivedAt = now;
        exchange.setProperty(STATE, s);
        // the mail's write stays in the delivery ledger until its key is remembered: killed in between, the mail is
        // read again and its message found on the topic instead of written twice
        String ledgerInput = DeliveryLedger.input("email", "imap");
        exchange.setProperty(DeliveryLedger.INPUT, ledgerInput);
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange e) {
                ledger.abandon(ledgerInput); // nothing when it settled
            }
        });
        in.setHeader(HubHeaders.CHANNEL, "email");
        in.setHeader(HubHeaders.FORMAT, "mime");
        in.setHeader(HubHeaders.MAPPING_FORMAT, "email");
        in.setHeader(HubHeaders.RECEIVED_AT, now.toString());
        if (tooLarge != null) {
            exchange.setProperty(RAW, new byte[0]);
            in.setHeader(HubHeaders.SOURCE_REF, tooLarge);
            // the mail itself is kept in the quarantine folder; the dead letter says where
            in.setHeader(io.intakehub.shared.DeadLetters.ORIGINAL_FILE, "imap:" + props.folders().quarantine() + " " + tooLarge);
            snapshot(exchange);
            throw new HubException(ReasonCode.EMAIL_TOO_LARGE, "the message (" + tooLarge
                    + ") is larger than hub.email.max-message-bytes = " + props.maxMessageBytes() + "; it was not downloaded");
        }
        in.setBody(raw);
        in.setHeader(HubHeaders.SOURCE_REF, "sha256:" + Hashes.sha256Hex(raw));
        snapshot(exchange);
        ParsedEmail mail = reader.read(raw);
        exchange.setProperty(MAIL, mail);

        // the natural key: the Message-ID, unless it is missing or was used before for other content
        s.reference = mail.messageId() != null ? mail.messageId() : "sha256:" + mail.contentHash();
        s.idemScope = mail.messageId() != null ? SCOPE_ID : SCOPE_HASH;
        s.idemKey = mail.messageId() != null ? io.intakehub.shared.Hashes.fitted(mail.messageId(), 256) : mail.contentHash();
        Optional<IdempotencyStore.Entry> seen = keys.find(s.idemScope, s.idemKey);
        if (seen.isPresent() && !seen.get().requestHash().equals(mail.contentHash())) {
            LOG.info("Message-ID <{}> was used before for other content; keyed by content instead", mail.messageId());
            s.reference = "sha256:" + mail.contentHash();
            s.idemScope = SCOPE_HASH;
            s.idemKey = mail.contentHash();
            seen = keys.find(s.idemScope, s.idemKey);
        }
        // the source reference is what the message id is derived from (SourceInfo), so it is the key itself
        s.reference = io.intakehub.shared.Hashes.fitted(s.reference, 500);
        in.setHeader(HubHeaders.SOURCE_REF, s.reference);
        exchange.setProperty(io.intakehub.shared.TransientFailures.INPUT_KEY, "email:" + s.reference);
        s.messageId = MessageIds.of("email", null, s.reference, 0);
        in.setHeader(HubHeaders.MESSAGE_ID, s.messageId);
        if (seen.isPresent()) {
            s.duplicate = true;
            s.messageId = seen.get().messageId();
            // taken before (say the same mail replayed from the dead-letter queue): the caller can tell
            in.setHeader(HubHeaders.DUPLICATE_OF, s.messageId);
            store.byMessage(s.messageId).ifPresent(c -> {
                s.caseNumber = c.caseNumber();
                s.type = c.messageType();
            });
            LOG.info("Email {} was processed before as message {}: not sent again", s.reference, s.messageId);
            snapshot(exchange);
            return;
        }

        EmailForm.Result read = form.read(mail.text());
        List<ParsedEmail.Attachment> edi = mail.attachments().stream().filter(EmailIngest::isEdi).toList();
        if (!edi.isEmpty()) {
            handOver(edi, mail, s);
            if (read.fields().isEmpty()) {
                s.handedOver = true;
                exchange.setProperty(TYPE, "edi");
                snapshot(exchange);
                return;
            }
        }
        ObjectNode tree = neutral(mail, read, raw, s);
        in.setHeader(HubHeaders.SOURCE_TYPE, s.type);
        exchange.setProperty(TYPE, s.type);
        if (s.caseMessageId != null) {
            in.setHeader(HubHeaders.CORRELATION_ID, s.caseMessageId);
        }
        snapshot(exchange);
        in.setBody(tree);
    }

    private ObjectNode neutral(ParsedEmail mail, EmailForm.Result read, byte[] raw, State s) {
        Set<String> flags = new LinkedHashSet<>(mail.flags());
        flags.remove(EmailReader.HTML_ONLY);
        ObjectNode n = CompactObjectNode.FACTORY.objectNode();
        n.put("subject", mail.subject());
        if (mail.from() != null) {
            ObjectNode from = n.putObject("from");
            from.put("address", mail.from().address());
            if (mail.from().name() != null) {
                from.put("name", cut(mail.from().name(), 256));
            }
        }
        read.fields().forEach(n::put);
        if (read.currency() != null) {
            n.put("currency", read.currency());
        }
        ArrayNode requests = n.putArray("requests");
        read.requests().forEach(requests::add);

        List<String> unreadable = new ArrayList<>(read.unreadable());
        List<Map<String, String>> csvLines = null;
        ArrayNode files = CanonicalJson.mapper().createArrayNode();
        List<ParsedEmail.Attachment> kept = new ArrayList<>(mail.attachments());
        if (mail.flags().contains(EmailReader.CHARSET_SUSPECT)) {
            // text that had to be guessed: the mail's own bytes are kept beside it, never only the guess
            kept.add(0, new ParsedEmail.Attachment("original.eml", "message/rfc822", raw, Hashes.sha256Hex(raw)));
        }
        for (ParsedEmail.Attachment a : kept) {
            if (isEdi(a)) {
                flags.add("EDI_HANDED_OVER");
            }
            if (files.size() >= 100) {
                flags.add("ATTACHMENTS_TRUNCATED");
                break;
            }
            attachments.save(a);
            ObjectNode f = files.addObject();
            f.put("name", cut(a.name(), 256));
            f.put("contentType", cut(a.contentType(), 256));
            f.put("size", a.size());
            f.put("sha256", a.sha256());
            if (csvLines == null && (AttachmentNames.extension(a.name()).equals("csv") || a.contentType().equals("text/csv"))) {
                OrderLinesCsv.Lines lines = OrderLinesCsv.read(a.bytes(), form);
                if (lines != null) {
                    csvLines = lines.lines();
                    lines.unreadable().forEach(u -> unreadable.add(a.name() + " " + u));
                }
            }
        }
        n.set("attachments", files);
        if (csvLines != null) {
            n.set("lines", CanonicalJson.mapper().valueToTree(csvLines));
        }

        // a reply to one of our acknowledgements adds to that case
        Optional<EmailStore.Case> thread = thread(mail);
        EmailClassifier.Decision decision = classifier.classify(read.fields().get("formType"), mail.recipients(),
                mail.subject(), csvLines != null && !csvLines.isEmpty());
        if (thread.isPresent()) {
            EmailStore.Case c = thread.get();
            s.followUp = true;
            s.type = "complaint";
            s.caseNumber = c.caseNumber();
            ObjectNode f = n.putObject("followUpOf");
            f.put("caseNumber", c.caseNumber());
            f.put("messageId", c.messageId());
            s.caseMessageId = c.messageId();
            flags.add("FOLLOW_UP");
            if (c.sender() != null && mail.from() != null && !c.sender().equalsIgnoreCase(mail.from().address())) {
                flags.add("SENDER_DIFFERS");
            }
            n.put("caseNumber", c.caseNumber());
        } else {
            s.type = decision.type();
            if (decision.unclassified()) {
                flags.add("UNCLASSIFIED");
            }
            String prefix = switch (s.type) {
                case "order" -> "O-";
                case "registration" -> "R-";
                default -> "C-";
            };
            s.caseNumber = store.assignCase(prefix + shortCode(s.messageId), s.messageId, s.type, mail.messageId(),
                    mail.from() == null ? null : mail.from().address());
            n.put("caseNumber", s.caseNumber);
        }
        LOG.info("Email {} from {}: {} ({}){}", s.reference, mail.from() == null ? "?" : mail.from().address(), s.type,
                thread.isPresent() ? "reply to case " + s.caseNumber : decision.by(), flags.isEmpty() ? "" : " flags " + flags);

        n.put("description", description(mail, read, unreadable, flags));
        if (!unreadable.isEmpty()) {
            flags.add("FIELD_UNREADABLE");
        }
        if (s.type.equals("complaint") && !s.followUp) {
            s.replyBy = s.receivedAt.plus(rules.complaint().replyWithin());
            s.resolveBy = s.receivedAt.plus(rules.complaint().resolveWithin());
            ObjectNode due = n.putObject("dueTimes");
            due.put("reply", s.replyBy.atZoneSameInstant(rules.zone()).toOffsetDateTime().toString());
            due.put("resolve", s.resolveBy.atZoneSameInstant(rules.zone()).toOffsetDateTime().toString());
        }
        ArrayNode fl = n.putArray("flags");
        flags.forEach(fl::add);
        return n;
    }

    private String description(ParsedEmail mail, EmailForm.Result read, List<String> unreadable, Set<String> flags) {
        StringBuilder d = new StringBuilder();
        String own = read.fields().get("description");
        if (own != null) {
            d.append(own);
        }
        if (!read.freeText().isEmpty()) {
            d.append(d.length() > 0 ? "\n\n" : "").append(read.freeText());
        }
        if (!read.requests().isEmpty()) {
            d.append(d.length() > 0 ? "\n\n" : "").append("Requested: ").append(String.join(", ", read.requests()));
        }
        if (d.length() == 0 && mail.subject() != null && !mail.subject().isBlank()) {
            d.append(mail.subject());
        }
        if (d.length() == 0) {
            d.append("(the email has no text)");
        }
        for (String u : unreadable) {
            d.append("\n[not understood] ").append(u);
        }
        if (d.length() > MAX_DESCRIPTION) {
            flags.add("TRUNCATED");
            return d.substring(0, MAX_DESCRIPTION - 1) + "…";
        }
        return d.toString();
    }

    /** The case this mail answers: by In-Reply-To / References, else by a case number in the subject. */
    private Optional<EmailStore.Case> thread(ParsedEmail mail) {
        List<String> ids = new ArrayList<>();
        if (mail.inReplyTo() != null) {
            ids.add(mail.inReplyTo());
        }
        for (int i = mail.references().size() - 1; i >= 0; i--) {
            ids.add(mail.references().get(i)); // the nearest ancestor first
        }
        Optional<EmailStore.Case> byIds = ids.isEmpty() ? Optional.empty() : store.byMailIds(ids);
        if (byIds.isPresent() || mail.subject() == null) {
            return byIds;
        }
        Matcher m = CASE_IN_SUBJECT.matcher(mail.subject());
        return m.find() ? store.byNumber(m.group(1).toUpperCase(java.util.Locale.ROOT)) : Optional.empty();
    }

    /**
     * Step {@code email-to-desk}: the mail was taken for an order or registration but its content
     * does not make one; it goes to the complaint desk instead, with what was wrong, rather than
     * being lost.
     */
    public void toDesk(Exchange exchange) {
        Message in = exchange.getMessage();
        State s = exchange.getProperty(STATE, State.class);
        ObjectNode tree = (ObjectNode) CanonicalJson.mapper().valueToTree(in.getBody());
        HubException why = Failures.cause(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class), HubException.class);
        StringBuilder d = new StringBuilder(tree.path("description").asText(""));
        d.append("\n\n[review] This email was taken for ").append(s.type.equals("order") ? "an order" : "a " + s.type)
                .append(" but could not be read as one");
        if (why != null) {
            d.append(": ").append(why.getMessage());
            why.errors().forEach(e -> d.append("\n - ").append(e.toString()));
        }
        tree.put("description", d.length() > MAX_DESCRIPTION ? d.substring(0, MAX_DESCRIPTION) : d.toString());
        ArrayNode flags = tree.withArray("flags");
        flags.add("NEEDS_REVIEW");
        tree.remove("lines");
        s.type = "complaint";
        exchange.setProperty(TYPE, s.type);
        in.setHeader(HubHeaders.SOURCE_TYPE, "complaint");
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        in.setBody(tree);
    }

    /** Step {@code email-accepted}: Kafka has the message; the mail is remembered as processed. */
    public void accepted(Exchange exchange) {
        State s = exchange.getProperty(STATE, State.class);
        ParsedEmail mail = exchange.getProperty(MAIL, ParsedEmail.class);
        keys.remember(s.idemScope, s.idemKey, s.messageId, mail.contentHash());
        ledger.settle(exchange.getProperty(DeliveryLedger.INPUT, String.class));
        String first = exchange.getMessage().getHeader(HubHeaders.DUPLICATE_OF, String.class);
        if (first != null) {
            // the duplicate guard found the same order or complaint taken before: the acknowledgement names the
            // case it was first filed under when that came by email too (the new case number was never delivered)
            store.byMessage(first).ifPresent(c -> s.caseNumber = c.caseNumber());
        }
    }

    /**
     * Step {@code prepare-acknowledgement}: the reply as the body when one is due, else a null body
     * with the reason logged. Follow-ups and duplicates already answered get none.
     */
    public void acknowledge(Exchange exchange) throws MessagingException {
        Message in = exchange.getMessage();
        State s = exchange.getProperty(STATE, State.class);
        ParsedEmail mail = exchange.getProperty(MAIL, ParsedEmail.class);
        in.setBody(null);
        if (!props.reply().enabled() || s.followUp || s.caseNumber == null || s.type == null) {
            return;
        }
        if (store.replied(s.messageId)) {
            return;
        }
        Optional<String> refusal = policy.refuse(mail, mail.from() == null ? 0
                : store.repliesSince(mail.from().address(), Duration.ofHours(1)));
        if (refusal.isPresent()) {
            s.refusal = refusal.get();
            LOG.info("No acknowledgement for {} (case {}): {}", s.reference, s.caseNumber, s.refusal);
            return;
        }
        AutoReplyWriter.Ack ack = new AutoReplyWriter.Ack(s.type, s.caseNumber, s.receivedAt, s.replyBy, s.resolveBy);
        MimeMessage reply;
        try {
            reply = writer.write(mail, ack);
        } catch (MessagingException | RuntimeException unwritable) {
            // writing the reply talks to no server: what fails here fails every time for this mail (an address the
            // reader took but a reply cannot carry). The case stands; reading the mail again would not answer it.
            replyNotSent(s, "the acknowledgement could not be written: " + unwritable.getMessage());
            return;
        }
        in.getHeaders().clear();
        in.setBody(reply);
    }

    /** Step {@code email-acknowledged}: the reply was sent. */
    public void acknowledged(Exchange exchange) {
        State s = exchange.getProperty(STATE, State.class);
        ParsedEmail mail = exchange.getProperty(MAIL, ParsedEmail.class);
        store.recordReply(s.messageId, s.caseNumber, mail.from().address(), writer.replyMessageId(s.caseNumber));
        io.intakehub.shared.IntakeMetrics.receiptSent("email");
        LOG.info("Acknowledged {} to {} as {}", s.caseNumber, mail.from().address(), writer.replyMessageId(s.caseNumber));
    }

    /** Step {@code acknowledgement-refused}: the SMTP server refused the recipient; the mail is still processed. */
    public void acknowledgementRefused(Exchange exchange) {
        State s = exchange.getProperty(STATE, State.class);
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("The acknowledgement of {} was refused by the mail server: {}", s.caseNumber, t == null ? "" : t.getMessage());
        replyNotSent(s, "the mail server refused the acknowledgement: "
                + (t == null ? "" : t.getMessage()));
    }

    /** The case's journal says the sender was not answered, and why (the ops search shows it on the case). */
    private void replyNotSent(State s, String why) {
        LOG.warn("No acknowledgement for {} (case {}): {}", s.reference, s.caseNumber, why);
        journal.record(new io.intakehub.store.JournalEvent(s.messageId, io.intakehub.store.JournalEvent.Kind.RECORDED,
                "email:acknowledgement-not-sent", OffsetDateTime.now(), s.type, "email", null, s.reference, null, null, null,
                ReasonCode.REPLY_NOT_SENT.name(), why));
    }

    /**
     * Step {@code email-failed}: before the dead letter, the raw mail as the body and the hub headers
     * as they were (the shared stages clear headers).
     */
    @SuppressWarnings("unchecked")
    public void failed(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> snapshot = exchange.getProperty(SNAPSHOT, Map.class);
        in.getHeaders().clear();
        if (snapshot != null) {
            in.getHeaders().putAll(snapshot);
        }
        byte[] raw = exchange.getProperty(RAW, byte[].class);
        in.setBody(raw == null ? new byte[0] : raw);
    }

    /** Step {@code quarantine-email}: after the dead letter, the mail moves to the quarantine folder. */
    public void quarantine(Exchange exchange) {
        exchange.getMessage().setHeader(MailConstants.MAIL_MOVE_TO, props.folders().quarantine());
    }

    /**
     * EDI files attached to a partner's mail go to the partner's in/ folder, where the EDI channel
     * takes them as if uploaded (checks, mapping, 997/CONTRL). An EDI file from an address that is
     * no partner's is refused: the hub never guesses a trading partner.
     */
    private void handOver(List<ParsedEmail.Attachment> files, ParsedEmail mail, State s) throws IOException {
        String from = mail.from() == null ? null : mail.from().address();
        PartnerProfiles.Partner partner = partners.byEmail(from).orElseThrow(() -> new HubException(ReasonCode.UNKNOWN_PARTNER,
                "the mail carries an EDI file (" + files.get(0).name() + ") but " + (from == null ? "has no sender"
                        : from + " is not the address of any partner") + " (emails in partners.yaml)"));
        Path in = ediRoot.resolve(partner.id()).resolve("in");
        Files.createDirectories(in);
        for (ParsedEmail.Attachment a : files) {
            // the name says where it came from; the hash keeps a re-read from writing a second file
            String name = "mail-" + a.sha256().substring(0, 12) + "-" + a.name();
            Path target = in.resolve(name);
            Path tmp = in.resolve(name + ".tmp"); // the EDI route ignores *.tmp
            Files.write(tmp, a.bytes());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("Email {}: EDI file {} handed to partner {} as {}", s.reference, a.name(), partner.id(), target);
        }
    }

    /** An X12 or EDIFACT interchange, by its content (a BOM or blank lines before it allowed). */
    static boolean isEdi(ParsedEmail.Attachment a) {
        byte[] b = a.bytes();
        int i = 0;
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < b.length && (b[i] == ' ' || b[i] == '\r' || b[i] == '\n' || b[i] == '\t')) {
            i++;
        }
        if (b.length - i < 4) {
            return false;
        }
        String head = new String(b, i, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return head.startsWith("ISA") && !Character.isLetterOrDigit(head.charAt(3))
                || head.equals("UNA:") || head.startsWith("UNB") && !Character.isLetterOrDigit(head.charAt(3));
    }

    /** Whether open() handed the mail's EDI files over and nothing else is left to send. */
    public boolean handedOver(Exchange exchange) {
        return exchange.getProperty(STATE, State.class).handedOver;
    }

    /** Step {@code is-duplicate} helper: whether open() found the mail processed before. */
    public boolean duplicate(Exchange exchange) {
        return exchange.getProperty(STATE, State.class).duplicate;
    }

    private void snapshot(Exchange exchange) {
        exchange.setProperty(SNAPSHOT, Map.copyOf(exchange.getMessage().getHeaders()));
    }

    /** The mail's bytes, read within hub.email.max-message-bytes (null when it is larger: not downloaded). */
    byte[] rawBytes(Message in) throws MessagingException, IOException {
        if (in instanceof MailMessage mm && mm.getOriginalMessage() != null) {
            jakarta.mail.Message mail = mm.getOriginalMessage();
            int size = sizeOnly(mail);
            if (size > props.maxMessageBytes()) {
                return null; // not downloaded
            }
            BoundedBytes out = new BoundedBytes(Math.max(size, 1024), props.maxMessageBytes());
            try {
                mail.writeTo(out);
            } catch (java.io.UncheckedIOException e) {
                if (e.getCause() instanceof BoundedBytes.Full) {
                    return null;
                }
                throw e;
            }
            return out.toByteArray();
        }
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            throw new HubException(ReasonCode.EMAIL_UNREADABLE, "the exchange holds no email");
        }
        return body;
    }

    /** A buffer that refuses to grow past a limit (a mail whose size the server did not say). */
    private static final class BoundedBytes extends ByteArrayOutputStream {
        static final class Full extends IOException {
            Full() {
                super("larger than hub.email.max-message-bytes");
            }
        }

        private final long limit;

        BoundedBytes(int initial, long limit) {
            super(initial);
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            if (count + 1 > limit) {
                throw new java.io.UncheckedIOException(new Full());
            }
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if ((long) count + len > limit) {
                throw new java.io.UncheckedIOException(new Full());
            }
            super.write(b, off, len);
        }
    }

    /**
     * The mail's size as the server counts it, asked for alone ({@code FETCH RFC822.SIZE}), or -1. {@code getSize()}
     * would load the whole IMAP envelope, which a server may fail to build for a mail it stores (raw UTF-8 in header
     * fields, RFC 6532) — a failure that also drops the session, so that the mail could not be moved either.
     */
    static int sizeOnly(jakarta.mail.Message mail) {
        try {
            if (mail.getFolder() != null) {
                jakarta.mail.FetchProfile sizeOnly = new jakarta.mail.FetchProfile();
                sizeOnly.add(jakarta.mail.FetchProfile.Item.SIZE);
                mail.getFolder().fetch(new jakarta.mail.Message[] {mail}, sizeOnly);
            }
            return mail.getSize();
        } catch (MessagingException noSize) {
            // the server cannot say: the bytes are read, bounded by the limit
            return -1;
        }
    }

    /** Size and Message-ID of a mail too large to download, for the dead letter. */
    private static String describeUnread(Message in) throws MessagingException {
        jakarta.mail.Message mail = ((MailMessage) in).getOriginalMessage();
        String[] id = mail.getHeader("Message-ID");
        int size = sizeOnly(mail);
        return (size < 0 ? "size over the limit" : "size " + size + " bytes")
                + (id == null || id.length == 0 ? "" : ", Message-ID " + HeaderDecoder.clean(cut(id[0], 300)));
    }

    /** Nine Crockford base-32 characters from the message id's leading 45 bits. */
    static String shortCode(String messageId) {
        long bits = UUID.fromString(messageId).getMostSignificantBits() >>> (64 - 45);
        char[] out = new char[9];
        for (int i = 8; i >= 0; i--) {
            out[i] = CROCKFORD.charAt((int) (bits & 31));
            bits >>>= 5;
        }
        return new String(out);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
