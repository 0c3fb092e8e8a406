package io.intakehub.canonical;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/** The complaint payload (DOMAIN.md section 3). */
public record Complaint(
        String customerReference,
        OffsetDateTime occurredAt,
        String orderNumber,
        String batchNumber,
        LocalDate shipDate,
        Product product,
        @JsonSerialize(using = ToStringSerializer.class) BigDecimal defectiveQuantity,
        String description,
        List<String> requests,
        Money amountInvolved,
        String reportedCause,
        String responsiblePerson,
        String workOrderNumber,
        Boolean sampleAttached,
        FollowUp followUpOf,
        List<Attachment> attachments) {

    /** The case a follow-up adds to. */
    public record FollowUp(String caseNumber, String messageId) {}
}
