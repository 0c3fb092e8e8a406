package io.intakehub.canonical;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/** The order payload (DOMAIN.md section 2). */
public record Order(
        String customerOrderNumber,
        String orderType,
        OffsetDateTime orderedAt,
        OffsetDateTime requiredDelivery,
        Boolean urgent,
        Address deliveryAddress,
        @JsonSerialize(using = ToStringSerializer.class) BigDecimal deliveryDistanceKm,
        String receivingDepartment,
        String contactPerson,
        String phone,
        String paymentMethod,
        String settlementDocument,
        String packaging,
        String shippingMethod,
        String remarks,
        String originalDeliveryNote,
        String returnReason,
        String currency,
        List<Line> lines,
        Money totalAmount,
        List<Attachment> attachments) {

    /** One order line. */
    public record Line(int lineNumber, Product product,
            @JsonSerialize(using = ToStringSerializer.class) BigDecimal quantity,
            String unit, Money unitPrice, Money lineAmount, Boolean special, String remarks) {}
}
