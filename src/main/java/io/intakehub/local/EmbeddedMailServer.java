package io.intakehub.local;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.intakehub.ingest.email.EmailProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The embedded default's mail server (GreenMail): SMTP and IMAP on localhost, with the hub's intake
 * mailbox. Any other address that receives mail (a customer getting the hub's acknowledgement)
 * gets a mailbox on first delivery, whose login and password are the address itself. Mail lives in
 * memory: it does not survive a restart of the embedded default.
 */
public class EmbeddedMailServer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMailServer.class);

    private final int smtpPort;
    private final int imapPort;
    private final EmailProperties email;
    private GreenMail server;

    public EmbeddedMailServer(int smtpPort, int imapPort, EmailProperties email) {
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
        this.email = email;
    }

    @Override
    public void start() {
        server = new GreenMail(new ServerSetup[] {
            patient(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)),
            patient(new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP))})
                .withConfiguration(GreenMailConfiguration.aConfig()
                        .withUser(email.imap().username(), email.imap().username(), email.imap().password()));
        server.start();
        LOG.info("Embedded mail server listening on SMTP localhost:{} and IMAP localhost:{} (intake mailbox {} / password in README)",
                smtpPort, imapPort, email.imap().username());
    }

    /**
     * GreenMail gives each server 2 s to start by default; a busy 2-core machine (a build running its suite) missed
     * that once, failing the whole start. Starting is cheap when the machine is idle; waiting longer costs nothing.
     */
    public static ServerSetup patient(ServerSetup setup) {
        setup.setServerStartupTimeout(15_000);
        return setup;
    }

    /** The running server, for tests that read a customer's mailbox. */
    public GreenMail greenMail() {
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null && server.isRunning();
    }

    @Override
    public int getPhase() {
        // up before Camel starts polling the mailbox
        return Integer.MIN_VALUE + 2000;
    }
}
