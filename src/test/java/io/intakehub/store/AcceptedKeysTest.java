package io.intakehub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.intakehub.store.BusinessKeys.Claimed;
import io.intakehub.support.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The writer that marks accepted messages' business keys in batches, on both stores: every mark handed over is
 * written (from many threads at once, and by a stop), a key stays taken while its mark is on its way, and a store
 * that goes away delays the marks without losing them.
 */
class AcceptedKeysTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration STALE = Duration.ofMinutes(5);

    /** A store that can be switched off: every new connection is refused while it is down. */
    static final class SwitchableStore extends DelegatingDataSource {
        volatile boolean down;

        SwitchableStore(javax.sql.DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down) {
                throw new SQLException("the store is down (test)", "08001");
            }
            return super.getConnection();
        }
    }

    private static int rows(JdbcTemplate jdbc, String state) {
        return jdbc.queryForObject("select count(*) from business_key where state = ?", Integer.class, state);
    }

    private static List<Claimed> claimed(BusinessKeys keys, String prefix, int n) {
        List<Claimed> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Claimed c = new Claimed(i % 4 == 0 ? "business-complaint" : "business-order", "C" + i + "|" + prefix + i, prefix + "-m-" + i);
            assertThat(keys.claim(c.scope(), c.key(), c.messageId(), DAY, STALE)).isEmpty();
            all.add(c);
        }
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void marksHandedOverFromManyThreadsAreAllWrittenAndTheStopWritesTheRest(String store) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(TestStores.migrated(store));
        BusinessKeys keys = new BusinessKeys(jdbc);
        AcceptedKeys accepted = new AcceptedKeys(keys, new SimpleMeterRegistry());
        List<Claimed> all = claimed(keys, "p", 2_000);
        assertThat(rows(jdbc, "PENDING")).isEqualTo(2_000);
        accepted.start();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int from = t * 500;
                done.add(pool.submit(() -> all.subList(from, from + 500).forEach(accepted::accepted)));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        accepted.flush();
        assertThat(rows(jdbc, "ACCEPTED")).isEqualTo(2_000);
        assertThat(all).noneMatch(accepted::unwritten);

        // handed over just before the stop: the stop writes them
        List<Claimed> last = claimed(keys, "q", 300);
        last.forEach(accepted::accepted);
        accepted.stop();
        assertThat(rows(jdbc, "ACCEPTED")).isEqualTo(2_300);
        assertThat(rows(jdbc, "PENDING")).isZero();
        // stopped: a mark is written by its caller at once
        Claimed after = claimed(keys, "r", 1).get(0);
        accepted.accepted(after);
        assertThat(rows(jdbc, "ACCEPTED")).isEqualTo(2_301);
    }

    @Test
    void aStoreThatGoesAwayDelaysTheMarksAndTheKeysStayTakenMeanwhile() {
        SwitchableStore ds = new SwitchableStore(TestStores.migrated("h2"));
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        BusinessKeys keys = new BusinessKeys(jdbc);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AcceptedKeys accepted = new AcceptedKeys(keys, registry);
        List<Claimed> all = claimed(keys, "s", 50);
        accepted.start();
        try {
            ds.down = true;
            all.forEach(accepted::accepted);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> registry.get("hub.business.keys.failed.batches").counter().count() >= 1);
            assertThat(all).allMatch(accepted::unwritten);
            assertThat(registry.get("hub.business.keys.unwritten").gauge().value()).isEqualTo(50.0);
            ds.down = false;
            // still PENDING and inside pending-stale: another message with the same key is a duplicate of the first
            Claimed first = all.get(1);
            assertThat(keys.claim(first.scope(), first.key(), "another-message", DAY, STALE)).contains(first.messageId());
            await().atMost(Duration.ofSeconds(10)).until(() -> rows(jdbc, "ACCEPTED") == 50);
            await().atMost(Duration.ofSeconds(5)).until(() -> all.stream().noneMatch(accepted::unwritten));
            assertThat(registry.get("hub.business.keys.unwritten").gauge().value()).isZero();
        } finally {
            accepted.stop();
        }
    }
}
