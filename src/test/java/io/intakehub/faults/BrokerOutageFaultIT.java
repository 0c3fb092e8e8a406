package io.intakehub.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Broker and store outages against the packaged hub in its own process: Kafka stopped while an export and a stream
 * of web forms are in flight; Artemis stopped during dispatch; the store stopped. Each case reconciles every input by
 * its message id and prints the numbers.
 */
class BrokerOutageFaultIT {

    static final int ROWS = 10_000;
    static final int POSTS = 40;
    /** A minute, as the issue says: longer than every timeout of the hub (max block, delivery, request), so every send and poll in it fails. */
    static final Duration OUTAGE = Duration.ofSeconds(60);

    @Test
    void kafkaStoppedWhileAnExportAndWebFormsAreInFlightThenRestarted() throws Exception {
        try (FaultHarness h = FaultHarness.started("kafka-outage")) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            String name = "export-" + run + ".csv";
            long before = h.topicEnd(h.ordersTopic);
            h.dropExport(name, FaultHarness.export(run, ROWS));

            // a web client posting orders, each under its own Idempotency-Key, retrying a 503 with the same key
            List<String> webIds = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger unavailable = new AtomicInteger();
            String sample = Files.readString(Path.of("src/test/resources/samples/web/order-en.json"));
            CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 1; i <= POSTS; i++) {
                        String key = "web-" + run + "-" + i;
                        String body = sample.replace("4500012345", "46" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999)));
                        while (true) {
                            HttpResponse<String> res = h.post("/api/v1/orders", body, key);
                            if (res.statusCode() == 202) {
                                webIds.add(new ObjectMapper().readTree(res.body()).path("trackingId").asText());
                                break;
                            }
                            assertThat(res.statusCode()).as(res.body()).isEqualTo(503);
                            unavailable.incrementAndGet();
                            Thread.sleep(1000);
                        }
                        Thread.sleep(500);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> h.topicEnd(h.ordersTopic) - before >= ROWS / 5);
            long atStop = h.topicEnd(h.ordersTopic) - before;
            h.stopKafka();
            Thread.sleep(OUTAGE.toMillis());
            assertThat(Files.exists(h.phoneIn().resolve(name))).as("the file is not done while Kafka is away").isTrue();
            assertThat(Files.exists(h.phoneDone().resolve(name + ".ack.csv"))).isFalse();
            assertThat(unavailable.get()).as("web clients were told to retry").isPositive();
            h.restartKafka();

            List<String> rowIds = h.receiptIds(name, ROWS, Duration.ofSeconds(300));
            client.get(300, TimeUnit.SECONDS);
            assertThat(webIds).hasSize(POSTS).doesNotHaveDuplicates();
            List<String> all = new ArrayList<>(rowIds);
            all.addAll(webIds);
            FaultHarness.Tally t = h.reconcile(all, h.ordersTopic, h.queues.getOrders());
            System.out.printf("FAULT case 1 (Kafka stopped %d s during a %d-row export and %d web posts): on the topic at the stop %d | "
                    + "503s answered %d | %s%n", OUTAGE.toSeconds(), ROWS, POSTS, atStop, unavailable.get(), t.line());
            t.assertEveryInputOnceOnTheQueue();
        }
    }

    @Test
    void artemisStoppedDuringDispatchThenRestarted() throws Exception {
        try (FaultHarness h = FaultHarness.started("artemis-outage")) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            String name = "export-" + run + ".csv";
            h.dropExport(name, FaultHarness.export(run, ROWS));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> h.queueDepth(h.queues.getOrders()) >= ROWS / 5);
            long atStop = h.queueDepth(h.queues.getOrders());
            h.stopArtemis();
            Thread.sleep(OUTAGE.toMillis());
            // intake goes on (acceptance is the Kafka write); dispatch waits with its offsets uncommitted
            List<String> rowIds = h.receiptIds(name, ROWS, Duration.ofSeconds(300));
            assertThat(h.readiness()).as("still ready: taking input does not need Artemis").isEqualTo(200);
            h.startArtemis();
            FaultHarness.Tally t = h.reconcile(rowIds, h.ordersTopic, h.queues.getOrders());
            System.out.printf("FAULT case 2 (Artemis stopped %d s during dispatch of a %d-row export): on the queue at the stop %d | %s%n",
                    OUTAGE.toSeconds(), ROWS, atStop, t.line());
            t.assertEveryInputOnceOnTheQueue();
            assertThat(t.twiceOnTopic()).isZero();
        }
    }

    @Test
    void theStoreStoppedTheHubStopsAcceptingAndResumesWhenItIsBack() throws Exception {
        try (FaultHarness h = FaultHarness.started("store-outage")) {
            String sample = Files.readString(Path.of("src/test/resources/samples/web/order-en.json"));
            long before = h.topicEnd(h.ordersTopic);
            h.stopStore();
            await().atMost(Duration.ofSeconds(60)).until(() -> h.readiness() == 503);
            HttpResponse<String> refused = h.post("/api/v1/orders", sample.replace("4500012345", "4700000001"), "store-down-1");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.body()).contains("STORE_UNAVAILABLE");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            Thread.sleep(2000);
            assertThat(h.topicEnd(h.ordersTopic)).as("nothing accepted without de-duplication").isEqualTo(before);
            h.startStore();
            await().atMost(Duration.ofSeconds(60)).until(() -> h.readiness() == 200);
            HttpResponse<String> taken = h.post("/api/v1/orders", sample.replace("4500012345", "4700000001"), "store-down-1");
            assertThat(taken.statusCode()).as(taken.body()).isEqualTo(202);
            String id = new ObjectMapper().readTree(taken.body()).path("trackingId").asText();
            FaultHarness.Tally t = h.reconcile(List.of(id), h.ordersTopic, h.queues.getOrders());
            System.out.printf("FAULT case 6 (store stopped): readiness DOWN, the post answered %d and nothing on the topic; after the store "
                    + "returned the retry answered %d | %s%n", refused.statusCode(), taken.statusCode(), t.line());
            t.assertEveryInputOnceOnTheQueue();
            assertThat(t.twiceOnTopic()).isZero();
        }
    }
}
