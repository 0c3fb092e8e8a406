package io.intakehub.store;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Natural keys (the web's Idempotency-Key first), with the message each became. A key is reserved
 * before its message is sent, so two concurrent requests with one key never both reach Kafka.
 */
@Component
public class IdempotencyStore {

    /** What a key was used for, and whether its message was accepted yet. */
    public record Entry(String messageId, String requestHash, boolean accepted) {}

    private final JdbcTemplate jdbc;

    public IdempotencyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Entry> find(String scope, String key) {
        return jdbc.query("select message_id, request_hash, state from idempotency_key where scope = ? and idem_key = ?",
                (rs, n) -> new Entry(rs.getString(1), rs.getString(2), "ACCEPTED".equals(rs.getString(3))), scope, key)
                .stream().findFirst();
    }

    /**
     * Reserves a key for a send. Returns empty when this caller now holds it; otherwise the entry
     * that holds it (accepted, or a send in progress). A reservation older than {@code stale} is
     * left over from a crashed attempt and is taken over.
     */
    public Optional<Entry> reserve(String scope, String key, String messageId, String requestHash, Duration stale) {
        try {
            jdbc.update("insert into idempotency_key (scope, idem_key, message_id, request_hash, created_at, state) values (?, ?, ?, ?, ?, 'PENDING')",
                    scope, key, messageId, requestHash, Timestamp.from(Instant.now()));
            return Optional.empty();
        } catch (DuplicateKeyException taken) {
            int tookOver = jdbc.update("""
                    update idempotency_key set created_at = ?, request_hash = ?
                    where scope = ? and idem_key = ? and state = 'PENDING' and created_at < ? and request_hash = ?""",
                    Timestamp.from(Instant.now()), requestHash, scope, key, Timestamp.from(Instant.now().minus(stale)), requestHash);
            return tookOver == 1 ? Optional.empty() : find(scope, key);
        }
    }

    /** The reserved key's message was accepted by Kafka. */
    public void accepted(String scope, String key) {
        jdbc.update("update idempotency_key set state = 'ACCEPTED' where scope = ? and idem_key = ?", scope, key);
    }

    /** The send failed: the key is free for the client's retry. */
    public void release(String scope, String key) {
        jdbc.update("delete from idempotency_key where scope = ? and idem_key = ? and state = 'PENDING'", scope, key);
    }

    /**
     * Records that {@code key} became {@code messageId} (channels that remember keys after the fact,
     * such as the EDI business keys). Returns the entry that holds afterwards.
     */
    public Entry remember(String scope, String key, String messageId, String requestHash) {
        try {
            jdbc.update("insert into idempotency_key (scope, idem_key, message_id, request_hash, created_at, state) values (?, ?, ?, ?, ?, 'ACCEPTED')",
                    scope, key, messageId, requestHash, Timestamp.from(Instant.now()));
            return new Entry(messageId, requestHash, true);
        } catch (DuplicateKeyException e) {
            return find(scope, key).orElseThrow(() -> e);
        }
    }
}
