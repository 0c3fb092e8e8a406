package io.intakehub.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.intakehub.cluster.StoreClusterService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The whole cluster from any instance (docs/production.md: Run a cluster): every instance that has run on this store with when it
 * was last seen (alive: within the lease TTL), and every inbox with the instance reading it. Read from the store, so
 * every instance answers the same.
 */
@RestController
@RequestMapping("/ops/v1/cluster")
public class ClusterController {

    private final StoreClusterService cluster;

    public ClusterController(StoreClusterService cluster) {
        this.cluster = cluster;
    }

    @GetMapping
    public Map<String, Object> cluster() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("answeredBy", cluster.instanceId());
        List<Map<String, Object>> instances = cluster.instances().stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instanceId", i.id());
            m.put("alive", i.alive());
            m.put("startedAt", i.startedAt().toString());
            m.put("lastSeen", i.lastSeen().toString());
            m.put("version", i.version());
            return m;
        }).toList();
        out.put("instances", instances);
        List<Map<String, Object>> inboxes = cluster.leases().stream().map(l -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("inbox", l.name());
            // null: the lease expired and nobody took it yet (its holder stopped; another takes it within a heartbeat)
            m.put("readBy", l.valid() ? l.owner() : null);
            m.put("lastHolder", l.owner());
            m.put("since", l.acquiredAt().toString());
            m.put("leaseExpiresAt", l.expiresAt().toString());
            return m;
        }).toList();
        out.put("inboxes", inboxes);
        return out;
    }
}
