package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.intakehub.canonical.MessageIds;
import io.intakehub.local.EmbeddedSftpServer;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Sftp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.skyscreamer.jsonassert.Customization;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.skyscreamer.jsonassert.comparator.CustomComparator;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The EDI channel end to end: a partner uploads over the embedded SFTP server, the hub reads the
 * file, puts each order on Kafka and its work queue, writes the 997/CONTRL into out/ and moves the
 * file to done/.
 */
class EdiChannelFlowTest extends HubFlowTestSupport {

    static final Path SAMPLES = Path.of("src/test/resources/samples/edi");
    static final Duration WAIT = Duration.ofSeconds(40);

    @Autowired
    EmbeddedSftpServer sftp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "x12-850-004010.edi, ZZ:ACMEBUYER/000000905/905/0001, 997_, AK5*A",
        "x12-850-005010.edi, ZZ:ACMEBUYER/000000906/906/0001, 997_, AK5*A",
        "edifact-orders-d96a.edi, ZZ:ACMEBUYER/EDI0001//M0001, CONTRL_, UCM+M0001+ORDERS:D:96A:UN+7",
        "edifact-orders-d01b.edi, ZZ:ACMEBUYER/EDI0002//M0001, CONTRL_, UCM+M0001+ORDERS:D:01B:UN+7"})
    void aPartnerUploadBecomesAnOrderAnAcknowledgementAndADoneFile(String sample, String reference, String ackPrefix,
            String ackLine) throws Exception {
        byte[] data = Files.readAllBytes(SAMPLES.resolve(sample));
        String name = "flow-" + sample;
        Sftp.upload(sftp.port(), "acme", "acme-local-password", "/in/" + name, data);

        String id = MessageIds.of("edi", "ACME", reference, 0);
        await().atMost(WAIT).untilAsserted(() -> assertThat(records("intake.orders.v1", r -> true).stream()
                .map(EdiChannelFlowTest::sourceReference).toList())
                .contains(reference));
        assertThat(recordsWithMessageId("intake.orders.v1", id)).as("message id derived from the reference").hasSize(1);
        String golden = Files.readString(SAMPLES.resolve(sample.replace(".edi", ".canonical.json")));
        JSONAssert.assertEquals(golden, mappedPart(json(new String(recordsWithMessageId("intake.orders.v1", id).get(0).value(),
                StandardCharsets.UTF_8)), json(golden)).toString(),
                new CustomComparator(JSONCompareMode.STRICT,
                        new Customization("source.receivedAt", (a, b) -> true),
                        new Customization("source.fileName", (a, b) -> name.equals(a))));
        assertThat(receive("intake.orders.erp", id, WAIT)).as("on the ERP queue").isNotNull();

        Path partner = Path.of(props.getEdi().getRoot(), "ACME");
        await().atMost(WAIT).until(() -> list(partner.resolve("done")).stream().anyMatch(f -> f.startsWith("flow-" + sample.replace(".edi", ""))));
        assertThat(list(partner.resolve("in"))).noneMatch(f -> f.equals(name));
        String control = reference.split("/")[1];
        String ack = await().atMost(WAIT).until(() -> ackFor(partner, ackPrefix, control), a -> a != null);
        assertThat(ack).contains(ackLine);
        if (ackPrefix.equals("997_")) {
            assertThat(ack).contains("AK1*PO*").contains("AK2*850*0001").contains("AK9*A*1*1*1").contains("ISA*00*");
        } else {
            assertThat(ack).contains("UCI+" + control + "+ACMEBUYER:ZZ+INTAKEHUB:ZZ+7");
        }
    }

    @Test
    void wrongPasswordIsRefusedAndAPartnerSeesOnlyItsOwnFolder() throws Exception {
        assertThat(Sftp.refused(sftp.port(), "acme", "not-the-password")).isTrue();
        // a path above the partner's home resolves inside it: the upload lands in ACME's own folder
        Sftp.upload(sftp.port(), "acme", "acme-local-password", "/../../etc-escape.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(Path.of(props.getEdi().getRoot(), "ACME", "etc-escape.txt")).exists();
        assertThat(Path.of(props.getEdi().getRoot()).getParent().resolve("etc-escape.txt")).doesNotExist();
    }

    static String sourceReference(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r) {
        try {
            return io.intakehub.canonical.CanonicalJson.mapper().readTree(r.value()).path("source").path("reference").asText();
        } catch (java.io.IOException e) {
            return "(not JSON)";
        }
    }

    static String ackFor(Path partner, String prefix, String control) throws Exception {
        for (String f : list(partner.resolve("out"))) {
            if (f.startsWith(prefix) && f.endsWith("_for_" + control.replaceAll("[^A-Za-z0-9]", "") + ".edi")) {
                return Files.readString(partner.resolve("out").resolve(f));
            }
        }
        return null;
    }

    static List<String> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
