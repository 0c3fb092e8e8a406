package io.intakehub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.intakehub.store.BusinessKeys.Claimed;
import io.intakehub.support.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The duplicate guard's batch claim on both stores the hub runs on (H2 in PostgreSQL mode, and a real PostgreSQL
 * server): a key written by the batch is its row's without being read back, every other key is resolved from the
 * table — the same message again, a key taken by another message, an expired claim, a key twice in one batch.
 */
class BusinessKeysTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration STALE = Duration.ofMinutes(5);

    private static BusinessKeys keys(String store) {
        return new BusinessKeys(new JdbcTemplate(TestStores.migrated(store)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aBatchClaimsFreeKeysAndNamesTheHolderOfEveryTakenOne(String store) {
        BusinessKeys keys = keys(store);
        List<Claimed> first = IntStream.range(0, 300)
                .mapToObj(i -> new Claimed(i % 3 == 0 ? "business-complaint" : "business-order", "C" + (i % 50) + "|PO-" + i, "m-" + i))
                .toList();
        assertThat(keys.claimAll(first, s -> DAY, STALE)).isEmpty();
        assertThat(keys.holder("business-order", "C1|PO-1")).contains("m-1");
        assertThat(keys.holder("business-complaint", "C0|PO-0")).contains("m-0");

        // the same messages again (a file read again after a failure): still theirs
        assertThat(keys.claimAll(first, s -> DAY, STALE)).isEmpty();

        // half the keys again under other messages, beside new keys, one of them twice in the batch
        List<Claimed> second = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i += 2) {
            second.add(new Claimed(first.get(i).scope(), first.get(i).key(), "n-" + i));
        }
        second.add(new Claimed("business-order", "NEW|1", "n-new-1"));
        second.add(new Claimed("business-order", "NEW|1", "n-new-1b"));
        second.add(new Claimed("business-order", "NEW|2", "n-new-2"));
        Map<Claimed, String> duplicates = keys.claimAll(second, s -> DAY, STALE);
        assertThat(duplicates).hasSize(151);
        for (int i = 0; i < 300; i += 2) {
            assertThat(duplicates).containsEntry(new Claimed(first.get(i).scope(), first.get(i).key(), "n-" + i), "m-" + i);
        }
        assertThat(duplicates).containsEntry(new Claimed("business-order", "NEW|1", "n-new-1b"), "n-new-1");
        assertThat(keys.holder("business-order", "NEW|1")).contains("n-new-1");
        assertThat(keys.holder("business-order", "NEW|2")).contains("n-new-2");
        assertThat(keys.holder("business-order", "C2|PO-2")).contains("m-2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aClaimOlderThanItsWindowPassesToTheNewMessage(String store) throws Exception {
        BusinessKeys keys = keys(store);
        Claimed old = new Claimed("business-order", "C9|PO-9", "m-old");
        assertThat(keys.claimAll(List.of(old), s -> DAY, STALE)).isEmpty();
        Thread.sleep(20);
        Claimed renewed = new Claimed("business-order", "C9|PO-9", "m-new");
        assertThat(keys.claimAll(List.of(renewed), s -> Duration.ofMillis(1), STALE)).isEmpty();
        assertThat(keys.holder("business-order", "C9|PO-9")).contains("m-new");
        assertThat(keys.claimAll(List.of(new Claimed("business-order", "C9|PO-9", "m-third")), s -> DAY, STALE))
                .containsEntry(new Claimed("business-order", "C9|PO-9", "m-third"), "m-new");
    }
}
