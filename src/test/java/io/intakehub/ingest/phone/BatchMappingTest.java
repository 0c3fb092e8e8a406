package io.intakehub.ingest.phone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalAssembler;
import io.intakehub.canonical.SchemaValidator;
import io.intakehub.mapping.CanonicalMapper;
import io.intakehub.mapping.MappingRegistry;
import io.intakehub.rules.RulesStage;
import io.intakehub.shared.ReasonCode;
import io.intakehub.store.BusinessKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-row time budget of the phone channel's mapping threads, without Spring: a row whose rules never return is
 * given up once over its budget, and the rows after it are mapped by a mapping of their own, each exactly once; a
 * mapping whose row is within its budget is never given up.
 */
class BatchMappingTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
    }

    /** Rules that hold the complaint (the sample's second row) until released, counting every row judged. */
    private PhoneRows rows(AtomicInteger judged) {
        return new PhoneRows(new CanonicalMapper(MappingRegistry.fromLocation("classpath:mappings/"),
                new CanonicalAssembler(new SchemaValidator())), new PhoneRows.Rules() {
                    @Override
                    public RulesStage.Result apply(ObjectNode canonical) {
                        judged.incrementAndGet();
                        if ("complaint".equals(canonical.path("type").asText())) {
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return new RulesStage.Result(List.of(), null, null);
                    }

                    @Override
                    public java.util.Map<BusinessKeys.Claimed, String> claimAll(List<BusinessKeys.Claimed> claims) {
                        return java.util.Map.of();
                    }
                });
    }

    private static List<PhoneRows.Item> read(PhoneRows rows) throws Exception {
        byte[] bytes = Files.readAllBytes(PhoneRowsGoldenTest.SAMPLES.resolve("ticket-en.csv"));
        PhoneProfiles profiles = PhoneProfiles.load("classpath:mappings/phone/", java.time.ZoneId.of("Asia/Shanghai"));
        PhoneLayout layout = profiles.match(() -> new java.io.ByteArrayInputStream(bytes), 65536).orElseThrow();
        List<PhoneRows.Item> items = new ArrayList<>();
        try (CsvRowReader r = layout.profile().reader(new java.io.ByteArrayInputStream(bytes), 65536)) {
            while (r.hasNext()) {
                CsvRowReader.Row row = r.next();
                if (!(layout.firstRowIsHeader() && row.number() == 1)) {
                    items.add(rows.read(layout, row, new PhoneRows.FileInfo("ticket-en.csv", PhoneRowsGoldenTest.READ_AT)));
                }
            }
        }
        return items;
    }

    @Test
    void aRowOverItsBudgetIsGivenUpAndTheRowsAfterItAreMappedOnce() throws Exception {
        AtomicInteger judged = new AtomicInteger();
        PhoneRows rows = rows(judged);
        List<PhoneRows.Item> items = read(rows);
        assertThat(items).extracting(i -> i.plan).containsExactly(PhoneRows.Plan.DELIVER, PhoneRows.Plan.DELIVER,
                PhoneRows.Plan.DELIVER, PhoneRows.Plan.JOURNAL);
        BatchMapping first = new BatchMapping(items, 0, rows);
        Future<?> running = pool.submit(first);
        long budget = Duration.ofMillis(200).toNanos();
        int stuck = -1;
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stuck < 0 && System.nanoTime() < until) {
            Thread.sleep(20);
            stuck = first.giveUpIfOver(budget);
        }
        assertThat(stuck).as("the complaint, held by its rules, is the row given up").isEqualTo(1);
        assertThat(running.isDone()).isFalse();
        PhoneRows.Item held = items.get(stuck);
        items.set(stuck, PhoneRows.givenUp(held, ReasonCode.PROCESSING_TIMEOUT, "too slow (test)"));

        BatchMapping rest = new BatchMapping(items, stuck + 1, rows);
        pool.submit(rest).get(10, TimeUnit.SECONDS);
        assertThat(items.get(0).messageType).isEqualTo("order");
        assertThat(items.get(1).plan).isEqualTo(PhoneRows.Plan.REJECT);
        assertThat(items.get(1).reason).isEqualTo(ReasonCode.PROCESSING_TIMEOUT);
        assertThat(items.get(1).id).as("the refused row keeps its id").isEqualTo(held.id);
        assertThat(items.get(1).raw).isEqualTo(held.raw);
        assertThat(items.get(2).messageType).isEqualTo("customer-registration");

        // the held row's thread comes back: it takes no further row, and the refusal in its place stands
        release.countDown();
        running.get(10, TimeUnit.SECONDS);
        assertThat(judged.get()).as("order, complaint, registration: each judged once").isEqualTo(3);
        assertThat(items.get(1).reason).isEqualTo(ReasonCode.PROCESSING_TIMEOUT);
    }

    @Test
    void aMappingWithinItsBudgetIsNeverGivenUp() throws Exception {
        release.countDown();
        AtomicInteger judged = new AtomicInteger();
        PhoneRows rows = rows(judged);
        List<PhoneRows.Item> items = read(rows);
        BatchMapping m = new BatchMapping(items, 0, rows);
        pool.submit(m).get(10, TimeUnit.SECONDS);
        assertThat(m.giveUpIfOver(0)).as("no row in work").isEqualTo(-1);
        assertThat(items).noneMatch(i -> i.plan == PhoneRows.Plan.REJECT);
        assertThat(judged.get()).isEqualTo(3);
    }
}
