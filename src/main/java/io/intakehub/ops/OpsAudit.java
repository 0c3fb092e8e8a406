package io.intakehub.ops;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The audit trail of operators' changes (table {@code ops_audit}), also logged. */
@Component
public class OpsAudit {

    private static final Logger LOG = LoggerFactory.getLogger(OpsAudit.class);

    private final JdbcTemplate jdbc;

    public OpsAudit(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String user, String action, String target, String outcome, String detail) {
        jdbc.update("insert into ops_audit (at, username, action, target, outcome, detail) values (?, ?, ?, ?, ?, ?)",
                Timestamp.from(Instant.now()), user, action, target, outcome, detail == null ? null : detail.substring(0, Math.min(2000, detail.length())));
        LOG.info("Audit: {} {} {} -> {}{}", user, action, target, outcome, detail == null ? "" : " (" + detail + ")");
    }

    /** The newest entries first. */
    public List<Map<String, Object>> latest(int limit) {
        return jdbc.queryForList("select at, username, action, target, outcome, detail from ops_audit order by id desc limit ?", limit);
    }
}
