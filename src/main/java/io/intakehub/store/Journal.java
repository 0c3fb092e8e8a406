package io.intakehub.store;

import io.intakehub.shared.Hashes;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.intakehub.config.HubProperties;
import io.intakehub.shared.Hashes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The message journal. Writers hand events to {@link #record} (non-blocking unless the buffer is
 * full) and one background thread inserts them in JDBC batches; inserting the same event twice is a
 * no-op, so replays and re-reads of a topic are harmless. {@link #recordNow} writes a batch
 * synchronously, for callers that commit a source offset right after (the journal indexer).
 */
@Component
public class Journal extends StoreWriter {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    static final String INSERT = """
            insert into journal_event (message_id, event, destination, at, message_type, channel, partner,
                source_ref, correlation_id, customer_id, business_key, reason_code, detail)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict do nothing""";

    private final JdbcTemplate jdbc;
    private final HubProperties.Journal config;
    private final BlockingQueue<JournalEvent> pending;

    public Journal(JdbcTemplate jdbc, HubProperties props) {
        super("journal-writer");
        this.jdbc = jdbc;
        this.config = props.getJournal();
        this.pending = new ArrayBlockingQueue<>(config.getCapacity());
    }

    /** Queues an event for the next batch; waits only if the writer is far behind (never drops). */
    public void record(JournalEvent e) {
        try {
            pending.put(e);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            recordNow(List.of(e));
        }
    }

    /** Inserts the events now, in one batch. */
    public void recordNow(List<JournalEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                JournalEvent e = events.get(i);
                ps.setString(1, Hashes.fitted(e.messageId(), 64));
                ps.setString(2, e.event().name());
                ps.setString(3, e.destination() == null ? "" : Hashes.fitted(e.destination(), 200));
                ps.setTimestamp(4, Timestamp.from(e.at().toInstant()));
                ps.setString(5, e.messageType());
                ps.setString(6, cut(e.channel(), 16));
                ps.setString(7, Hashes.fitted(e.partner(), 128));
                ps.setString(8, Hashes.fitted(e.sourceRef(), 512));
                ps.setString(9, Hashes.fitted(e.correlationId(), 256));
                ps.setString(10, Hashes.fitted(e.customerId(), 128));
                ps.setString(11, Hashes.fitted(e.businessKey(), 256));
                ps.setString(12, cut(e.reasonCode(), 64));
                ps.setString(13, cut(e.detail(), 4000));
            }

            @Override
            public int getBatchSize() {
                return events.size();
            }
        });
    }

    /** Every event of one message, oldest first. */
    public List<JournalEvent> history(String messageId) {
        return jdbc.query("""
                select message_id, event, destination, at, message_type, channel, partner, source_ref,
                       correlation_id, customer_id, business_key, reason_code, detail
                from journal_event where message_id = ? order by at, id""",
                (rs, n) -> new JournalEvent(
                        rs.getString(1), JournalEvent.Kind.valueOf(rs.getString(2)), rs.getString(3),
                        OffsetDateTime.ofInstant(rs.getTimestamp(4).toInstant(), ZoneOffset.UTC),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13)),
                messageId);
    }

    /** Waits until everything queued so far has been written (tests, shutdown). */
    @Override
    public void flush() {
        List<JournalEvent> batch = new ArrayList<>();
        pending.drainTo(batch);
        writeSafely(batch);
    }

    @Override
    void loop() {
        List<JournalEvent> batch = new ArrayList<>(config.getBatchSize());
        long intervalMs = config.getFlushInterval().toMillis();
        while (running() || !pending.isEmpty()) {
            try {
                JournalEvent first = pending.poll(intervalMs, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, config.getBatchSize() - 1);
                writeSafely(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private void writeSafely(List<JournalEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            recordNow(batch);
        } catch (RuntimeException e) {
            // the journal is an index of what Kafka and Artemis hold; a failed batch is logged with
            // its ids so it can be re-indexed, and the writer goes on
            LOG.error("Journal batch of {} events not written ({}); first message id {}", batch.size(),
                    e.getMessage(), batch.get(0).messageId());
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
