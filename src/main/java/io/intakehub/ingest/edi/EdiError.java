package io.intakehub.ingest.edi;

/**
 * One thing wrong in an EDI file, located the way an EDI analyst looks for it: which segment (tag
 * and position in its transaction or envelope), which element and component, which data element,
 * the value found and what was expected.
 *
 * @param code a StAEDI validation error name ({@code INVALID_CODE_VALUE}) or one of the hub's own
 *     ({@code TRUNCATED}, {@code UNKNOWN_PARTNER}, …)
 * @param fatal false for a warning that does not reject anything (e.g. a sloppy envelope date)
 */
public record EdiError(String code, String segmentTag, int segmentPosition, int elementPosition,
        int componentPosition, String dataElement, String found, boolean fatal, String message) {

    /** A sentence for people: where, what was found, what was expected. */
    public String explain() {
        StringBuilder b = new StringBuilder();
        if (segmentTag != null && !segmentTag.isEmpty()) {
            b.append("segment ").append(segmentTag);
            if (segmentPosition > 0) {
                b.append(" at position ").append(segmentPosition);
            }
            if (elementPosition > 0) {
                b.append(", element ").append(elementPosition);
                if (componentPosition > 0) {
                    b.append(" component ").append(componentPosition);
                }
            }
            if (dataElement != null && !dataElement.isEmpty() && !dataElement.equals(segmentTag)) {
                b.append(" (data element ").append(dataElement).append(')');
            }
            b.append(": ");
        }
        b.append(message != null ? message : describe(code));
        if (found != null && !found.isEmpty()) {
            b.append(" — found '").append(found).append('\'');
        }
        return b.toString();
    }

    static String describe(String code) {
        return switch (code) {
            case "INVALID_CODE_VALUE" -> "not a valid code for this element";
            case "REQUIRED_DATA_ELEMENT_MISSING" -> "a required element is missing";
            case "DATA_ELEMENT_TOO_LONG" -> "the value is longer than the element allows";
            case "DATA_ELEMENT_TOO_SHORT" -> "the value is shorter than the element allows";
            case "INVALID_CHARACTER_DATA" -> "the value has characters the element does not allow (e.g. letters in a number)";
            case "INVALID_DATE" -> "not a valid date";
            case "INVALID_TIME" -> "not a valid time";
            case "TOO_MANY_DATA_ELEMENTS" -> "more elements than the segment has";
            case "TOO_MANY_COMPONENTS" -> "more components than the element has";
            case "TOO_MANY_REPETITIONS" -> "more repetitions than the element allows";
            case "MANDATORY_SEGMENT_MISSING" -> "a mandatory segment is missing";
            case "UNEXPECTED_SEGMENT" -> "a segment that does not belong here";
            case "SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET" -> "a segment this transaction set does not define";
            case "SEGMENT_NOT_IN_PROPER_SEQUENCE" -> "a segment out of sequence";
            case "SEGMENT_EXCEEDS_MAXIMUM_USE" -> "the segment repeats more often than allowed";
            case "LOOP_OCCURS_OVER_MAXIMUM_TIMES" -> "the loop repeats more often than allowed";
            case "CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT" -> "the count in the trailer does not match what was received";
            case "CONTROL_REFERENCE_MISMATCH" -> "the control number in the trailer does not match the header";
            default -> code.toLowerCase().replace('_', ' ');
        };
    }
}
