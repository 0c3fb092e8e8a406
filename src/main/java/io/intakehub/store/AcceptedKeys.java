package io.intakehub.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.intakehub.store.BusinessKeys.Claimed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Marks the business keys of accepted messages ACCEPTED in the store, many in one JDBC batch: a message's route
 * hands its claim over the moment Kafka has acknowledged the message, and one writer thread writes whatever has
 * gathered meanwhile (group commit, no timer: under load a batch holds the claims of the messages accepted while
 * the last one was written; at rest a batch is one claim, written at once). Until then the key is PENDING, which
 * the duplicate guard treats as taken like an ACCEPTED one; only after {@code pending-stale} does a PENDING key
 * count as a crashed attempt's. A crash of the hub therefore loses the marks handed over and not yet written (the
 * batch being written and those behind it: a millisecond or two of messages under load, none at rest), where it
 * lost before the marks between each Kafka acknowledgement and its own update; their keys are free again after
 * {@code pending-stale}. A stop writes them all.
 * <p>
 * While the store is away the writer keeps its batch and retries it every second; the queue is bounded, and when
 * it is full the caller writes its own mark (back-pressure, never dropped).
 */
@Component
public class AcceptedKeys extends StoreWriter {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptedKeys.class);
    static final int BATCH = 1000;
    static final int CAPACITY = 20_000;
    private static final long RETRY_MS = 1000;

    private final BusinessKeys keys;
    private final BlockingQueue<Claimed> queue = new ArrayBlockingQueue<>(CAPACITY);
    /** Handed over and not yet written: the message is accepted even though the row still says PENDING. */
    private final Set<Claimed> unwritten = ConcurrentHashMap.newKeySet();
    private final Counter failedBatches;

    public AcceptedKeys(BusinessKeys keys, MeterRegistry registry) {
        super("accepted-keys-writer");
        this.keys = keys;
        Gauge.builder("hub.business.keys.unwritten", unwritten, Set::size)
                .description("Business keys of accepted messages not yet marked ACCEPTED in the store").register(registry);
        this.failedBatches = Counter.builder("hub.business.keys.failed.batches")
                .description("Batches of accepted marks the store refused (each retried until written)").register(registry);
    }

    /** The message holding {@code claimed} is on Kafka: its key is marked ACCEPTED in the next batch. */
    public void accepted(Claimed claimed) {
        if (!running()) {
            keys.businessAccepted(List.of(claimed)); // before the start or after the stop: at once
            return;
        }
        unwritten.add(claimed);
        if (!queue.offer(claimed)) {
            try {
                keys.businessAccepted(List.of(claimed)); // the writer is far behind: this caller writes its own
            } finally {
                unwritten.remove(claimed);
            }
        }
    }

    /** Whether the key's message was accepted and its mark is still on its way to the store. */
    public boolean unwritten(Claimed claimed) {
        return unwritten.contains(claimed);
    }

    /**
     * Writes everything handed over so far and, while the writer runs, waits (up to ten seconds) for the batch it
     * holds (tests; the stop, after the writer has ended).
     */
    @Override
    public void flush() {
        List<Claimed> batch = new ArrayList<>();
        while (queue.drainTo(batch, BATCH) > 0) {
            write(batch);
            batch.clear();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running() && !unwritten.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    void loop() {
        List<Claimed> batch = new ArrayList<>(BATCH);
        while (running()) {
            try {
                Claimed first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                boolean written = tryWrite(batch);
                while (!written && running()) {
                    Thread.sleep(RETRY_MS);
                    written = tryWrite(batch);
                }
                if (!written) {
                    write(batch); // stopping while the store is away: one last try, logged if it fails
                }
                batch.clear();
            } catch (InterruptedException e) {
                write(batch);
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One attempt; true when written (the claims are no longer unwritten). */
    private boolean tryWrite(List<Claimed> batch) {
        try {
            keys.businessAccepted(batch);
            batch.forEach(unwritten::remove);
            return true;
        } catch (DataAccessException storeAway) {
            failedBatches.increment();
            LOG.warn("Could not mark {} business keys ACCEPTED ({}); retrying in {} ms", batch.size(), storeAway.getMessage(), RETRY_MS);
            return false;
        }
    }

    private void write(List<Claimed> batch) {
        if (!batch.isEmpty() && !tryWrite(batch)) {
            // they stay PENDING and are free again after pending-stale: a later message with the same key is then not
            // taken for a duplicate of these
            LOG.error("Business keys left PENDING although their messages are on Kafka (the store is away at the stop): {}", batch);
        }
    }
}
