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

    /**
     * The duplicate guard stopped a message: a {@code DUPLICATE} event linked to the first (destination
     * {@code duplicate-of:<first id>}), with the business key that matched.
     */
    public static JournalEvent duplicate(String messageId, String firstId, String messageType, String channel, String partner,
            String sourceRef, String correlationId, String customerId, String businessKey) {
        return new JournalEvent(messageId, Kind.DUPLICATE, "duplicate-of:" + firstId, OffsetDateTime.now(), messageType, channel,
                partner, sourceRef, correlationId, customerId, businessKey, null,
                "the same " + messageType + " was accepted first as " + firstId + "; this one is not delivered");
    }
}
