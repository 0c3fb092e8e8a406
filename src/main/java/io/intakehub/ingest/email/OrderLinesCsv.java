package io.intakehub.ingest.email;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.intakehub.ingest.phone.CsvRowReader;

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
        try (CsvRowReader csv = new CsvRowReader(new ByteArrayInputStream(bytes), "auto", separator(bytes), '"', 100_000)) {
            if (!csv.hasNext()) {
                return null;
            }
            List<String> header = csv.next().fields();
            String[] fields = new String[header.size()];
            for (int i = 0; i < header.size(); i++) {
                fields[i] = labels.field(header.get(i));
            }
            List<String> known = Arrays.asList(fields);
            if (!known.contains("quantity") || !(known.contains("productName") || known.contains("productCode"))) {
                return null;
            }
            List<Map<String, String>> lines = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            while (csv.hasNext() && lines.size() < MAX_ROWS) {
                CsvRowReader.Row row = csv.next();
                if (row.fields().stream().allMatch(String::isBlank)) {
                    continue;
                }
                Map<String, String> line = new LinkedHashMap<>();
                for (int i = 0; i < Math.min(row.fields().size(), fields.length); i++) {
                    String cell = row.fields().get(i);
                    if (fields[i] == null || cell.isBlank()) {
                        continue;
                    }
                    String value = labels.normalizeValue(fields[i], cell.strip());
                    if (value == null) {
                        unreadable.add("row " + row.number() + ", " + header.get(i) + ": " + cell);
                    } else {
                        line.put(fields[i], value);
                    }
                }
                lines.add(line);
            }
            return lines.isEmpty() ? null : new Lines(lines, unreadable);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read an attached CSV", e);
        }
    }

    /** Whichever of , ; TAB the first line has most of. */
    static char separator(byte[] bytes) {
        char best = ',';
        long most = -1;
        for (char c : new char[] {',', ';', '\t'}) {
            long n = 0;
            for (byte b : bytes) {
                if (b == '\n') {
                    break;
                }
                n += b == c ? 1 : 0;
            }
            if (n > most) {
                most = n;
                best = c;
            }
        }
        return best;
    }
}
