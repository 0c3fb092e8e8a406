package io.intakehub.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.intakehub.cluster.StoreClusterService;
import io.intakehub.ingest.web.Problems;
import io.intakehub.shared.ReasonCode;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Route control for the IT team: every route with its status and counters, and stop / start /
 * suspend / resume of one route (e.g. pause a partner's inbox). Viewers list; operators change; every change is
 * audited. A stopped or suspended consumer shows DOWN in {@code /actuator/health} with its route id.
 * <p>
 * An inbox route (one cluster lease each, {@code io.intakehub.cluster}) runs only on the instance holding the lease;
 * elsewhere it is listed as {@code standby} and is UP in health. Stopping it on the holder pauses the inbox for the whole
 * cluster (the holder keeps the lease) and shows DOWN; starting it is refused on an instance that is not the holder
 * ({@code NOT_INBOX_HOLDER}, with the holder's name), since two instances would then read one inbox.
 */
@RestController
@RequestMapping("/ops/v1/routes")
public class RouteControlController {

    private static final List<String> ACTIONS = List.of("stop", "start", "suspend", "resume");

    private final CamelContext camel;
    private final OpsAudit audit;
    private final RouteCounters counters;
    private final StoreClusterService cluster;

    public RouteControlController(CamelContext camel, OpsAudit audit, RouteCounters counters, StoreClusterService cluster) {
        this.camel = camel;
        this.audit = audit;
        this.counters = counters;
        this.cluster = cluster;
    }

    @GetMapping
    public List<Map<String, Object>> routes() {
        List<Map<String, Object>> out = new ArrayList<>();
        camel.getRoutes().stream().sorted(Comparator.comparing(Route::getRouteId)).forEach(r -> out.add(describe(r)));
        return out;
    }

    @GetMapping("/{id}")
    public ResponseEntity<Object> route(@PathVariable("id") String id, HttpServletRequest request) {
        Route r = camel.getRoute(id);
        if (r == null) {
            return unknown(id, request);
        }
        Map<String, Object> m = describe(r);
        // the route's steps as a tree: the console's picture of the route (Hawtio's diagram is not in the registry)
        org.apache.camel.model.Model model = camel.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class);
        org.apache.camel.model.RouteDefinition def = model == null ? null : model.getRouteDefinition(id);
        if (def != null) {
            m.put("steps", steps(def.getOutputs()));
        }
        return ResponseEntity.ok(m);
    }

    private static List<Map<String, Object>> steps(List<? extends org.apache.camel.model.ProcessorDefinition<?>> outputs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (org.apache.camel.model.ProcessorDefinition<?> p : outputs) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("kind", p.getShortName());
            if (p.getId() != null) {
                step.put("id", p.getId());
            }
            step.put("label", p.getLabel());
            List<org.apache.camel.model.ProcessorDefinition<?>> inner = new ArrayList<>(p.getOutputs());
            if (p instanceof org.apache.camel.model.ChoiceDefinition c) {
                // a choice's branches, each with its condition, rather than all their steps in one list
                List<Map<String, Object>> branches = new ArrayList<>();
                for (org.apache.camel.model.WhenDefinition w : c.getWhenClauses()) {
                    branches.add(branch("when", w.getId(), w.getLabel(), w.getOutputs()));
                }
                if (c.getOtherwise() != null) {
                    branches.add(branch("otherwise", c.getOtherwise().getId(), null, c.getOtherwise().getOutputs()));
                }
                step.put("steps", branches);
                out.add(step);
                continue;
            }
            if (p instanceof org.apache.camel.model.TryDefinition t) {
                // a doTry's outputs are its try block; its doCatch and doFinally clauses are kept apart
                inner.removeAll(t.getCatchClauses());
                inner.addAll(t.getCatchClauses());
                if (t.getFinallyClause() != null && !inner.contains(t.getFinallyClause())) {
                    inner.add(t.getFinallyClause());
                }
            }
            if (!inner.isEmpty()) {
                step.put("steps", steps(inner));
            }
            out.add(step);
        }
        return out;
    }

    @PostMapping("/{id}/{action}")
    public ResponseEntity<Object> control(@PathVariable("id") String id, @PathVariable("action") String action,
            HttpServletRequest request) {
        Route r = camel.getRoute(id);
        if (r == null || !ACTIONS.contains(action)) {
            return unknown(id + "/" + action, request);
        }
        OpsUsers.User user = (OpsUsers.User) request.getAttribute(OpsGuardFilter.USER);
        ClusteredRoutePolicy inbox = StoreClusterService.inboxPolicy(r).orElse(null);
        if (inbox != null && !inbox.isLeader() && !action.equals("stop")) {
            String holder = cluster.namespaceOf(inbox).flatMap(cluster::holder).orElse(null);
            String detail = "route " + id + " reads an inbox that "
                    + (holder == null ? "no instance holds at the moment (it is taken within a heartbeat)" : "instance " + holder + " reads")
                    + "; this instance is on standby for it";
            audit.record(user.name(), "route-" + action, id, "REFUSED", detail);
            return Problems.entity(HttpStatus.CONFLICT, ReasonCode.NOT_INBOX_HOLDER, detail, request.getRequestURI(), null, new HttpHeaders());
        }
        try {
            switch (action) {
                // an inbox route on its reader is flagged meant-to-run (io.intakehub.cluster): stopped there, it is DOWN
                case "stop" -> camel.getRouteController().stopRoute(id);
                case "start" -> camel.getRouteController().startRoute(id);
                case "suspend" -> camel.getRouteController().suspendRoute(id);
                default -> camel.getRouteController().resumeRoute(id);
            }
        } catch (Exception e) {
            audit.record(user.name(), "route-" + action, id, "FAILED", e.getMessage());
            return Problems.entity(HttpStatus.INTERNAL_SERVER_ERROR, ReasonCode.INTERNAL_ERROR,
                    "route " + id + " could not " + action + ": " + e.getMessage(), request.getRequestURI(), null, new HttpHeaders());
        }
        ServiceStatus status = camel.getRouteController().getRouteStatus(id);
        audit.record(user.name(), "route-" + action, id, "OK", "now " + status);
        Map<String, Object> body = describe(camel.getRoute(id));
        body.put("action", action);
        body.put("by", user.name());
        return ResponseEntity.ok(body);
    }

    /** The cluster policy of an inbox route, or null for a route every instance runs. */
    private Map<String, Object> describe(Route r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.getRouteId());
        m.put("description", r.getDescription());
        m.put("status", String.valueOf(camel.getRouteController().getRouteStatus(r.getRouteId())));
        ClusteredRoutePolicy inbox = StoreClusterService.inboxPolicy(r).orElse(null);
        if (inbox != null) {
            // reader: this instance holds the inbox's lease; standby: another instance reads it (GET /ops/v1/cluster)
            m.put("inbox", inbox.isLeader() ? "reader" : "standby");
        }
        m.put("from", r.getEndpoint().getEndpointBaseUri());
        RouteCounters.Counts c = counters.of(r.getRouteId());
        m.put("uptimeMillis", r.getUptimeMillis());
        m.put("exchangesTotal", c.total());
        m.put("exchangesFailed", c.failed());
        m.put("exchangesInflight", camel.getInflightRepository().size(r.getRouteId()));
        m.put("meanProcessingMillis", Math.round(c.meanMillis() * 100) / 100.0);
        return m;
    }

    private static Map<String, Object> branch(String kind, String id, String label,
            List<? extends org.apache.camel.model.ProcessorDefinition<?>> outputs) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("kind", kind);
        if (id != null) {
            b.put("id", id);
        }
        b.put("label", label);
        b.put("steps", steps(outputs));
        return b;
    }

    private static ResponseEntity<Object> unknown(String what, HttpServletRequest request) {
        return Problems.entity(HttpStatus.NOT_FOUND, ReasonCode.UNKNOWN_ROUTE, "no route or action '" + what + "'",
                request.getRequestURI(), null, new HttpHeaders());
    }
}
