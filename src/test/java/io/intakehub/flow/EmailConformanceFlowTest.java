package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.local.EmbeddedMailServer;
import io.intakehub.support.HubFlowTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.apache.camel.ProducerTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Every email of the shared conformance corpus ({@code ../shared/conformance/**}/*.eml, *.msg: public
 * samples, valid, quirky and broken) handed byte for byte to the running hub's email route
 * ({@code direct:ingest-email-message}, what the mailbox poller calls), one at a time, at the
 * production limits; what the hub did with each is compared with the outcome decided for it: the
 * topic (and flags) of the canonical message, or the dead-letter reason; and whether the sender was
 * answered (over the embedded SMTP server). Not sent through the embedded mail server on purpose:
 * GreenMail re-encodes raw 8-bit headers as UTF-8 on the way in, which would hide what the hub does
 * with them (the SMTP/IMAP path is EmailChannelFlowTest's). A file added to the corpus fails this
 * test until its outcome is decided here.
 */
@TestPropertySource(properties = {"hub.email.max-message-bytes=26214400", "hub.email.max-parts=200", "hub.email.max-depth=10"})
class EmailConformanceFlowTest extends HubFlowTestSupport {

    static final Path CORPUS = Path.of("../shared/conformance");

    /**
     * file → outcome. "complaint[FLAGS]" / "order" / "registration" = accepted on that topic;
     * "dead-letter REASON" = quarantined; "+reply" = the sender got an acknowledgement.
     */
    static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            // no sender address and nothing in the body that names a customer: nobody to open a case for
            Map.entry("flanker/attached-pdf.eml", "dead-letter INVALID_INPUT"),
            Map.entry("flanker/bilingual-simple.eml", "complaint[UNCLASSIFIED] +reply"),
            // spam is still mail to the desk (no filter at intake); answered, as a person may have sent it
            Map.entry("flanker/broken-headers.eml", "complaint[UNCLASSIFIED] +reply"),
            // already mojibake when it was written (UTF-8 replacement bytes read as GBK): flagged, the original kept
            Map.entry("flanker/charset-gb2312-1.eml", "complaint[CHARSET_SUSPECT,UNCLASSIFIED] +reply"),
            // raw 8-bit GB2312 Subject and From, no RFC 2047: read with the body's charset
            Map.entry("flanker/charset-gb2312.eml", "complaint[UNCLASSIFIED] +reply"),
            // a mail bomb of ~3000 nested parts
            Map.entry("flanker/enclosed-endless.eml", "dead-letter EMAIL_TOO_COMPLEX"),
            // "Broken" is a complaint word of the subject classifier
            Map.entry("flanker/false-multipart.eml", "complaint[MIME_DEFECT] +reply"),
            Map.entry("flanker/mailformed-headers.eml", "complaint[CHARSET_SUSPECT,MIME_DEFECT,UNCLASSIFIED] +reply"),
            Map.entry("flanker/missing-final-boundary.eml", "complaint[UNCLASSIFIED] +reply"),
            Map.entry("flanker/quoted-printable.eml", "complaint[UNCLASSIFIED] +reply"),
            // the attachment name is raw UTF-8 cut mid-character (suspect, original kept); the first header line is a continuation
            Map.entry("flanker/russian-attachment-yahoo.eml", "complaint[CHARSET_SUSPECT,MIME_DEFECT,UNCLASSIFIED] +reply"),
            Map.entry("james-mime4j/attachment-filename-encoding-UTF8.msg", "dead-letter INVALID_INPUT"),
            Map.entry("james-mime4j/basic-plain-very-long-lines.msg", "complaint[UNCLASSIFIED] +reply"),
            Map.entry("james-mime4j/malformedHeader-nocrlfcrlf.msg", "dead-letter INVALID_INPUT"),
            Map.entry("james-mime4j/missing-boundary.msg", "dead-letter INVALID_INPUT"),
            Map.entry("james-mime4j/multi-nested3.msg", "complaint[UNCLASSIFIED] +reply"),
            Map.entry("james-mime4j/qp-body.msg", "dead-letter INVALID_INPUT"),
            Map.entry("james-mime4j/russian-headers.msg", "dead-letter INVALID_INPUT"),
            Map.entry("mikel-mail/attachment_nonascii_filename.eml", "complaint[CHARSET_SUSPECT,MIME_DEFECT,UNCLASSIFIED] +reply"),
            Map.entry("mikel-mail/content_transfer_encoding_empty.eml", "complaint[CHARSET_SUSPECT,UNCLASSIFIED] +reply"),
            Map.entry("mikel-mail/japanese_attachment_long_name.eml", "complaint[UNCLASSIFIED] +reply"),
            Map.entry("mikel-mail/new_line_in_to_header.eml", "complaint[UNCLASSIFIED] +reply"),
            Map.entry("mikel-mail/raw_email.eml", "complaint[UNCLASSIFIED] +reply"),
            Map.entry("mikel-mail/raw_email_with_illegal_boundary.eml", "complaint[MIME_DEFECT,UNCLASSIFIED] +reply"),
            // the same sender and the same text as raw_email.eml: the duplicate guard journals it as that complaint's
            // duplicate; the acknowledgement names the first one's case
            Map.entry("mikel-mail/raw_email_with_partially_quoted_subject.eml", "duplicate +reply"),
            // a bounce (multipart/report): filed for the desk, never answered (no mail loops)
            Map.entry("php-mime-mail-parser/failure.eml", "complaint[UNCLASSIFIED]"),
            Map.entry("php-mime-mail-parser/issue274.eml", "complaint[UNCLASSIFIED] +reply"),
            Map.entry("stalwart-mail-parser/malformed/000.eml", "dead-letter INVALID_INPUT"),
            Map.entry("stalwart-mail-parser/malformed/003.eml", "dead-letter INVALID_INPUT"),
            Map.entry("stalwart-mail-parser/malformed/010.eml", "dead-letter INVALID_INPUT"),
            Map.entry("stalwart-mail-parser/malformed/017.eml", "complaint[MIME_DEFECT,UNCLASSIFIED] +reply"),
            Map.entry("stalwart-mail-parser/thirdparty/010.eml", "dead-letter INVALID_INPUT")));

    /** Flags the intake rules set on every channel's messages (not the email channel's own). */
    static final List<String> RULE_FLAGS = List.of("NEW_CUSTOMER", "UNKNOWN_CUSTOMER_NUMBER", "CUSTOMER_NAME_DIFFERS", "KEY_ACCOUNT",
            "KEY_ACCOUNT_FILING", "ESCALATED", "ALREADY_REGISTERED", "REGISTRATION_INCOMPLETE");

    @Autowired
    EmbeddedMailServer mailServer;

    @Autowired
    io.intakehub.store.Journal journal;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Autowired
    ProducerTemplate camel;

    @Test
    void everyEmailOfTheCorpusHasItsDecidedOutcome() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "the shared conformance corpus is not beside the project");
        List<Path> files;
        try (Stream<Path> all = Files.walk(CORPUS)) {
            files = all.filter(p -> p.toString().endsWith(".eml") || p.toString().endsWith(".msg")).sorted().toList();
        }
        Map<String, String> actual = new TreeMap<>();
        for (Path f : files) {
            actual.put(CORPUS.relativize(f).toString().replace('\\', '/'), outcome(Files.readAllBytes(f)));
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(EXPECTED);
    }

    /** Hands one mail to the route, as the poller does, then reads what happened. */
    private String outcome(byte[] mail) throws Exception {
        int complaints = count(props.getKafka().getTopics().getComplaints());
        int orders = count(props.getKafka().getTopics().getOrders());
        int registrations = count(props.getKafka().getTopics().getRegistrations());
        int delivered = mailServer.greenMail().getReceivedMessages().length;
        journal.flush();
        int duplicates = duplicates();
        camel.sendBody("direct:ingest-email-message", mail);
        String result = null;
        jakarta.jms.Message dead = deadLetterNow();
        if (dead != null) {
            result = "dead-letter " + dead.getStringProperty("HubReasonCode");
        } else if (count(props.getKafka().getTopics().getOrders()) > orders) {
            result = "order";
        } else if (count(props.getKafka().getTopics().getComplaints()) == complaints
                && count(props.getKafka().getTopics().getRegistrations()) > registrations) {
            // (a complaint from a sender the directory does not know brings a registration along: that is a complaint)
            result = "registration";
        } else {
            await().atMost(Duration.ofSeconds(10)).until(() -> count(props.getKafka().getTopics().getComplaints()) > complaints
                    || duplicates() > duplicates);
        }
        if (result == null && duplicates() > duplicates) {
            // the same complaint text from the same sender as an earlier mail of the corpus: journaled, not delivered twice
            result = "duplicate";
        } else if (result == null) {
            List<JsonNode> all = records(props.getKafka().getTopics().getComplaints(), r -> true).stream()
                    .map(r -> { try { return json(new String(r.value(), StandardCharsets.UTF_8)); } catch (Exception e) { throw new IllegalStateException(e); } })
                    .toList();
            // records of different partitions come in no global order: the newest receipt is this mail's
            JsonNode last = all.stream().max(java.util.Comparator.comparing(
                    (JsonNode n) -> java.time.OffsetDateTime.parse(n.at("/source/receivedAt").asText()))).orElseThrow();
            List<String> flags = new java.util.ArrayList<>();
            last.at("/intake/flags").forEach(n -> flags.add(n.asText()));
            flags.removeAll(RULE_FLAGS); // the intake rules' (new customer etc.) are IntakeRulesTest's; these are the mail's
            flags.sort(null);
            result = "complaint" + flags.toString().replace(" ", "");
        }
        // the acknowledgement goes out right after acceptance, in the same exchange
        boolean replied = mailServer.greenMail().getReceivedMessages().length > delivered;
        return result + (replied ? " +reply" : "");
    }

    /** Records ever written to a topic (the sum of its partitions' end offsets). */
    private int count(String topic) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", props.getKafka().getBrokers());
        p.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p)) {
            var parts = c.partitionsFor(topic).stream().map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToInt(Long::intValue).sum();
        }
    }

    /** DUPLICATE events in the journal so far. */
    private int duplicates() {
        journal.flush();
        Integer n = jdbc.queryForObject("select count(*) from journal_event where event = 'DUPLICATE'", Integer.class);
        return n == null ? 0 : n;
    }

    private jakarta.jms.Message deadLetterNow() {
        org.springframework.jms.core.JmsTemplate t = new org.springframework.jms.core.JmsTemplate(jms.getConnectionFactory());
        t.setReceiveTimeout(500);
        return t.receiveSelected(props.getQueues().getDeadLetters(), "HubChannel = 'email'");
    }
}
