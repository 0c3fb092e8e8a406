package io.intakehub.ingest.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

/**
 * Reads the form in an email body: {@code label: value} lines (Chinese or English labels, full- or
 * half-width colon; labels in {@code mappings/email/labels.yaml}) become fields, everything else
 * is free text. Quoted earlier mail and signatures are cut off. Typed fields are normalised (dates
 * to ISO-8601 in the hub's zone, numbers to plain decimals); a value that cannot be read is not
 * guessed: it is reported as unreadable and stays visible in the description.
 */
public final class EmailForm {

    /** Fields found, the free text, values that could not be read ("label: value"), and the currency seen. */
    public record Result(Map<String, String> fields, List<String> requests, String freeText, List<String> unreadable,
            String currency) {}

    private static final Pattern LABEL_LINE = Pattern.compile("^\\s*[*•·\\-]?\\s*([^:：\\n]{1,24}?)\\s*[:：]\\s*(.*)$");
    private static final Pattern QUOTE_START = Pattern.compile(
            "^(-{2,}\\s*(original message|原始邮件|forwarded message|转发邮件)\\s*-{2,}"
                    + "|on .{4,200}wrote:\\s*|在.{2,120}写道[:：]?\\s*|_{10,})$", Pattern.CASE_INSENSITIVE);
    private static final Pattern OUTLOOK_FROM = Pattern.compile("^(from|发件人)\\s*[:：].*", Pattern.CASE_INSENSITIVE);
    private static final Pattern OUTLOOK_SENT = Pattern.compile("^(sent|date|发送时间|日期)\\s*[:：].*", Pattern.CASE_INSENSITIVE);
    private static final Pattern DATE = Pattern.compile(
            "^(\\d{4})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*[日号]?(?:\\s*[T ]?\\s*(\\d{1,2})\\s*[:：时点]\\s*(\\d{1,2})?\\s*分?(?:[:：](\\d{1,2})秒?)?)?\\s*$");
    private static final Pattern REQUEST_SEPARATORS = Pattern.compile("[,，、/;；]|\\s+and\\s+|\\s+or\\s+|和|或");
    private static final Pattern ANGLE_BRACKETS = Pattern.compile("^.*<|>.*$");
    private static final Pattern LABEL_NOISE = Pattern.compile("[\\s._#\\-()（）]");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    private static final Pattern PHONE = Pattern.compile("^[0-9+()\\- ./#*转extEXT]{3,40}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");
    private static final Set<String> DATE_TIMES = Set.of("occurredAt", "requiredDelivery", "orderedAt");
    private static final Set<String> DATES = Set.of("shipDate");
    private static final Set<String> DECIMALS = Set.of("quantity", "defectiveQuantity", "unitPrice", "amountInvolved");
    /** Checked in this order (HK$ before $). */
    private static final List<Map.Entry<Pattern, String>> CURRENCIES = List.of(
            Map.entry(Pattern.compile("(?i)hkd|hk\\$|港币"), "HKD"), Map.entry(Pattern.compile("(?i)usd|us\\$|\\$|美元"), "USD"),
            Map.entry(Pattern.compile("(?i)eur|€|欧元"), "EUR"), Map.entry(Pattern.compile("(?i)cny|rmb|¥|￥|元|人民币"), "CNY"));

    private final Map<String, String> labelToField;
    private final ZoneId zone;

    public EmailForm(Map<String, List<String>> labels, ZoneId zone) {
        Map<String, String> m = new HashMap<>();
        labels.forEach((field, spellings) -> spellings.forEach(s -> m.put(normalize(s), field)));
        this.labelToField = Map.copyOf(m);
        this.zone = zone;
    }

    /** Loads the label file (file path, file: or classpath: location). */
    public static EmailForm load(String location, ZoneId zone) {
        Resource r = new DefaultResourceLoader().getResource(location);
        try (InputStream in = r.getInputStream()) {
            Map<String, List<String>> labels = new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<>() {});
            return new EmailForm(labels, zone);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the email form labels at " + location, e);
        }
    }

    /** The field a label stands for, or null. */
    public String field(String label) {
        return labelToField.get(normalize(label));
    }

    public Result read(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        StringBuilder free = new StringBuilder();
        String currency = null;
        String openField = null; // a description label's value continues on the next lines
        List<String> lines = ownLines(text);
        for (String line : lines) {
            Matcher m = LABEL_LINE.matcher(line);
            String field = m.matches() ? field(m.group(1)) : null;
            if (field != null) {
                String value = m.group(2).strip();
                openField = field.equals("description") ? field : null;
                if (value.isEmpty() || fields.containsKey(field) && !field.equals("description")) {
                    continue;
                }
                String label = m.group(1).strip();
                if (DECIMALS.contains(field)) {
                    String c = currency(value);
                    currency = currency == null ? c : currency;
                }
                String normal = normalizeValue(field, value);
                if (normal == null) {
                    unreadable.add(label + ": " + value);
                } else {
                    fields.merge(field, normal, (a, b) -> a + "\n" + b);
                }
            } else if (line.isBlank()) {
                openField = null;
                if (free.length() > 0 && !free.toString().endsWith("\n\n")) {
                    free.append('\n'); // a paragraph break
                }
            } else if (openField != null) {
                fields.merge(openField, line.strip(), (a, b) -> a + "\n" + b);
            } else {
                free.append(line.stripTrailing()).append('\n');
            }
        }
        List<String> requests = new ArrayList<>();
        String r = fields.remove("requests");
        if (r != null) {
            for (String part : REQUEST_SEPARATORS.split(r)) {
                if (!part.isBlank()) {
                    requests.add(part.strip());
                }
            }
        }
        return new Result(fields, requests, free.toString().strip(), unreadable, currency);
    }

    /** The lines the sender wrote: quoted mail ("> …", "On … wrote:", "-----Original Message-----") and signatures cut off. */
    static List<String> ownLines(String text) {
        String[] all = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            String line = all[i];
            String t = line.strip();
            if (line.equals("-- ") || line.equals("--") || QUOTE_START.matcher(t).matches()) {
                break;
            }
            if (OUTLOOK_FROM.matcher(t).matches() && i > 0 && all[i - 1].isBlank() && followedBySent(all, i)) {
                break;
            }
            if (t.startsWith(">")) {
                continue;
            }
            out.add(line);
        }
        return out;
    }

    private static boolean followedBySent(String[] lines, int from) {
        for (int j = from + 1; j < Math.min(lines.length, from + 4); j++) {
            if (OUTLOOK_SENT.matcher(lines[j].strip()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The value in canonical form, or null when it cannot be read. */
    String normalizeValue(String field, String value) {
        if (DATE_TIMES.contains(field)) {
            return dateTime(value);
        }
        if (DATES.contains(field)) {
            String dt = dateTime(value);
            return dt == null ? null : dt.substring(0, 10);
        }
        if (DECIMALS.contains(field)) {
            return decimal(value);
        }
        if (field.equals("phone") || field.equals("fax")) {
            return PHONE.matcher(value).matches() ? value : null;
        }
        if (field.equals("email")) {
            String v = ANGLE_BRACKETS.matcher(value).replaceAll("").strip();
            return EMAIL.matcher(v).matches() ? v : null;
        }
        return value;
    }

    String dateTime(String value) {
        String v = Normalizer.normalize(value, Normalizer.Form.NFKC).strip();
        try {
            return OffsetDateTime.parse(v).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException notIso) {
            // the usual ways people write dates
        }
        Matcher m = DATE.matcher(v);
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDate d = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            LocalDateTime t = m.group(4) == null ? d.atStartOfDay()
                    : d.atTime(Integer.parseInt(m.group(4)), m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                            m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
            return t.atZone(zone).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** A plain decimal from "1,200 件", "¥ 3,500.00", "12pcs"; null when there is no number or more than one. */
    static String decimal(String value) {
        String v = withoutGroupingCommas(Normalizer.normalize(value, Normalizer.Form.NFKC)).replace(" ", "");
        Matcher m = NUMBER.matcher(v);
        if (!m.find()) {
            return null;
        }
        String n = m.group();
        if (m.find()) {
            return null;
        }
        return new BigDecimal(n).toPlainString(); // the sender's scale is kept, as on the web
    }

    /** "1,200" and "1，200" as "1200": a comma between a digit and three more digits groups thousands. */
    static String withoutGroupingCommas(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean grouping = (c == ',' || c == '，') && i > 0 && isDigit(v.charAt(i - 1)) && digits(v, i + 1, 3);
            if (!grouping) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean digits(String v, int from, int n) {
        if (from + n > v.length()) {
            return false;
        }
        for (int i = from; i < from + n; i++) {
            if (!isDigit(v.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static String currency(String value) {
        for (Map.Entry<Pattern, String> e : CURRENCIES) {
            if (e.getKey().matcher(value).find()) {
                return e.getValue();
            }
        }
        return null;
    }

    static String normalize(String label) {
        return Normalizer.normalize(label, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .transform(s -> LABEL_NOISE.matcher(s).replaceAll(""));
    }
}
