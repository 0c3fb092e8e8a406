package io.intakehub.ingest.phone;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.intakehub.store.KeyLookup;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The phone channel's memory, one statement per batch of rows (never one per row): which call ids
 * were taken before (idempotency_key, scope {@code phone:<profile>}) and the contact events of
 * call-detail records (contact_event).
 */
@Component
public class PhoneStore {

    /** A row taken before: the message (or event) it became and the hash of its content then. */
    public record Seen(String id, String hash) {}

    /** A taken row to remember. */
    public record Taken(String key, String id, String hash) {}

    /** A call logged on the customer. */
    public record Contact(String key, String id, String phone, String customerNumber, String counterpart,
            OffsetDateTime startedAt, OffsetDateTime answeredAt, OffsetDateTime endedAt, Integer durationS, Integer billableS,
            String disposition, String channel, String reference, String fileName, long line) {}

    private final JdbcTemplate jdbc;
    private final KeyLookup takenLookup;
    private final KeyLookup loggedLookup;

    public PhoneStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.takenLookup = new KeyLookup(jdbc, "k.idem_key, k.message_id, k.request_hash", "idempotency_key", "idem_key", "scope");
        this.loggedLookup = new KeyLookup(jdbc, "k.event_key, k.event_id, ''", "contact_event", "event_key", "profile");
    }

    /** The keys among {@code keys} that rows of this profile already became messages or journal entries. */
    public Map<String, Seen> taken(String profile, Collection<String> keys) {
        return select(takenLookup, "phone:" + profile, keys);
    }

    /** The keys among {@code keys} already logged as contact events of this profile. */
    public Map<String, Seen> logged(String profile, Collection<String> keys) {
        return select(loggedLookup, profile, keys);
    }

    /** One query for a whole batch of keys, each looked up by the primary key ({@link KeyLookup}). */
    private static Map<String, Seen> select(KeyLookup lookup, String scope, Collection<String> keys) {
        Map<String, Seen> found = new HashMap<>();
        lookup.query(scope, keys.toArray(String[]::new), rs -> {
            found.put(rs.getString(1), new Seen(rs.getString(2), rs.getString(3)));
        });
        return found;
    }

    /** Remembers rows that became messages or journal entries (a key already there stays as it is). */
    public void remember(String profile, List<Taken> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        String insert = "insert into idempotency_key (scope, idem_key, message_id, request_hash, created_at, state) values (?, ?, ?, ?, ?, 'ACCEPTED')";
        try {
            // the batch was checked against the table just before: a conflict is rare (another instance, a replay)
            insertKeys(insert, profile, rows, now);
        } catch (org.springframework.dao.DataIntegrityViolationException taken) {
            insertKeys(insert + " on conflict do nothing", profile, rows, now);
        }
    }

    private void insertKeys(String sql, String profile, List<Taken> rows, Timestamp now) {
        jdbc.batchUpdate(sql, rows, rows.size(), (ps, t) -> {
            ps.setString(1, "phone:" + profile);
            ps.setString(2, t.key());
            ps.setString(3, t.id());
            ps.setString(4, t.hash());
            ps.setTimestamp(5, now);
        });
    }

    /** Logs contact events (one already logged stays as it is). */
    public void log(String profile, List<Contact> events) {
        if (events.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.batchUpdate("""
                insert into contact_event (profile, event_key, event_id, phone, customer_number, counterpart, started_at,
                    answered_at, ended_at, duration_s, billable_s, disposition, channel, reference, file_name, line, recorded_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""", events, events.size(), (ps, c) -> {
            ps.setString(1, profile);
            ps.setString(2, cut(c.key(), 256));
            ps.setString(3, c.id());
            ps.setString(4, cut(c.phone(), 64));
            ps.setString(5, cut(c.customerNumber(), 128));
            ps.setString(6, cut(c.counterpart(), 64));
            ps.setObject(7, time(c.startedAt()), Types.TIMESTAMP);
            ps.setObject(8, time(c.answeredAt()), Types.TIMESTAMP);
            ps.setObject(9, time(c.endedAt()), Types.TIMESTAMP);
            ps.setObject(10, c.durationS(), Types.INTEGER);
            ps.setObject(11, c.billableS(), Types.INTEGER);
            ps.setString(12, cut(c.disposition(), 32));
            ps.setString(13, cut(c.channel(), 128));
            ps.setString(14, cut(c.reference(), 128));
            ps.setString(15, cut(c.fileName(), 256));
            ps.setLong(16, c.line());
            ps.setTimestamp(17, now);
        });
    }

    /** The contact events logged for a phone number, newest first. */
    public List<Map<String, Object>> contactsOf(String phone) {
        return jdbc.queryForList("select * from contact_event where phone = ? order by started_at desc, line", phone);
    }

    private static Timestamp time(OffsetDateTime t) {
        return t == null ? null : Timestamp.from(t.toInstant());
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
