package io.intakehub.ingest.email;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Order lines from an attached CSV: a header row whose column names are form labels (产品编码 /
 * Product code, 品名 / Product, 规格, 数量 / Quantity, 单位, 单价 / Unit price, …), then one line per
 * row. UTF-8 (with or without BOM) or GBK; comma, semicolon or tab separated; quoted fields. A CSV
 * without a quantity column and a product column is not an order-line list.
 */
public final class OrderLinesCsv {

    /** The lines (fields named as in the web order form) and the rows that could not be read. */
    public record Lines(List<Map<String, String>> lines, List<String> unreadable) {}

    private static final int MAX_ROWS = 5000;

    private OrderLinesCsv() {}

    /** Null when the bytes are not an order-line CSV. */
    public static Lines read(byte[] bytes, EmailForm labels) {
        String text = MailCharsets.decode(bytes, "utf-8").text();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> rows = rows(text);
        if (rows.size() < 2) {
            return null;
        }
        List<String> header = rows.get(0);
        String[] fields = new String[header.size()];
        for (int i = 0; i < header.size(); i++) {
            fields[i] = labels.field(header.get(i));
        }
        List<String> known = java.util.Arrays.asList(fields);
        if (!known.contains("quantity") || !(known.contains("productName") || known.contains("productCode"))) {
            return null;
        }
        List<Map<String, String>> lines = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (int r = 1; r < rows.size() && r <= MAX_ROWS; r++) {
            List<String> row = rows.get(r);
            if (row.stream().allMatch(String::isBlank)) {
                continue;
            }
            Map<String, String> line = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(row.size(), fields.length); i++) {
                if (fields[i] == null || row.get(i).isBlank()) {
                    continue;
                }
                String value = labels.normalizeValue(fields[i], row.get(i).strip());
                if (value == null) {
                    unreadable.add("row " + (r + 1) + ", " + header.get(i) + ": " + row.get(i));
                } else {
                    line.put(fields[i], value);
                }
            }
            lines.add(line);
        }
        return new Lines(lines, unreadable);
    }

    /** RFC 4180 rows; the separator is whichever of , ; TAB the header line has most of. */
    static List<List<String>> rows(String text) {
        String first = text.lines().findFirst().orElse("");
        char sep = ',';
        long best = first.chars().filter(c -> c == ',').count();
        for (char c : new char[] {';', '\t'}) {
            long n = first.chars().filter(x -> x == c).count();
            if (n > best) {
                best = n;
                sep = c;
            }
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length() && rows.size() <= MAX_ROWS; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.length() == 0) {
                quoted = true;
            } else if (c == sep) {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        if (cell.length() > 0 || !row.isEmpty()) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }
}
