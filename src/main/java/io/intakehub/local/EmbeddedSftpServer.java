package io.intakehub.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

import io.intakehub.config.HubProperties;
import io.intakehub.ingest.edi.PartnerProfiles;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The embedded SFTP server (Apache SSHD): one account per partner profile, each confined to its own
 * folder under {@code hub.edi.root} holding in/ (uploads), out/ (acknowledgements), done/ and
 * failed/; and the call-centre system's account ({@code hub.phone.sftp-user}), confined to
 * {@code hub.phone.root} (in/, done/ with the receipts, failed/). SFTP only: no shell, no commands,
 * no forwarding.
 */
public class EmbeddedSftpServer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSftpServer.class);
    public static final List<String> FOLDERS = List.of("in", "out", "done", "failed");

    private final PartnerProfiles partners;
    private final HubProperties props;
    private SshServer server;

    public EmbeddedSftpServer(PartnerProfiles partners, HubProperties props) {
        this.partners = partners;
        this.props = props;
    }

    @Override
    public void start() {
        Path root = Path.of(props.getEdi().getRoot()).toAbsolutePath();
        VirtualFileSystemFactory homes = new VirtualFileSystemFactory();
        try {
            for (PartnerProfiles.Partner p : partners.all()) {
                for (String f : FOLDERS) {
                    Files.createDirectories(root.resolve(p.id()).resolve(f));
                }
                if (p.sftp() != null) {
                    // SECURITY: the partner sees its own folder as "/" and nothing above it
                    homes.setUserHomeDir(p.sftp().user(), root.resolve(p.id()));
                }
            }
            // the call-centre system drops its exports into the phone folder's in/
            Path phone = Path.of(props.getPhone().getRoot()).toAbsolutePath().normalize();
            for (String f : io.intakehub.config.PhoneConfig.FOLDERS) {
                Files.createDirectories(phone.resolve(f));
            }
            homes.setUserHomeDir(props.getPhone().getSftpUser(), phone);
            Path keyDir = Path.of(props.getEmbedded().getDataDir()).toAbsolutePath();
            Files.createDirectories(keyDir);
            server = SshServer.setUpDefaultServer();
            server.setHost("localhost");
            server.setPort(props.getEdi().getSftpPort());
            server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(keyDir.resolve("sftp-host-key.ser")));
            server.setPasswordAuthenticator((user, password, session) -> authenticate(user, password));
            server.setPublickeyAuthenticator(null);
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            server.setFileSystemFactory(homes);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded SFTP server on port " + props.getEdi().getSftpPort(), e);
        }
        LOG.info("Embedded SFTP listening on localhost:{} (partners {}, folders under {}; call centre {} -> {})", server.getPort(),
                partners.all().stream().filter(p -> p.sftp() != null).map(p -> p.sftp().user()).toList(), root,
                props.getPhone().getSftpUser(), Path.of(props.getPhone().getRoot()).toAbsolutePath().normalize());
    }

    private boolean authenticate(String user, String password) {
        boolean ok = false;
        if (props.getPhone().getSftpUser().equals(user)) {
            // SECURITY: constant-time comparison
            ok = MessageDigest.isEqual(props.getPhone().getSftpPassword().getBytes(StandardCharsets.UTF_8),
                    password.getBytes(StandardCharsets.UTF_8));
        }
        for (PartnerProfiles.Partner p : partners.all()) {
            if (p.sftp() != null && p.sftp().user().equals(user)) {
                // SECURITY: constant-time comparison
                ok |= MessageDigest.isEqual(p.sftp().password().getBytes(StandardCharsets.UTF_8),
                        password.getBytes(StandardCharsets.UTF_8));
            }
        }
        return ok;
    }

    /** The port it listens on (the configured one, or the one picked for port 0). */
    public int port() {
        return server == null ? -1 : server.getPort();
    }

    @Override
    public void stop() {
        if (server != null) {
            try {
                server.stop(true);
            } catch (IOException e) {
                LOG.warn("Stopping the embedded SFTP server: {}", e.getMessage());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return server != null && server.isStarted();
    }

    @Override
    public int getPhase() {
        // up before Camel starts polling the folders it serves
        return Integer.MIN_VALUE + 2000;
    }
}
