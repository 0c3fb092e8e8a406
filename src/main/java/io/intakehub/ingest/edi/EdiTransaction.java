package io.intakehub.ingest.edi;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One transaction set (X12 ST..SE) or message (EDIFACT UNH..UNT), read and validated: its segments
 * as a neutral JSON tree for the mapping, and where it sits in its file.
 *
 * @param index 0-based position of the transaction in the file (also the part number of its id)
 * @param tree the segments: {@code {"BEG":[{"BEG01":"00",…}], "N1_LOOP":[{"N1":[…],"N3":[…]}], …}}
 * @param errors validation errors inside the transaction (fatal ones reject it)
 * @param supported false when the hub has no schema and mapping for this type
 * @param acknowledgement true for an incoming 997/999/CONTRL (matched, never acknowledged)
 */
public record EdiTransaction(
        int index,
        String type,
        String typeVersion,
        String controlNumber,
        EdiEnvelope envelope,
        EdiEnvelope.Group group,
        EdiEnvelope.Outcome outcome,
        ObjectNode tree,
        List<EdiError> errors,
        boolean supported,
        boolean acknowledgement,
        int segmentCount) {

    public boolean valid() {
        return errors.stream().noneMatch(EdiError::fatal);
    }

    /** The natural reference of the transaction: sender, ISA13/UNB5, GS06/UNG5 and ST02/UNH1. */
    public String reference() {
        return envelope.key() + "/" + group.controlNumber + "/" + controlNumber;
    }
}
