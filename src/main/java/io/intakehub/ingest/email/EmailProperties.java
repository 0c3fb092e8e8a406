package io.intakehub.ingest.email;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.email.*}: the mailbox the hub polls, the SMTP server it replies through, the limits it
 * enforces and how it classifies and answers mail. Defaults and environment fallbacks are in
 * {@code application.yaml}, which lists them with their environment variables.
 *
 * @param imap the mailbox (IMAP) the hub reads
 * @param smtp the server replies are sent through
 * @param folders where a message goes once it is processed or quarantined
 * @param pollInterval how often the mailbox is polled
 * @param maxMessagesPerPoll how many messages one poll takes
 * @param maxMessageBytes a larger message is quarantined unread ({@code EMAIL_TOO_LARGE})
 * @param maxParts a message with more MIME parts is quarantined ({@code EMAIL_TOO_COMPLEX})
 * @param maxDepth a message nested deeper is quarantined ({@code EMAIL_TOO_COMPLEX})
 * @param attachmentDir where attachments are kept, named by their SHA-256
 * @param classify how a message becomes an order, complaint or registration
 * @param reply the acknowledgement policy
 * @param labels the file of form labels (Chinese and English) per field
 */
@ConfigurationProperties("hub.email")
public record EmailProperties(
        boolean enabled,
        Server imap,
        Server smtp,
        Folders folders,
        Duration pollInterval,
        int maxMessagesPerPoll,
        long maxMessageBytes,
        int maxParts,
        int maxDepth,
        String attachmentDir,
        Classify classify,
        Reply reply,
        String labels) {

    /** A mail server the hub is a client of; protocol imap or imaps, smtp or smtps. */
    public record Server(String protocol, String host, int port, String username, String password) {}

    /** IMAP folder names. */
    public record Folders(String inbox, String processed, String quarantine) {}

    /**
     * Classification, first match wins: an explicit form type in the body, the recipient address,
     * subject keywords, an attached order-line CSV; otherwise the complaint desk, flagged
     * {@code UNCLASSIFIED}.
     *
     * @param recipients recipient address (or local part) to message type
     * @param subjectKeywords message type to the words that select it in a subject
     * @param formTypes the values of a form's type line to message type
     */
    public record Classify(Map<String, String> recipients, Map<String, List<String>> subjectKeywords,
            Map<String, String> formTypes) {}

    /**
     * @param enabled whether acknowledgements are sent at all
     * @param from the reply's From (the service mailbox)
     * @param messageIdDomain the domain of the Message-IDs the hub gives its replies
     * @param maxPerSenderPerHour at most this many replies to one address within an hour
     * @param noReplySenders local parts (regular expression) that are never answered
     */
    public record Reply(boolean enabled, String from, String messageIdDomain, int maxPerSenderPerHour,
            String noReplySenders) {}
}
