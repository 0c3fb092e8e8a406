package io.intakehub.ingest.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.re2j.Pattern;
import io.intakehub.shared.ReasonCode;
import io.intakehub.store.Journal;
import io.intakehub.store.JournalEvent;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/intake/{trackingId}}: where a message is, with the time of every hop. */
@RestController
@RequestMapping("/api/v1/intake")
public class IntakeStatusController {

    private static final Pattern NOT_UUID_TEXT = Pattern.compile("[^0-9a-zA-Z-]");

    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Journal journal;

    public IntakeStatusController(Journal journal) {
        this.journal = journal;
    }

    @GetMapping("/{trackingId}")
    public ResponseEntity<Object> status(@PathVariable("trackingId") String trackingId, HttpServletRequest request) {
        List<JournalEvent> events = UUID_TEXT.matcher(trackingId).matches() ? journal.history(trackingId) : List.of();
        if (events.isEmpty()) {
            return Problems.entity(HttpStatus.NOT_FOUND, ReasonCode.UNKNOWN_TRACKING_ID,
                    "no message " + NOT_UUID_TEXT.matcher(trackingId).replaceAll("?") + " in the journal",
                    request.getRequestURI(), null, new HttpHeaders());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("trackingId", trackingId);
        body.put("status", JournalEvent.status(events).name());
        events.stream().map(JournalEvent::messageType).filter(t -> t != null).findFirst().ifPresent(t -> body.put("type", t));
        events.stream().map(JournalEvent::sourceRef).filter(t -> t != null).findFirst()
                .ifPresent(t -> body.put("sourceReference", t));
        List<Map<String, Object>> hops = new ArrayList<>();
        for (JournalEvent e : events) {
            Map<String, Object> hop = new LinkedHashMap<>();
            hop.put("event", e.event().name());
            hop.put("at", e.at().toString());
            if (!e.destination().isEmpty()) {
                hop.put("destination", e.destination());
            }
            if (e.reasonCode() != null) {
                hop.put("reasonCode", e.reasonCode());
            }
            if (e.detail() != null) {
                hop.put("detail", e.detail());
            }
            hops.add(hop);
        }
        body.put("events", hops);
        return ResponseEntity.ok(body);
    }
}
