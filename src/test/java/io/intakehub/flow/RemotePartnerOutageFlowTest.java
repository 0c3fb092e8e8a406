package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import io.intakehub.canonical.MessageIds;
import io.intakehub.local.FreePorts;
import io.intakehub.support.HubFlowTestSupport;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A partner's own SFTP server goes away and comes back. The hub's consumer of that
 * server reports DOWN in health while it is unreachable, recovers by itself when it is back, and no file is read
 * twice: a file taken before the outage and one dropped after it are each one order on the topic and the ERP queue,
 * each acknowledged on the partner's server.
 */
class RemotePartnerOutageFlowTest extends HubFlowTestSupport {

    static final String ROUTE = "ingest-edi-remote-remote";
    static final int PORT = FreePorts.find();
    static final Path ROOT = tempDir();
    static final Duration WAIT = Duration.ofSeconds(60);
    static SshServer remote;

    @DynamicPropertySource
    static void remotePartner(DynamicPropertyRegistry r) {
        r.add("hub.edi.partners", () -> "classpath:partners-remote-outage-test.yaml");
        r.add("remote-partner.sftp-port", () -> PORT);
        startRemote();
    }

    @AfterAll
    static void stopRemote() throws IOException {
        if (remote != null) {
            remote.stop(true);
        }
    }

    @Test
    void thePartnersServerGoesAwayTheConsumerIsDownThenRecoversAndNoFileIsReadTwice() throws Exception {
        String before = drop(961);
        await().atMost(WAIT).until(() -> recordsWithMessageId("intake.orders.v1", before).size() == 1);
        await().atMost(WAIT).until(() -> acknowledged(961));

        remote.stop(true);
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> "DOWN".equals(consumerHealth()));
        startRemote();
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> "UP".equals(consumerHealth()));
        String after = drop(962);
        await().atMost(WAIT).until(() -> recordsWithMessageId("intake.orders.v1", after).size() == 1);
        await().atMost(WAIT).until(() -> acknowledged(962));

        // several more polls (every 200 ms in the tests) after the last file: nothing is fetched again
        Thread.sleep(2_000);
        int onTopicBefore = recordsWithMessageId("intake.orders.v1", before).size();
        int onTopicAfter = recordsWithMessageId("intake.orders.v1", after).size();
        await().atMost(WAIT).until(() -> count("intake.orders.erp", before) == 1 && count("intake.orders.erp", after) == 1);
        List<String> done = EdiChannelFlowTest.list(ROOT.resolve("outbound").resolve(".done"));
        System.out.printf("FAULT case 4 (partner SFTP server stopped and started again): %s DOWN while away, UP after | "
                + "2 files, on the topic %d + %d, on the ERP queue %d + %d, moved to .done on the partner's server %d, "
                + "left in outbound %d%n", "consumer:" + ROUTE, onTopicBefore, onTopicAfter, count("intake.orders.erp", before),
                count("intake.orders.erp", after), done.size(), EdiChannelFlowTest.list(ROOT.resolve("outbound")).stream()
                        .filter(f -> f.endsWith(".edi")).count());
        assertThat(onTopicBefore).as("the file taken before the outage, once").isEqualTo(1);
        assertThat(onTopicAfter).as("the file dropped after it, once").isEqualTo(1);
        assertThat(done).hasSize(2);
        assertThat(EdiChannelFlowTest.list(ROOT.resolve("outbound"))).noneMatch(f -> f.endsWith(".edi"));
    }

    private String consumerHealth() throws Exception {
        return json(asOps("GET", "/actuator/health", "viewer:viewer-dev").body())
                .at("/components/camelHealth/details/consumer:" + ROUTE).asText();
    }

    /** The partner puts a purchase order with its own control numbers on its server (written, then renamed). */
    private static String drop(int control) throws IOException {
        String n = String.valueOf(control);
        String edi = Files.readString(Path.of("src/test/resources/samples/edi/x12-850-004010.edi"))
                .replace("ACMEBUYER      ", "REMOTEBUYER    ").replace("GS*PO*ACMEBUYER*", "GS*PO*REMOTEBUYER*")
                .replace("000000905", "000000" + n).replace("*905*X*", "*" + n + "*X*").replace("GE*1*905", "GE*1*" + n)
                // an order number of its own: the same PO twice from one partner would be a business duplicate
                .replace("BEG*00*SA*", "BEG*00*SA*R" + n);
        Path part = ROOT.resolve("outbound").resolve("po-" + n + ".edi.part");
        Files.writeString(part, edi, StandardCharsets.US_ASCII);
        Files.move(part, part.resolveSibling("po-" + n + ".edi"), StandardCopyOption.ATOMIC_MOVE);
        return MessageIds.of("edi", "REMOTE", "ZZ:REMOTEBUYER/000000" + n + "/" + n + "/0001", 0);
    }

    private static boolean acknowledged(int control) throws Exception {
        return EdiChannelFlowTest.list(ROOT.resolve("inbound")).stream().anyMatch(f -> f.endsWith("_for_000000" + control + ".edi"));
    }

    /** The partner's server: one account, its home folder with outbound/ (files for us) and inbound/ (our acknowledgements). */
    private static synchronized void startRemote() {
        if (remote != null && remote.isStarted()) {
            return;
        }
        try {
            Files.createDirectories(ROOT.resolve("outbound"));
            Files.createDirectories(ROOT.resolve("inbound"));
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(PORT);
            server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(ROOT.getParent().resolve(ROOT.getFileName() + "-host-key.ser")));
            server.setPasswordAuthenticator((user, password, session) -> "remote-side".equals(user) && "remote-side-password".equals(password));
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            server.setFileSystemFactory(new VirtualFileSystemFactory(ROOT));
            server.start();
            remote = server;
        } catch (IOException e) {
            throw new UncheckedIOException("the partner's SFTP server did not start on port " + PORT, e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("remote-partner-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
