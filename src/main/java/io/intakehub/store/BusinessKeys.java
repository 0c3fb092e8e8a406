package io.intakehub.store;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The cross-channel duplicate guard's keys (table {@code business_key}): an order by its customer or partner and
 * order number, a complaint by its customer and text, each held by the first message that claimed it. A claim is
 * PENDING until its message is on Kafka. Scopes: {@code business-order}, {@code business-complaint}.
 */
@Component
public class BusinessKeys {

    private final JdbcTemplate jdbc;
    private final KeyLookup holderLookup;

    public BusinessKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.holderLookup = new KeyLookup(jdbc, "k.bkey, k.message_id, k.created_at, k.state", "business_key", "bkey", "scope");
    }

    /**
     * The cross-channel duplicate guard's check: {@code key} belongs to the first message that claimed it. Returns
     * empty when it is (now) {@code messageId}'s — first use, the same message again (a retry or replay), a claim
     * older than {@code window}, or a claim never accepted and older than {@code stale} (left by a crash); otherwise
     * the id of the first message. A claim is PENDING until {@link #businessAccepted} and is dropped by
     * {@link #businessFailed}, so a message that never reached Kafka does not make its own retry a duplicate.
     */
    public Optional<String> claim(String scope, String key, String messageId, Duration window, Duration stale) {
        Instant now = Instant.now();
        try {
            jdbc.update("insert into business_key (scope, bkey, message_id, created_at, state) values (?, ?, ?, ?, 'PENDING')",
                    scope, key, messageId, Timestamp.from(now));
            return Optional.empty();
        } catch (DuplicateKeyException taken) {
            int renewed = jdbc.update("""
                    update business_key set message_id = ?, created_at = ?, state = 'PENDING'
                    where scope = ? and bkey = ? and (message_id = ? or created_at < ? or (state = 'PENDING' and created_at < ?))""",
                    messageId, Timestamp.from(now), scope, key, messageId, Timestamp.from(now.minus(window)), Timestamp.from(now.minus(stale)));
            if (renewed == 1) {
                return Optional.empty();
            }
            String first = jdbc.queryForList("select message_id from business_key where scope = ? and bkey = ?", String.class, scope, key)
                    .stream().findFirst().orElse(messageId);
            return first.equals(messageId) ? Optional.empty() : Optional.of(first);
        }
    }

    /** A business key a message claimed. */
    public record Claimed(String scope, String key, String messageId) {}

    /** The messages' business keys are theirs for good: Kafka has them (one batch, by primary key). */
    public void businessAccepted(java.util.Collection<Claimed> claimed) {
        if (!claimed.isEmpty()) {
            jdbc.batchUpdate("update business_key set state = 'ACCEPTED' where scope = ? and bkey = ? and message_id = ? and state = 'PENDING'",
                    claimed.stream().map(c -> new Object[] {c.scope(), c.key(), c.messageId()}).toList());
        }
    }

    /**
     * {@link #claim} for a whole batch in at most two statements (the phone channel: a million rows must not be a
     * million commits): the keys inserted where free, then the holders of the keys that insert did not write read
     * back (usually none: a key the insert wrote is its row's). Within the batch the first row of a key
     * wins. The claims are final at once (not PENDING): a batch's rows that do not reach Kafka are read again from
     * their file under the same ids, which their own claims let through.
     */
    public Map<Claimed, String> claimAll(List<Claimed> claims, java.util.function.Function<String, Duration> windowOf, Duration stale) {
        Map<Claimed, String> duplicates = new HashMap<>();
        Map<String, Claimed> first = new LinkedHashMap<>();
        Map<Claimed, Claimed> laterInBatch = new HashMap<>();
        for (Claimed c : claims) {
            Claimed f = first.putIfAbsent(c.scope() + '\u001f' + c.key(), c);
            if (f != null && !f.messageId().equals(c.messageId())) {
                laterInBatch.put(c, f);
            }
        }
        if (first.isEmpty()) {
            return duplicates;
        }
        Instant now = Instant.now();
        List<Claimed> unique = new ArrayList<>(first.values());
        int[][] inserted = jdbc.batchUpdate("insert into business_key (scope, bkey, message_id, created_at, state) "
                + "values (?, ?, ?, ?, 'ACCEPTED') on conflict do nothing", unique, unique.size(), (ps, c) -> {
                    ps.setString(1, c.scope());
                    ps.setString(2, c.key());
                    ps.setString(3, c.messageId());
                    ps.setTimestamp(4, Timestamp.from(now));
                });
        // a key this insert wrote is the row's own; only the others (taken, or a driver that does not say) are read back
        Map<String, List<Claimed>> byScope = new LinkedHashMap<>();
        for (int i = 0; i < unique.size(); i++) {
            Claimed c = unique.get(i);
            if (!wrote(inserted, i)) {
                byScope.computeIfAbsent(c.scope(), s -> new ArrayList<>()).add(c);
            }
        }
        for (Map.Entry<String, List<Claimed>> scope : byScope.entrySet()) {
            Map<String, Object[]> holders = new HashMap<>();
            String[] keys = scope.getValue().stream().map(Claimed::key).toArray(String[]::new);
            holderLookup.query(scope.getKey(), keys, rs -> {
                holders.put(rs.getString(1), new Object[] {rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4)});
            });
            Duration window = windowOf.apply(scope.getKey());
            for (Claimed c : scope.getValue()) {
                Object[] h = holders.get(c.key());
                if (h == null || h[0].equals(c.messageId())) {
                    continue;
                }
                Instant at = (Instant) h[1];
                boolean free = at.isBefore(now.minus(window)) || ("PENDING".equals(h[2]) && at.isBefore(now.minus(stale)));
                if (!free || claim(c.scope(), c.key(), c.messageId(), window, stale).isPresent()) {
                    duplicates.put(c, (String) h[0]);
                } else {
                    businessAccepted(List.of(c));
                }
            }
        }
        laterInBatch.forEach((c, f) -> duplicates.put(c, duplicates.getOrDefault(f, f.messageId())));
        return duplicates;
    }

    /** True when statement {@code i} of a single-batch update reports exactly one row written. */
    private static boolean wrote(int[][] counts, int i) {
        return counts.length == 1 && counts[0].length > i && counts[0][i] == 1;
    }

    /** The message did not reach Kafka: its business key is free again. */
    public void businessFailed(Claimed claimed) {
        jdbc.update("delete from business_key where scope = ? and bkey = ? and message_id = ? and state = 'PENDING'",
                claimed.scope(), claimed.key(), claimed.messageId());
    }

    /** The message holding a key, if any. */
    public Optional<String> holder(String scope, String key) {
        return jdbc.queryForList("select message_id from business_key where scope = ? and bkey = ?", String.class, scope, key)
                .stream().findFirst();
    }
}
