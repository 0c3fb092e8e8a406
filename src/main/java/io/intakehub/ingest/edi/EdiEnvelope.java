package io.intakehub.ingest.edi;

import java.util.ArrayList;
import java.util.List;

/**
 * What the hub learns from one interchange's envelope (ISA/IEA or UNB/UNZ) and its groups, and what
 * became of each transaction in it: everything an acknowledgement needs.
 */
public final class EdiEnvelope {

    /** A functional group (GS/GE, UNG/UNE); EDIFACT messages outside a group share an implicit one. */
    public static final class Group {
        public String functionalId = "";
        public String controlNumber = "";
        public String version = "";
        public String senderId = "";
        public String receiverId = "";
        public boolean explicit;
        public final List<EdiError> errors = new ArrayList<>();
        public final List<Outcome> transactions = new ArrayList<>();
        public boolean closed;
    }

    /** What happened to one transaction (filled in by the ingest route as it goes). */
    public static final class Outcome {
        public final String type;
        public final String controlNumber;
        public final String typeVersion;
        public final List<EdiError> errors = new ArrayList<>();
        public volatile Status status = Status.PENDING;
        public volatile String messageId;
        public volatile String reasonCode;

        public Outcome(String type, String controlNumber, String typeVersion) {
            this.type = type;
            this.controlNumber = controlNumber;
            this.typeVersion = typeVersion;
        }
    }

    /** An acknowledgement's verdict on a transaction. */
    public enum Status { PENDING, ACCEPTED, REJECTED, ACKNOWLEDGEMENT }

    public String standard = "";
    /** ISA12 (X12) or the syntax identifier and version of UNB01 (EDIFACT), e.g. {@code UNOA:4}. */
    public String version = "";
    public String senderQualifier = "";
    public String senderId = "";
    public String receiverQualifier = "";
    public String receiverId = "";
    public String controlNumber = "";
    public String date = "";
    public String time = "";
    public boolean ackRequested;
    /** Delimiters as read, for writing the acknowledgement in kind. */
    public char segmentTerminator = '~';
    public char elementSeparator = '*';
    public char componentSeparator = ':';
    public Character repetitionSeparator;
    public final List<EdiError> errors = new ArrayList<>();
    public final List<Group> groups = new ArrayList<>();
    public boolean closed;
    /** The partner it was resolved to, once the ingest route has checked the profile. */
    public volatile String partnerId;
    /** Why the whole interchange is refused (unknown partner, wrong receiver, duplicate), or null. */
    public volatile String rejection;
    public volatile String rejectionText;

    public boolean isX12() {
        return "X12".equals(standard);
    }

    public boolean hasFatalErrors() {
        return errors.stream().anyMatch(EdiError::fatal);
    }

    /** The interchange's natural key within its sender: ISA13 or UNB5. */
    public String key() {
        return senderQualifier + ":" + senderId + "/" + controlNumber;
    }
}
