package io.intakehub.ingest.email;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Cases (for threading) and acknowledgements (one per message, rate-limited per sender). */
@Component
public class EmailStore {

    /** A case: its number, the canonical message it is, and the sender who opened it. */
    public record Case(String caseNumber, String messageId, String messageType, String sender) {}

    private final JdbcTemplate jdbc;

    public EmailStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Gives {@code messageId} a case number derived from it; on the rare collision with another
     * message's case a suffix is added. Re-reading the same mail returns the same number.
     */
    public String assignCase(String candidate, String messageId, String type, String mailMessageId, String sender) {
        Optional<Case> own = jdbc.query("select case_number, message_id, message_type, sender from email_case where message_id = ?",
                (rs, n) -> new Case(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), messageId)
                .stream().findFirst();
        if (own.isPresent()) {
            return own.get().caseNumber();
        }
        for (int attempt = 1; attempt < 100; attempt++) {
            String number = attempt == 1 ? candidate : candidate + "-" + attempt;
            try {
                jdbc.update("insert into email_case (case_number, message_id, message_type, mail_message_id, sender, created_at) values (?, ?, ?, ?, ?, ?)",
                        number, messageId, type, cut(mailMessageId, 512), cut(lower(sender), 320), Timestamp.from(Instant.now()));
                return number;
            } catch (DuplicateKeyException taken) {
                // another message has this number (or a concurrent reader just took it for this one)
                Optional<String> mine = jdbc.queryForList("select case_number from email_case where message_id = ?", String.class, messageId)
                        .stream().findFirst();
                if (mine.isPresent()) {
                    return mine.get();
                }
            }
        }
        throw new IllegalStateException("no free case number for " + candidate);
    }

    /** The case a canonical message opened. */
    public Optional<Case> byMessage(String messageId) {
        return one("message_id = ?", messageId);
    }

    public Optional<Case> byNumber(String caseNumber) {
        return one("case_number = ?", caseNumber);
    }

    /** The case one of these Message-IDs belongs to: the customer's original or the hub's acknowledgement. */
    public Optional<Case> byMailIds(Collection<String> ids) {
        for (String id : ids) {
            Optional<Case> c = one("ack_message_id = ? or mail_message_id = ?", id, id);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    public boolean replied(String messageId) {
        Integer n = jdbc.queryForObject("select count(*) from email_reply where message_id = ?", Integer.class, messageId);
        return n != null && n > 0;
    }

    public int repliesSince(String recipient, Duration window) {
        Integer n = jdbc.queryForObject("select count(*) from email_reply where recipient = ? and sent_at > ?", Integer.class,
                lower(recipient), Timestamp.from(Instant.now().minus(window)));
        return n == null ? 0 : n;
    }

    /** The acknowledgement went out. */
    public void recordReply(String messageId, String caseNumber, String recipient, String replyMessageId) {
        try {
            jdbc.update("insert into email_reply (message_id, recipient, reply_message_id, sent_at) values (?, ?, ?, ?)",
                    messageId, lower(recipient), cut(replyMessageId, 512), Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException alreadyRecorded) {
            // a re-read after a crash between sending and recording
        }
        if (caseNumber != null) {
            jdbc.update("update email_case set ack_message_id = ? where case_number = ?", cut(replyMessageId, 512), caseNumber);
        }
    }

    private Optional<Case> one(String where, Object... args) {
        List<Case> found = jdbc.query("select case_number, message_id, message_type, sender from email_case where " + where,
                (rs, n) -> new Case(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), args);
        return found.stream().findFirst();
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
