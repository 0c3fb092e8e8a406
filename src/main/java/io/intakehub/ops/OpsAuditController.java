package io.intakehub.ops;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /ops/v1/audit}: the audit trail of operators' changes, newest first (viewers may read it). */
@RestController
public class OpsAuditController {

    private final OpsAudit audit;

    public OpsAuditController(OpsAudit audit) {
        this.audit = audit;
    }

    @GetMapping("/ops/v1/audit")
    public List<Map<String, Object>> latest(@RequestParam(name = "limit", defaultValue = "100") int limit) {
        return audit.latest(Math.max(1, Math.min(1000, limit)));
    }
}
