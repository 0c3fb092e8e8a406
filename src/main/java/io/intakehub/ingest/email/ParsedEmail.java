package io.intakehub.ingest.email;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * What the hub reads out of one email: decoded headers it acts on, the body text (plain preferred,
 * HTML converted), the attachments and the defects it noticed. Mail headers stay here; none of them
 * becomes an exchange header.
 *
 * @param messageId the Message-ID without angle brackets, or null when missing or unusable
 * @param contentHash SHA-256 of sender, subject, date and body: the same mail delivered twice has one hash
 * @param charset the charset the first text part declared (a hint for raw 8-bit headers)
 * @param autoHeaders why this mail looks auto-generated, or empty (see {@link AutoReplyPolicy})
 * @param flags defects found: {@code CHARSET_SUSPECT}, {@code MIME_DEFECT}, {@code HTML_ONLY}
 */
public record ParsedEmail(
        String messageId,
        String contentHash,
        String subject,
        Address from,
        Address replyTo,
        List<String> to,
        List<String> cc,
        String inReplyTo,
        List<String> references,
        OffsetDateTime date,
        String charset,
        String text,
        List<Attachment> attachments,
        List<String> autoHeaders,
        Set<String> flags,
        int size) {

    /** A mailbox: address (validated) and display name (may be null). */
    public record Address(String address, String name) {}

    /**
     * An attachment, its name made safe; the bytes stay in memory only while the message is
     * processed (they are stored by {@link AttachmentStore} and referenced by hash).
     */
    public record Attachment(String name, String contentType, byte[] bytes, String sha256) {
        public long size() {
            return bytes.length;
        }
    }

    /** Every address the mail was sent to (To and Cc). */
    public List<String> recipients() {
        return java.util.stream.Stream.concat(to.stream(), cc.stream()).toList();
    }
}
