package io.intakehub.ingest.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.FieldError;
import io.intakehub.shared.ReasonCode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem responses: {@code type} names the reason code, {@code errors} lists each bad field. */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final String TYPE_BASE = "https://intakehub.io/problems/";

    private Problems() {}

    public static Map<String, Object> body(HttpStatus status, ReasonCode reason, String detail, String instance,
            List<FieldError> errors) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("type", TYPE_BASE + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        b.put("title", reason.meaning());
        b.put("status", status.value());
        b.put("detail", detail);
        b.put("instance", instance);
        b.put("reasonCode", reason.name());
        b.put("action", reason.action());
        if (errors != null && !errors.isEmpty()) {
            b.put("errors", errors);
        }
        return b;
    }

    public static ResponseEntity<Object> entity(HttpStatus status, ReasonCode reason, String detail, String instance,
            List<FieldError> errors, HttpHeaders headers) {
        return ResponseEntity.status(status)
                .headers(headers)
                .contentType(PROBLEM_JSON)
                .body(body(status, reason, detail, instance, errors));
    }

    /** Writes a problem straight to the servlet response (filters, before Spring MVC). */
    public static void write(HttpServletResponse response, HttpStatus status, ReasonCode reason, String detail,
            String instance) throws IOException {
        response.setStatus(status.value());
        response.setContentType(PROBLEM_JSON.toString());
        response.setCharacterEncoding("UTF-8");
        CanonicalJson.mapper().writeValue(response.getOutputStream(), body(status, reason, detail, instance, null));
    }
}
