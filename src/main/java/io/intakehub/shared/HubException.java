package io.intakehub.shared;

import java.util.List;

import io.intakehub.canonical.FieldError;

/**
 * A failure the hub understands: a reason code, a sentence a person can act on, and the field-level
 * details. Thrown by parsing, mapping and validation; turned into a problem response, a dead letter
 * or a negative receipt by the channel.
 */
public class HubException extends RuntimeException {

    private final ReasonCode reason;
    private final transient List<FieldError> errors;

    public HubException(ReasonCode reason, String message) {
        this(reason, message, List.of(), null);
    }

    public HubException(ReasonCode reason, String message, Throwable cause) {
        this(reason, message, List.of(), cause);
    }

    public HubException(ReasonCode reason, String message, List<FieldError> errors, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.errors = List.copyOf(errors);
    }

    public ReasonCode reason() { return reason; }

    public List<FieldError> errors() { return errors; }
}
