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
     * The path a message takes; later kinds win when the status is summarised (events after the last
     * {@code REPLAYED} count, see {@link #status}). {@code RECORDED}: kept in the journal only, never delivered (a
     * phone inquiry). {@code DUPLICATE}: the duplicate guard found the same order or complaint accepted before; its
     * destination is {@code duplicate-of:<first id>}, and it is not delivered. {@code REPLAYED}: an operator replayed
     * its dead letter (destination {@code replay:<dead letter id>}, the outcome in the detail). {@code RECEIPT_SENT}:
     * the sender's acknowledgement (an email reply, a 997/CONTRL) went out.
     */
    public enum Kind { RECEIVED, REPLAYED, RECORDED, DUPLICATE, ACCEPTED, RECEIPT_SENT, DISPATCHED, DEAD_LETTERED }

    /**
     * Where a message stands: the latest kind (by the order above) among its events since its last successful
     * replay — a dead letter that was replayed and then accepted is ACCEPTED, not DEAD_LETTERED. A replay that failed
     * (it has a reason code) leaves the dead letter where it was.
     */
    public static Kind status(java.util.List<JournalEvent> events) {
        OffsetDateTime replayed = events.stream().filter(e -> e.event() == Kind.REPLAYED && e.reasonCode() == null).map(JournalEvent::at)
                .max(OffsetDateTime::compareTo).orElse(null);
        return events.stream().filter(e -> replayed == null || (e.event() != Kind.REPLAYED && !e.at().isBefore(replayed)))
                .map(JournalEvent::event).max(Enum::compareTo)
                .orElse(replayed == null ? null : Kind.REPLAYED);
    }

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
