package io.intakehub.ingest.phone;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One export layout of {@code mappings/phone/<id>.profile.yaml}: how to read the file (delimiter,
 * quote, encoding, zone, date formats), where each logical column is (by header name in English or
 * Chinese, or by position), which column says what a row is, and what happens to each kind of row
 * (a mapping to a canonical message, the journal only, or a contact event). {@code docs/channels/phone.md}
 * documents the fields.
 *
 * @param id short name; also the message ids' partner part and the de-duplication scope
 * @param format {@code source.format} of the canonical messages
 * @param header true when the first row holds column names (matched case- and blank-insensitively)
 * @param fieldCounts for a layout by position: the numbers of fields a row may have
 * @param rowType which column holds the row type and how its values read; {@code fixed} for one-kind files
 * @param kinds row kind → {@code mapping:<name>} (mappings/phone/&lt;name&gt;-to-&lt;type&gt;.jslt),
 *     {@code journal} (recorded, not delivered) or {@code contact} (a contact event on the customer)
 * @param key the columns whose values identify a row across files (the call id)
 * @param receivedAt the time column that says when the company received the row (the call's start);
 *     without it, the time the file was read
 * @param contact for {@code contact} rows: contact-event field → column
 */
public record PhoneProfile(
        String id,
        String description,
        String format,
        boolean header,
        String delimiter,
        String quote,
        String encoding,
        String zone,
        @JsonProperty("date-formats") List<String> dateFormats,
        @JsonProperty("excel-serial-dates") boolean excelSerialDates,
        @JsonProperty("field-counts") List<Integer> fieldCounts,
        List<Column> columns,
        @JsonProperty("row-type") RowType rowType,
        Map<String, String> kinds,
        List<String> key,
        @JsonProperty("received-at") String receivedAt,
        Map<String, String> contact) {

    /** The kinds of column value the reader checks and converts before mapping. */
    public enum ValueType { TEXT, DECIMAL, INTEGER, DATETIME, DATE }

    /**
     * A logical column.
     *
     * @param name the name the mapping reads ({@code .callId})
     * @param headers the header texts that name it (header layouts)
     * @param position 1-based (layouts by position)
     * @param required a row without a value here is rejected
     */
    public record Column(String name, List<String> headers, Integer position, String type, boolean required) {

        public ValueType valueType() {
            return type == null ? ValueType.TEXT : ValueType.valueOf(type.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * @param column the logical column holding the type
     * @param values the column's values (any case) → row kind
     * @param fixed every row is of this kind (no type column)
     */
    public record RowType(String column, Map<String, String> values, String fixed) {}

    /** What a row kind turns into. */
    public enum Disposition { MAPPING, JOURNAL, CONTACT }

    public Disposition disposition(String kind) {
        String d = kinds.get(kind);
        if (d == null) {
            return null;
        }
        if (d.startsWith("mapping:")) {
            return Disposition.MAPPING;
        }
        return "contact".equals(d) ? Disposition.CONTACT : Disposition.JOURNAL;
    }

    /** The mapping name for a {@code mapping:<name>} kind. */
    public String mapping(String kind) {
        String d = kinds.get(kind);
        return d != null && d.startsWith("mapping:") ? d.substring("mapping:".length()) : null;
    }

    /** A reader of a file in this profile's delimiter, quote and encoding. */
    public CsvRowReader reader(java.io.InputStream bytes, int maxRowChars) throws java.io.IOException {
        return new CsvRowReader(bytes, encoding == null ? "auto" : encoding, delimiterChar(), quoteChar(), maxRowChars);
    }

    public char delimiterChar() {
        return delimiter == null || delimiter.isEmpty() ? ',' : "\\t".equals(delimiter) ? '\t' : delimiter.charAt(0);
    }

    public char quoteChar() {
        return quote == null || quote.isEmpty() ? '"' : quote.charAt(0);
    }
}
