package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.intakehub.canonical.MessageIds;
import io.intakehub.local.FreePorts;
import io.intakehub.support.HubFlowTestSupport;
import io.intakehub.support.Sftp;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A partner who keeps its files on its own SFTP server: the hub fetches them with camel-ftp, takes
 * the order, and delivers the 997 back to the partner's server.
 */
class RemotePartnerFlowTest extends HubFlowTestSupport {

    static final int SFTP_PORT = FreePorts.find();
    static final Duration WAIT = Duration.ofSeconds(40);

    @DynamicPropertySource
    static void remotePartner(DynamicPropertyRegistry r) {
        r.add("hub.edi.partners", () -> "classpath:partners-remote-test.yaml");
        r.add("hub.edi.sftp-port", () -> SFTP_PORT);
    }

    @Test
    void filesAreFetchedFromThePartnersServerAndTheAcknowledgementDeliveredThere() throws Exception {
        String edi = Files.readString(Path.of("src/test/resources/samples/edi/x12-850-004010.edi"))
                .replace("ACMEBUYER      ", "REMOTEBUYER    ").replace("GS*PO*ACMEBUYER*", "GS*PO*REMOTEBUYER*")
                .replace("000000905", "000000951").replace("*905*X*", "*951*X*").replace("GE*1*905", "GE*1*951");
        Sftp.upload(SFTP_PORT, "remote-side", "remote-side-password", "/outbound/po-951.edi", edi.getBytes(StandardCharsets.US_ASCII));

        String id = MessageIds.of("edi", "REMOTE", "ZZ:REMOTEBUYER/000000951/951/0001", 0);
        await().atMost(WAIT).until(() -> recordsWithMessageId("intake.orders.v1", id).size() == 1);

        Path server = Path.of(props.getEdi().getRoot(), "REMOTE");
        // the partner's server: its file moved to .done, our 997 delivered to inbound/
        await().atMost(WAIT).until(() -> EdiChannelFlowTest.list(server.resolve("inbound")).stream()
                .anyMatch(f -> f.endsWith("_for_000000951.edi")));
        String ack = Files.readString(server.resolve("inbound").resolve(EdiChannelFlowTest.list(server.resolve("inbound")).stream()
                .filter(f -> f.endsWith("_for_000000951.edi")).findFirst().orElseThrow()));
        assertThat(ack).contains("AK5*A").contains("*ZZ*REMOTEBUYER    *");
        assertThat(EdiChannelFlowTest.list(server.resolve("outbound"))).doesNotContain("po-951.edi");
        assertThat(EdiChannelFlowTest.list(server.resolve("outbound").resolve(".done"))).anyMatch(f -> f.startsWith("po-951.edi"));
        // the hub's own copy of the acknowledgement is kept
        assertThat(EdiChannelFlowTest.list(server.resolve("out").resolve(".sent"))).anyMatch(f -> f.endsWith("_for_000000951.edi"));
    }
}
