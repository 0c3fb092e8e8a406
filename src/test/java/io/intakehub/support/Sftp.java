package io.intakehub.support;

import java.io.OutputStream;
import java.time.Duration;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/** A real SFTP client for tests: uploads the way a trading partner's system would. */
public final class Sftp {

    private Sftp() {}

    /** Uploads {@code data} to {@code remotePath} (e.g. {@code /in/po.edi}) as the given user. */
    public static void upload(int port, String user, String password, String remotePath, byte[] data) throws Exception {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            // the test talks to its own embedded server on localhost, whose host key is generated per run
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (ClientSession s = client.connect(user, "localhost", port).verify(Duration.ofSeconds(10)).getSession()) {
                s.addPasswordIdentity(password);
                s.auth().verify(Duration.ofSeconds(10));
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(s);
                        OutputStream out = sftp.write(remotePath)) {
                    out.write(data);
                }
            }
        }
    }

    /** True when the login is refused. */
    public static boolean refused(int port, String user, String password) throws Exception {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (ClientSession s = client.connect(user, "localhost", port).verify(Duration.ofSeconds(10)).getSession()) {
                s.addPasswordIdentity(password);
                return !s.auth().await(Duration.ofSeconds(10)) || !s.isAuthenticated();
            }
        }
    }
}
