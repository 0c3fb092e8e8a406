package io.intakehub.canonical;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A canonical message as Java sees it: the envelope of DESIGN.md with exactly one payload set.
 * The JSON Schemas under {@code schemas/canonical/} are the contract; these records mirror them
 * (a test round-trips every golden file through them).
 */
public record Envelope(
        String messageId,
        String type,
        int schemaVersion,
        String correlationId,
        Source source,
        Customer customer,
        Intake intake,
        Order order,
        Complaint complaint,
        Registration registration) {

    /** Where the message came from. */
    public record Source(String channel, String format, String partner, String reference,
            OffsetDateTime receivedAt, String fileName, Integer line) {}

    /** Who it is about; {@code id} is set once the customer is known. */
    public record Customer(String id, String name, String contactPerson, String phone, String email,
            @com.fasterxml.jackson.annotation.JsonProperty("class") String customerClass, Boolean member) {}

    /** What the intake rules decided. */
    public record Intake(int priority, Map<String, OffsetDateTime> dueTimes, String approvalTier, List<String> flags,
            String caseNumber, Money deliveryFee, String cause, String severity, String escalatedTo, String customerMatch) {}
}
