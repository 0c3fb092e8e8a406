package io.intakehub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

import io.intakehub.support.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The batch look-up of keys on both stores the hub runs on: the right rows (across more keys than one statement
 * takes), and a plan that looks each key up by the primary key — on PostgreSQL also the generic plan a
 * server-prepared statement gets. (An {@code unnest} join on PostgreSQL may get a generic plan that reads the whole
 * scope and hashes the keys, depending on the statistics at the time it was prepared; {@code = any(?)} is looked up by
 * the key whatever the statistics, which is what this checks.)
 */
class KeyLookupTest {

    private static final int ROWS = 20_000;

    private static DriverManagerDataSource store(String store) {
        DriverManagerDataSource ds = empty(store);
        fill(ds, store);
        return ds;
    }

    private static DriverManagerDataSource empty(String store) {
        return TestStores.migrated(store);
    }

    private static void fill(DriverManagerDataSource ds, String store) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.batchUpdate("insert into idempotency_key (scope, idem_key, message_id, request_hash, created_at, state)"
                + " values (?, ?, ?, 'h', current_timestamp, 'ACCEPTED')", IntStream.range(0, ROWS)
                .mapToObj(i -> new Object[] {i % 2 == 0 ? "phone:ticket" : "phone:cdr", "CALL-" + i, "m-" + i}).toList());
        if (store.equals("postgresql")) {
            jdbc.execute("analyze idempotency_key");
        }
    }

    private static KeyLookup lookup(DriverManagerDataSource ds) {
        return new KeyLookup(new JdbcTemplate(ds), "k.idem_key, k.message_id", "idempotency_key", "idem_key", "scope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void findsExactlyTheKeysOfTheScopeAcrossSeveralStatements(String store) {
        KeyLookup lookup = lookup(store(store));
        // keys 0..11,999: 6,000 of them in phone:ticket (the even ones), beside 3,000 never taken
        String[] keys = IntStream.concat(IntStream.range(0, 12_000), IntStream.range(ROWS, ROWS + 3000))
                .mapToObj(i -> "CALL-" + i).toArray(String[]::new);
        assertThat(keys.length).isGreaterThan(KeyLookup.CHUNK * 2);
        Map<String, String> found = new HashMap<>();
        lookup.query("phone:ticket", keys, rs -> {
            found.put(rs.getString(1), rs.getString(2));
        });
        assertThat(found).hasSize(6000).containsEntry("CALL-0", "m-0").containsEntry("CALL-11998", "m-11998")
                .doesNotContainKey("CALL-1").doesNotContainKey("CALL-" + ROWS);
        Map<String, String> none = new HashMap<>();
        lookup.query("phone:other", keys, rs -> {
            none.put(rs.getString(1), rs.getString(2));
        });
        assertThat(none).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void looksEachKeyUpByThePrimaryKey(String store) throws Exception {
        DriverManagerDataSource ds = empty(store);
        String sql = lookup(ds).sql();
        if (store.equals("postgresql")) {
            assertThat(sql).contains("= any(?)");
            String plan = cachedPlan(ds, sql);
            assertThat(keyLookedUp(plan)).as(plan).isTrue();
            assertThat(plan).doesNotContain("Seq Scan");
        } else {
            fill(ds, store);
            assertThat(sql).contains("unnest(");
            StringBuilder plan = new StringBuilder();
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("explain " + sql)) {
                ps.setArray(1, c.createArrayOf("VARCHAR", new String[] {"CALL-2", "CALL-4"}));
                ps.setString(2, "phone:ticket");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            assertThat(plan.toString()).containsIgnoringCase("primary_key").doesNotContainIgnoringCase("tableScan");
        }
    }

    /** True when the plan looks the key column up in an index (not only the scope). */
    private static boolean keyLookedUp(String plan) {
        return plan.lines().anyMatch(l -> l.contains("Index Cond") && l.contains("idem_key"));
    }

    /**
     * The generic plan PostgreSQL keeps for a statement prepared on the server (as the driver does from its fifth
     * execution on), made while the table was new (never analysed) and shown once it holds {@link #ROWS} rows: what a
     * hub executes until autovacuum next analyses the table.
     */
    private static String cachedPlan(DriverManagerDataSource ds, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("set plan_cache_mode = force_generic_plan");
            st.execute("prepare q(varchar[], varchar) as " + sql.replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2"));
            st.execute("execute q(array['CALL-2'], 'phone:ticket')");
            new JdbcTemplate(ds).batchUpdate("insert into idempotency_key (scope, idem_key, message_id, request_hash, created_at, state)"
                    + " values (?, ?, ?, 'h', current_timestamp, 'ACCEPTED')", IntStream.range(0, ROWS)
                    .mapToObj(i -> new Object[] {"phone:ticket", "CALL-" + i, "m-" + i}).toList());
            try (ResultSet rs = st.executeQuery("explain execute q(array['CALL-2', 'CALL-4'], 'phone:ticket')")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            st.execute("deallocate q");
        }
        return plan.toString();
    }
}
