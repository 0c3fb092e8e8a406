package io.intakehub.shared;

/**
 * Why an input was refused or dead-lettered. Every code is listed, with the same words, in the
 * reason-code table of docs/reason-codes.md (a test keeps the two in step).
 */
public enum ReasonCode {
    MALFORMED_INPUT(false, "The body cannot be read as the format it claims (broken JSON, bad form encoding).",
            "Fix the syntax and send again."),
    INVALID_INPUT(false, "The input was read but the message it makes breaks the canonical schema; each field and why is listed.",
            "Correct the listed fields and send again."),
    UNSUPPORTED_MEDIA_TYPE(false, "The Content-Type is not one the endpoint takes.",
            "Send application/json or application/x-www-form-urlencoded."),
    LIMIT_EXCEEDED(false, "The input goes past one of the hub's bounds on what one input may build (form fields, list index or entries); the limit and its setting are named.",
            "Send a smaller input (split it); operators: raise the named hub.limits.* setting only for genuine inputs."),
    PAYLOAD_TOO_LARGE(false, "The body is larger than hub.web.max-body-bytes.",
            "Split the input or ask the operators to raise the limit."),
    UNAUTHORIZED(false, "No X-Api-Key header, or a key that is not configured.",
            "Send a valid key in X-Api-Key."),
    IDEMPOTENCY_KEY_REUSED(false, "The Idempotency-Key was used before with a different body.",
            "Use a new key for a new message; repeat a key only to retry the same body."),
    IDEMPOTENCY_KEY_IN_USE(false, "Another request with the same Idempotency-Key is being processed right now.",
            "Retry after the Retry-After delay with the same key and body; it then gets that request's answer."),
    UNKNOWN_TRACKING_ID(false, "No message with this tracking id is in the journal (it follows acceptance by about a second).",
            "Check the id; if it was just accepted, ask again in a moment."),
    KAFKA_UNAVAILABLE(true, "Kafka did not acknowledge the message in time; nothing was accepted.",
            "Retry after the Retry-After delay with the same Idempotency-Key."),
    STORE_UNAVAILABLE(true, "The hub's store (idempotency keys, the duplicate guard) did not answer; nothing was accepted.",
            "Retry after the Retry-After delay with the same Idempotency-Key."),
    EDI_INVALID(false, "An EDI transaction breaks its standard or schema; the segment, element, value and expectation are listed.",
            "Partner: correct the transaction and resend it (the 997/CONTRL names each error)."),
    EDI_UNREADABLE(false, "The file is not readable as X12 or EDIFACT, or an interchange in it is cut short (no trailer).",
            "Partner: resend the complete file; transactions before the break were judged on their own."),
    UNKNOWN_PARTNER(false, "The interchange's sender is not the partner whose folder it came from, or the folder has no partner profile.",
            "Partner: send under your agreed identity; operators: check mappings/partners.yaml."),
    WRONG_RECEIVER(false, "The interchange is addressed to someone other than this hub's identity in the partner profile.",
            "Partner: address the interchange to the receiver id in your agreement."),
    DUPLICATE_INTERCHANGE(false, "An interchange with this sender and control number was already received within the duplicate window.",
            "Partner: send new data under a new control number; a true resend needs nothing further."),
    UNSUPPORTED_TRANSACTION(false, "The partner sent a transaction type or version its profile does not allow.",
            "Operators: extend the partner profile and mappings if the type should be taken."),
    PATH_NOT_ALLOWED(false, "A file name with '..', a path separator or control characters, or a file outside a partner's in/ folder.",
            "Partner: upload plain file names into your in/ folder."),
    EMAIL_TOO_LARGE(false, "The email is larger than hub.email.max-message-bytes; it was moved to the quarantine folder unread.",
            "Ask the sender for a smaller message (attachments by link), or raise the limit and replay."),
    EMAIL_TOO_COMPLEX(false, "The email has more MIME parts or deeper nesting than hub.email.max-parts / max-depth allow (a mail bomb or a forwarding loop).",
            "Operators: inspect the quarantined message; replay after raising the limits only if it is genuine."),
    EMAIL_UNREADABLE(false, "The email has no header section or cannot be parsed as MIME at all.",
            "Operators: inspect the raw bytes in the dead letter; ask the sender to resend from another client."),
    UNKNOWN_LAYOUT(false, "A phone export whose first row fits no export profile in mappings/phone/; the whole file was refused.",
            "Call centre: export with a configured layout; operators: add a profile for the new layout and drop the file again."),
    UNKNOWN_ROW_TYPE(false, "A phone export row whose call type is not one the profile knows.",
            "Call centre: use a listed call type; operators: add the value to the profile's row-type values."),
    ROW_TRUNCATED(false, "The phone export ends in the middle of its last row (an open quote or missing fields).",
            "Call centre: export the file again; the rows before it were taken."),
    ROW_TOO_LONG(false, "A phone export row longer than hub.phone.max-row-chars or with more than 1,000 fields (usually a quote that never closes).",
            "Call centre: check the quoting of the row in the receipt; operators: raise the limit only for genuine long rows."),
    CALL_ID_REUSED(false, "A phone export row has the call id of a row already taken, but different content; the first row stands.",
            "Call centre: change a taken call through the service desk, not by exporting the call again."),
    REPLY_NOT_SENT(false, "The acknowledgement to an email's sender could not be written or was refused by the mail server; the case stands, the sender was not answered.",
            "Complaint desk: answer the sender by other means (the case's journal gives the reason)."),
    OPS_UNAUTHORIZED(false, "No or wrong ops credentials (HTTP Basic) for the ops API or the actuator.",
            "Sign in with an ops user of hub.ops.users (the README names the embedded default's)."),
    FORBIDDEN(false, "The signed-in ops user's role does not allow this operation (viewers read; operators also change).",
            "Ask for an operator, or use an operator's credentials."),
    UNKNOWN_ROUTE(false, "No route with this id, or an action other than stop, start, suspend or resume.",
            "List the routes (GET /ops/v1/routes) and use one of their ids and actions."),
    NOT_INBOX_HOLDER(false, "An inbox route started on an instance that does not hold the inbox's lease: another instance of the cluster reads it.",
            "Send the request to the instance named in the answer (GET /ops/v1/cluster lists who reads which inbox)."),
    UNKNOWN_DEAD_LETTER(false, "No dead letter with this id on the dead-letter queue (replayed or discarded since, or never there).",
            "List the dead letters (GET /ops/v1/dead-letters) and use an id from the list."),
    REASON_REQUIRED(false, "An operator's discard without a reason (every discard is audited with why).",
            "Send the reason in the 'reason' parameter."),
    REPLAY_NOT_POSSIBLE(false, "A dead letter the hub cannot put back into its channel (an EDI file with no partner folder to go to, nothing kept of the original).",
            "Have the sender send it again once the cause is fixed, or discard it with the reason."),
    NO_MAPPING(false, "No mapping file matches the input's channel, format, partner and type.",
            "Operators: add the mapping under mappings/ and replay the dead letter."),
    MAPPING_FAILED(false, "The mapping raised an error on this input.",
            "Operators: fix the mapping (the dead letter holds the original bytes) and replay."),
    POISON_RECORD(false, "A record on an intake topic is not a canonical message the hub can dispatch.",
            "Operators: inspect the dead letter; find and fix the producer that wrote it."),
    PROCESSING_TIMEOUT(false, "Reading, mapping and judging the input took longer than hub.limits.processing-timeout; it was given up and the channel went on.",
            "Operators: inspect the input in the dead letter (what made it slow), fix, and replay."),
    REPEATED_FAILURE(false, "The same input failed the same way again and again (hub.limits.repeated-failures times) while its channel took other inputs: the failure is the input's, not the infrastructure's.",
            "Operators: read the error in the dead letter, fix its cause, and replay."),
    INTERNAL_ERROR(false, "An unexpected error in the hub while processing this input.",
            "Operators: read the exception in the dead letter, fix, and replay.");

    private final boolean transientFailure;
    private final String meaning;
    private final String action;

    ReasonCode(boolean transientFailure, String meaning, String action) {
        this.transientFailure = transientFailure;
        this.meaning = meaning;
        this.action = action;
    }

    /**
     * True when the sender must change the input. A synchronous channel (web) answers these
     * directly and does not dead-letter them; asynchronous channels dead-letter everything.
     */
    public boolean isSenderFault() {
        return switch (this) {
            case MALFORMED_INPUT, INVALID_INPUT, LIMIT_EXCEEDED, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, UNAUTHORIZED,
                    IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_USE, UNKNOWN_TRACKING_ID, EDI_INVALID, EDI_UNREADABLE, UNKNOWN_PARTNER,
                    WRONG_RECEIVER, DUPLICATE_INTERCHANGE, UNSUPPORTED_TRANSACTION, PATH_NOT_ALLOWED, EMAIL_TOO_LARGE,
                    EMAIL_TOO_COMPLEX, EMAIL_UNREADABLE, UNKNOWN_LAYOUT, UNKNOWN_ROW_TYPE, ROW_TRUNCATED, ROW_TOO_LONG,
                    CALL_ID_REUSED, OPS_UNAUTHORIZED, FORBIDDEN, UNKNOWN_ROUTE, NOT_INBOX_HOLDER, UNKNOWN_DEAD_LETTER, REASON_REQUIRED,
                    REPLAY_NOT_POSSIBLE -> true;
            default -> false;
        };
    }

    /** True when the same input may succeed later without change (it is retried, never dead-lettered). */
    public boolean isTransient() { return transientFailure; }
    public String meaning() { return meaning; }
    public String action() { return action; }
}
