package io.intakehub.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Natural keys already accepted (the web's Idempotency-Key first), with the message each became. */
@Component
public class IdempotencyStore {

    /** What a key was used for. */
    public record Entry(String messageId, String requestHash) {}

    private final JdbcTemplate jdbc;

    public IdempotencyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Entry> find(String scope, String key) {
        return jdbc.query("select message_id, request_hash from idempotency_key where scope = ? and idem_key = ?",
                (rs, n) -> new Entry(rs.getString(1), rs.getString(2)), scope, key).stream().findFirst();
    }

    /**
     * Records that {@code key} became {@code messageId}. Returns the entry that holds afterwards:
     * this one, or the one a concurrent request stored first.
     */
    public Entry remember(String scope, String key, String messageId, String requestHash) {
        try {
            jdbc.update("insert into idempotency_key (scope, idem_key, message_id, request_hash, created_at) values (?, ?, ?, ?, ?)",
                    scope, key, messageId, requestHash, Timestamp.from(Instant.now()));
            return new Entry(messageId, requestHash);
        } catch (DuplicateKeyException e) {
            return find(scope, key).orElseThrow(() -> e);
        }
    }
}
