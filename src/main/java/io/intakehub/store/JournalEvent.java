package io.intakehub.store;

import java.time.OffsetDateTime;

/**
 * One thing that happened to one message. {@code destination} tells apart events of the same kind
 * (the topic it was accepted on, the queue it was dispatched to).
 */
public record JournalEvent(
        String messageId,
        Kind event,
        String destination,
        OffsetDateTime at,
        String messageType,
        String channel,
        String partner,
        String sourceRef,
        String correlationId,
        String customerId,
        String businessKey,
        String reasonCode,
        String detail) {

    /**
     * The path a message takes; later kinds win when the status is summarised. {@code RECORDED}: kept in
     * the journal only, never delivered (a phone inquiry). {@code DUPLICATE}: the duplicate guard found the same
     * order or complaint accepted before; its destination is {@code duplicate-of:<first id>}, and it is not delivered.
     */
    public enum Kind { RECEIVED, RECORDED, DUPLICATE, ACCEPTED, DISPATCHED, DEAD_LETTERED }
}
