package io.intakehub.config;

import java.util.Set;

/**
 * Exchange header names the hub sets itself. Inputs can never set them: every channel consumer
 * builds its exchange from an allow-list (see {@code WebIntakeController}), so these are trusted.
 */
public final class HubHeaders {

    public static final String PREFIX = "Hub";

    public static final String MESSAGE_ID = "HubMessageId";
    public static final String CORRELATION_ID = "HubCorrelationId";
    public static final String MESSAGE_TYPE = "HubMessageType";
    public static final String SOURCE_TYPE = "HubSourceType";
    public static final String CHANNEL = "HubChannel";
    public static final String FORMAT = "HubFormat";
    /** The folder under mappings/ that holds this input's mappings (e.g. web-form, edi-x12). */
    public static final String MAPPING_FORMAT = "HubMappingFormat";
    public static final String PARTNER = "HubPartner";
    public static final String SOURCE_REF = "HubSourceRef";
    public static final String RECEIVED_AT = "HubReceivedAt";
    /** The input file a message came from (EDI, phone exports). */
    public static final String FILE_NAME = "HubFileName";
    /** The line of the input file a row starts on (phone exports). */
    public static final String LINE = "HubLine";
    /** A phone export's header row as written (on a bad row's dead letter, to replay the row alone). */
    public static final String HEADER_ROW = "HubHeaderRow";
    public static final String CLIENT_ID = "HubClientId";
    public static final String BUSINESS_KEY = "HubBusinessKey";
    public static final String PRIORITY = "HubPriority";
    public static final String TARGET_QUEUE = "HubTargetQueue";

    // dead-letter headers (also JMS properties on intake.dead-letters)
    public static final String REASON_CODE = "HubReasonCode";
    public static final String REASON_TEXT = "HubReasonText";
    public static final String ROUTE_ID = "HubRouteId";
    /** The endpoint (stage) the failing step was sending to, e.g. direct://canonical-map. */
    public static final String FAILED_ENDPOINT = "HubFailedEndpoint";
    public static final String EXCEPTION_CLASS = "HubExceptionClass";
    public static final String EXCEPTION_MESSAGE = "HubExceptionMessage";
    public static final String ATTEMPTS = "HubAttempts";
    public static final String DEAD_LETTERED_AT = "HubDeadLetteredAt";
    public static final String ORIGINAL_TOPIC = "HubOriginalTopic";
    /** SHA-256 of the dead-lettered input's original bytes (lower-case hex). */
    public static final String INPUT_SHA256 = "HubInputSha256";
    /** The id a dead letter is journaled and searched under (its message id, or one made from its identity). */
    public static final String JOURNAL_ID = "HubJournalId";

    /** Artemis' duplicate-detection property. */
    public static final String ARTEMIS_DUPLICATE_ID = "_AMQ_DUPL_ID";

    /** Set by the duplicate guard: the id of the message that came first with the same business key. */
    public static final String DUPLICATE_OF = "HubDuplicateOf";
    /** That business key (customer or partner + order number; customer + complaint text hash). */
    public static final String DUPLICATE_KEY = "HubDuplicateKey";
    /** On dispatch: "true" when the rules escalated the complaint (it also goes to the escalations queue). */
    public static final String ESCALATED = "HubEscalated";

    /** The only headers a canonical record carries on Kafka; everything else is dropped before the write. */
    public static final Set<String> ENVELOPE_HEADERS =
            Set.of(MESSAGE_ID, CORRELATION_ID, MESSAGE_TYPE, CHANNEL, FORMAT, PARTNER, SOURCE_REF, RECEIVED_AT);

    private HubHeaders() {}
}
