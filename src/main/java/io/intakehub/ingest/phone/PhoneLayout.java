package io.intakehub.ingest.phone;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import io.intakehub.canonical.CompactObjectNode;
import io.intakehub.canonical.FieldError;
import io.intakehub.shared.ReasonCode;

/**
 * A profile bound to one file: where each logical column is in it, and the reading of a row into
 * checked, converted values (numbers as plain decimals, times as ISO-8601 with the profile's zone)
 * for the mapping. A row that cannot be read says why, with the column and the value.
 */
public final class PhoneLayout {

    /** One row read: its kind and key, the values for the mapping, or why it is refused. */
    public record RowValues(String kind, String key, ObjectNode values, ReasonCode reason, String problem, List<FieldError> errors) {

        public boolean refused() {
            return reason != null;
        }

        public boolean blank() {
            return reason == null && kind == null;
        }
    }

    private static final Pattern GROUPED = Pattern.compile("[-+]?\\d{1,3}(,\\d{3})+(\\.\\d+)?");
    private static final Pattern EXCEL_SERIAL = Pattern.compile("\\d{5}(\\.\\d+)?");
    private static final Pattern CURRENCY_SIGN = Pattern.compile("^[¥$€]\\s*");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);
    private static final LocalDateTime EXCEL_EPOCH = LocalDateTime.of(1899, 12, 30, 0, 0);

    private final PhoneProfile profile;
    private final ZoneId zone;
    private final int[] index;
    private final int headerFields;
    private final List<DateTimeFormatter> formats;
    private final Map<String, String> kindByValue = new HashMap<>();
    /** Key of the whole row: {@code key: ["*"]}. */
    static final List<String> WHOLE_ROW = List.of("*");
    private String lastRaw;
    private int run;

    private PhoneLayout(PhoneProfile profile, ZoneId zone, int[] index, int headerFields) {
        this.profile = profile;
        this.zone = zone;
        this.index = index;
        this.headerFields = headerFields;
        List<DateTimeFormatter> f = new ArrayList<>();
        for (String pattern : profile.dateFormats() == null ? List.<String>of() : profile.dateFormats()) {
            f.add(DateTimeFormatter.ofPattern(pattern, Locale.ROOT));
        }
        this.formats = List.copyOf(f);
        if (profile.rowType().values() != null) {
            profile.rowType().values().forEach((value, kind) -> kindByValue.put(norm(value), kind));
        }
    }

    /** The profile bound to a file whose first row is {@code first}, if the layout fits it. */
    static Optional<PhoneLayout> bind(PhoneProfile p, ZoneId zone, List<String> first) {
        List<PhoneProfile.Column> cols = p.columns();
        int[] index = new int[cols.size()];
        if (p.header()) {
            Map<String, Integer> at = new HashMap<>();
            for (int i = 0; i < first.size(); i++) {
                at.putIfAbsent(norm(first.get(i)), i);
            }
            for (int c = 0; c < cols.size(); c++) {
                index[c] = -1;
                for (String h : cols.get(c).headers()) {
                    Integer i = at.get(norm(h));
                    if (i != null) {
                        index[c] = i;
                        break;
                    }
                }
                if (index[c] < 0 && cols.get(c).required()) {
                    return Optional.empty();
                }
            }
            return Optional.of(new PhoneLayout(p, zone, index, first.size()));
        }
        if (!p.fieldCounts().contains(first.size())) {
            return Optional.empty();
        }
        for (int c = 0; c < cols.size(); c++) {
            index[c] = cols.get(c).position() - 1;
        }
        PhoneLayout layout = new PhoneLayout(p, zone, index, -1);
        // the first row is data: it must read as this layout's data
        RowValues probe = layout.values(first);
        return probe.errors().isEmpty() ? Optional.of(layout) : Optional.empty();
    }

    public PhoneProfile profile() {
        return profile;
    }

    /** Whether the file's first row is its header (not data). */
    public boolean firstRowIsHeader() {
        return profile.header();
    }

    /** How many of the profile's columns this file has, for the log. */
    public long columnsFound() {
        return java.util.Arrays.stream(index).filter(i -> i >= 0).count();
    }

    /**
     * Reads one data row.
     *
     * @param rowHash the hash of the row's raw text (the caller has it already; a whole-row key uses it)
     */
    public RowValues read(CsvRowReader.Row row, String rowHash) {
        if (row.tooLong()) {
            return refuse(ReasonCode.ROW_TOO_LONG, "the row is longer than hub.phone.max-row-chars; it was not read");
        }
        List<String> fields = row.fields();
        if (fields.stream().allMatch(String::isBlank)) {
            return new RowValues(null, null, null, null, "blank line", List.of());
        }
        boolean countOk = profile.header() ? fields.size() == headerFields : profile.fieldCounts().contains(fields.size());
        if (row.truncated() || (!row.lineBreak() && !countOk && fields.size() < expectedFields())) {
            return refuse(ReasonCode.ROW_TRUNCATED, row.truncated()
                    ? "the file ends inside a quoted field: the last row is incomplete"
                    : "the file ends in the middle of its last row (" + fields.size() + " of " + expectedFields() + " fields)");
        }
        if (!countOk) {
            return refuse(ReasonCode.INVALID_INPUT, "the row has " + fields.size() + " fields; the layout has "
                    + (profile.header() ? headerFields : profile.fieldCounts())
                    + " (an unquoted delimiter inside a value shifts the columns)");
        }
        RowValues v = values(fields);
        if (!v.errors().isEmpty()) {
            return new RowValues(null, null, v.values(), ReasonCode.INVALID_INPUT, v.errors().stream()
                    .map(e -> e.pointer() + ": " + e.message()).collect(java.util.stream.Collectors.joining("; ")), v.errors());
        }
        String kind = profile.rowType().fixed();
        if (kind == null) {
            String typeValue = v.values().path(profile.rowType().column()).asText("");
            kind = kindByValue.get(norm(typeValue));
            if (kind == null || profile.kinds().get(kind) == null) {
                return new RowValues(null, null, v.values(), ReasonCode.UNKNOWN_ROW_TYPE, "call type '" + typeValue
                        + "' is not one of " + profile.rowType().values().keySet() + " (profile " + profile.id() + ")",
                        List.of(new FieldError(profile.rowType().column(), "unknown call type '" + typeValue + "'")));
            }
        }
        return new RowValues(kind, key(v, row.raw(), rowHash), v.values(), null, null, List.of());
    }

    /**
     * The row's key: the key columns' values joined by {@code |}; for {@code key: ["*"]} (records with no
     * id of their own, such as CDRs) the row's content, with identical neighbouring rows counted apart
     * (#1, #2 …: a call fanned out to several phones writes the same line once per leg).
     */
    private String key(RowValues v, String raw, String rowHash) {
        if (WHOLE_ROW.equals(profile.key())) {
            run = raw.equals(lastRaw) ? run + 1 : 1;
            lastRaw = raw;
            return "row:" + rowHash + "#" + run;
        }
        StringBuilder key = new StringBuilder();
        for (String k : profile.key()) {
            if (key.length() > 0) {
                key.append('|');
            }
            key.append(v.values().path(k).asText(""));
        }
        return key.toString();
    }

    private int expectedFields() {
        return profile.header() ? headerFields : profile.fieldCounts().stream().mapToInt(Integer::intValue).min().orElse(0);
    }

    private RowValues values(List<String> fields) {
        ObjectNode out = CompactObjectNode.FACTORY.objectNode();
        List<FieldError> errors = new ArrayList<>();
        List<PhoneProfile.Column> cols = profile.columns();
        for (int c = 0; c < cols.size(); c++) {
            PhoneProfile.Column col = cols.get(c);
            String raw = index[c] >= 0 && index[c] < fields.size() ? fields.get(index[c]).strip() : "";
            if (raw.isEmpty()) {
                if (col.required()) {
                    errors.add(new FieldError(col.name(), "required, but empty"));
                }
                continue;
            }
            try {
                out.put(col.name(), convert(col.valueType(), raw));
            } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
                errors.add(new FieldError(col.name(), "'" + raw + "' is not " + describe(col.valueType())));
            }
        }
        return new RowValues(null, null, out, null, null, errors);
    }

    private String convert(PhoneProfile.ValueType type, String raw) {
        return switch (type) {
            case TEXT -> raw;
            case DECIMAL -> number(raw).toPlainString();
            case INTEGER -> number(raw).toBigIntegerExact().toString();
            case DATETIME -> ISO.format(dateTime(raw));
            case DATE -> dateTime(raw).toLocalDate().toString();
        };
    }

    private static BigDecimal number(String raw) {
        // full-width digits (１２３) and a currency sign in front are common in Chinese exports
        String s = CURRENCY_SIGN.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKC).strip()).replaceFirst("");
        if (GROUPED.matcher(s).matches()) {
            s = s.replace(",", "");
        }
        return new BigDecimal(s);
    }

    private OffsetDateTime dateTime(String raw) {
        String s = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        if (profile.excelSerialDates() && EXCEL_SERIAL.matcher(s).matches()) {
            // Excel's day number (1900 system): days since 1899-12-30, the fraction is the time of day
            BigDecimal days = new BigDecimal(s);
            long seconds = days.remainder(BigDecimal.ONE).multiply(BigDecimal.valueOf(86_400))
                    .setScale(0, java.math.RoundingMode.HALF_UP).longValue();
            return EXCEL_EPOCH.plusDays(days.longValue()).plusSeconds(seconds).atZone(zone).toOffsetDateTime();
        }
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException notIso) {
            // try the profile's patterns
        }
        for (DateTimeFormatter f : formats) {
            try {
                var parsed = f.parseBest(s, LocalDateTime::from, LocalDate::from);
                LocalDateTime local = parsed instanceof LocalDateTime t ? t : ((LocalDate) parsed).atStartOfDay();
                return local.atZone(zone).toOffsetDateTime().truncatedTo(ChronoUnit.SECONDS);
            } catch (DateTimeParseException next) {
                // the next pattern
            }
        }
        throw new DateTimeParseException("no date format of the profile reads it", s, 0);
    }

    private String describe(PhoneProfile.ValueType type) {
        return switch (type) {
            case DECIMAL -> "a number";
            case INTEGER -> "a whole number";
            case DATETIME, DATE -> "a date/time in one of " + (profile.dateFormats() == null ? List.of() : profile.dateFormats())
                    + (profile.excelSerialDates() ? " or an Excel day number" : "");
            case TEXT -> "text";
        };
    }

    private static RowValues refuse(ReasonCode reason, String problem) {
        return new RowValues(null, null, null, reason, problem, List.of());
    }

    /** Header and type values compare without case, blanks, _ or - (and full-width forms folded). */
    static String norm(String s) {
        String n = Normalizer.normalize(s == null ? "" : s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char ch = n.charAt(i);
            if (!Character.isWhitespace(ch) && ch != '_' && ch != '-' && ch != '\uFEFF') {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
