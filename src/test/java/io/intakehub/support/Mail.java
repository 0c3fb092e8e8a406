package io.intakehub.support;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;

/**
 * A mail client for the tests, as plain as a customer's: SMTP over a socket (the message bytes go
 * out exactly as written, 8-bit headers included) and IMAP through Jakarta Mail to look at folders.
 */
public final class Mail {

    private Mail() {}

    /** Sends raw message bytes over SMTP (RFC 5321, dot-stuffed) to the given recipients. */
    public static void send(int smtpPort, String from, List<String> to, byte[] message) throws IOException {
        try (Socket s = new Socket("127.0.0.1", smtpPort)) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            command(out, in, "EHLO test.example", "250");
            command(out, in, "MAIL FROM:<" + from + ">", "250");
            for (String r : to) {
                command(out, in, "RCPT TO:<" + r + ">", "250");
            }
            command(out, in, "DATA", "354");
            out.write(dotStuffed(message));
            command(out, in, ".", "250");
            command(out, in, "QUIT", "221");
        }
    }

    /** Dot-stuffed, bare LF turned into CRLF (as every mail client does on the wire), ending in CRLF. */
    private static byte[] dotStuffed(byte[] message) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(message.length + 16);
        boolean lineStart = true;
        byte previous = 0;
        for (byte c : message) {
            if (lineStart && c == '.') {
                b.write('.');
            }
            if (c == '\n' && previous != '\r') {
                b.write('\r');
            }
            b.write(c);
            lineStart = c == '\n';
            previous = c;
        }
        if (!lineStart) {
            b.write('\r');
            b.write('\n');
        }
        return b.toByteArray();
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null || !line.startsWith(code)) {
                throw new IOException("SMTP: expected " + code + " but got " + line);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
    }

    /** The Message-IDs in an IMAP folder of a mailbox (empty when the folder does not exist). */
    public static List<String> messageIds(int imapPort, String user, String password, String folder) throws MessagingException {
        List<String> ids = new ArrayList<>();
        for (Message m : fetch(imapPort, user, password, folder)) {
            String[] h = m.getHeader("Message-ID");
            ids.add(h == null ? "" : h[0]);
        }
        return ids;
    }

    /** How many messages an IMAP folder holds, without reading (or flagging) any. */
    public static int count(int imapPort, String user, String password, String folder) throws MessagingException {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", imapPort, user, password);
        try {
            Folder f = store.getFolder(folder);
            return f.exists() ? f.getMessageCount() : 0;
        } finally {
            store.close();
        }
    }

    /** The messages of an IMAP folder, loaded (usable after the connection is closed). */
    public static List<Message> fetch(int imapPort, String user, String password, String folder) throws MessagingException {
        Session session = Session.getInstance(new Properties());
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", imapPort, user, password);
        try {
            Folder f = store.getFolder(folder);
            if (!f.exists()) {
                return List.of();
            }
            f.open(Folder.READ_ONLY);
            List<Message> out = new ArrayList<>();
            for (Message m : f.getMessages()) {
                // from the raw bytes: copying a message asks the server for its envelope, which a server may fail to
                // build for an address it took (two dots in a row)
                java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
                try {
                    m.writeTo(raw);
                } catch (IOException e) {
                    throw new MessagingException("cannot read message " + m.getMessageNumber(), e);
                }
                out.add(new jakarta.mail.internet.MimeMessage(session, new java.io.ByteArrayInputStream(raw.toByteArray())));
            }
            f.close(false);
            return out;
        } finally {
            store.close();
        }
    }
}
