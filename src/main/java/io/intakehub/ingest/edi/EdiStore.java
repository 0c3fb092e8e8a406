package io.intakehub.ingest.edi;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * EDI state in the store: outbound control numbers (unique and in sequence per partner, also with
 * several hub instances: the row is locked by the increment), interchanges already received, and
 * the acknowledgements sent.
 */
@Component
public class EdiStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public EdiStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** The next control number of a kind for a partner (1, 2, 3 …). */
    public long nextControlNumber(String partner, String kind) {
        Long next = tx.execute(status -> {
            int updated = jdbc.update("update edi_control_number set last_value = last_value + 1 where partner = ? and kind = ?",
                    partner, kind);
            if (updated == 0) {
                try {
                    jdbc.update("insert into edi_control_number (partner, kind, last_value) values (?, ?, 1)", partner, kind);
                    return 1L;
                } catch (DuplicateKeyException raced) {
                    jdbc.update("update edi_control_number set last_value = last_value + 1 where partner = ? and kind = ?",
                            partner, kind);
                }
            }
            return jdbc.queryForObject("select last_value from edi_control_number where partner = ? and kind = ?",
                    Long.class, partner, kind);
        });
        return next == null ? 1L : next;
    }

    /** True when this interchange of this partner was received within the window. */
    public boolean seen(String partner, String interchange, Duration window) {
        Integer n = jdbc.queryForObject("select count(*) from edi_interchange where partner = ? and interchange = ? and received_at > ?",
                Integer.class, partner, interchange, Timestamp.from(Instant.now().minus(window)));
        return n != null && n > 0;
    }

    /** Records a received interchange (after its file was processed); a second record is a no-op. */
    public void remember(String partner, String interchange, String fileName) {
        jdbc.update("""
                insert into edi_interchange (partner, interchange, file_name, received_at) values (?, ?, ?, ?)
                on conflict do nothing""", partner, interchange, fileName, Timestamp.from(Instant.now()));
    }

    /** Records an acknowledgement the hub sent. */
    public void sent(String partner, String standard, String interchange, String groupControl, String type,
            String fileName, String acknowledges) {
        jdbc.update("""
                insert into edi_outbound (partner, standard, interchange, group_control, doc_type, file_name, acknowledges, sent_at)
                values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                partner, standard, interchange, groupControl, type, fileName, acknowledges, Timestamp.from(Instant.now()));
    }

    /**
     * Marks what an incoming acknowledgement answers. Returns true when it matched a document the
     * hub sent (by group control number for X12, interchange reference for EDIFACT).
     */
    public boolean acknowledged(String partner, String standard, String reference, String status) {
        String column = "X12".equals(standard) ? "group_control" : "interchange";
        return jdbc.update("update edi_outbound set ack_status = ?, acked_at = ? where partner = ? and standard = ? and "
                + column + " = ?", status, Timestamp.from(Instant.now()), partner, standard, reference) > 0;
    }
}
