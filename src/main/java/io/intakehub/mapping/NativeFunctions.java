package io.intakehub.mapping;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.re2j.Pattern;
import com.schibsted.spt.data.jslt.Function;
import io.intakehub.canonical.CompactObjectNode;

/**
 * The value helpers every mapping calls many times per message, as native JSLT functions: the same
 * meaning as a JSLT {@code def}, at a fraction of the cost (an interpreted helper call costs about
 * 130 ns; the order mapping makes ~40). Mappings stay data; these are their vocabulary.
 * <ul>
 *   <li>{@code text(v)} trimmed text, or null when absent or blank</li>
 *   <li>{@code decimal(v)} a decimal as text, thousands separators and blanks removed; never a float</li>
 *   <li>{@code flag(v)} true/false from true/false, on/off, yes/no, y/n, 1/0, 是/否, 有/无; else the text</li>
 *   <li>{@code code(v, table)} the table's value for the lower-cased text; an unknown value passes through</li>
 *   <li>{@code items(v)} an array from an array or a text separated by , ， 、 ; ；</li>
 *   <li>{@code address(v)} {@code {"text": ...}} from one line, or the known parts of an address object</li>
 *   <li>{@code edi-datetime(v, offset)} an EDI date or date-time (YYMMDD, CCYYMMDD, CCYYMMDDHHMM[SS])
 *       as ISO-8601 at the partner's offset (EDI dates carry no zone); null when absent, the text when unreadable</li>
 *   <li>{@code qualified(items, path, codes)} the first of {@code items} (segments or loops) whose qualifier is one
 *       of {@code codes} (a text or an array of texts): {@code path} names the qualifier element ({@code "DTM01"})
 *       or, for a loop, its first segment and element ({@code "N1.N101"}); a composite qualifier counts by its first
 *       component. Null when none is</li>
 *   <li>{@code by-qualifier(segment, pairs, preferences)} the value of the most preferred qualifier in a segment of
 *       (qualifier, value) element pairs, e.g. {@code by-qualifier($po1, ["PO106", "PO107", "PO108", "PO109"], ["VP", "BP"])};
 *       null when no pair has one of them with a value</li>
 *   <li>{@code join-present(separator, v...)} the present values (arrays taken one level deep) trimmed and joined;
 *       null when none is present</li>
 *   <li>{@code counter(v)} a line or sequence number: the number when {@code v} is 1 to 6 digits, else null</li>
 * </ul>
 */
public final class NativeFunctions {

    private static final Set<String> TRUE = Set.of("true", "on", "yes", "y", "1", "是", "有");
    private static final Set<String> FALSE = Set.of("false", "off", "no", "n", "0", "否", "无");
    private static final Pattern SEPARATORS = Pattern.compile("[,，、;；]");

    private NativeFunctions() {}

    public static List<Function> all() {
        return List.of(
                fn("text", 1, (in, a) -> textNode(a[0])),
                fn("decimal", 1, (in, a) -> {
                    String s = text(a[0]);
                    return s == null ? NullNode.instance : TextNode.valueOf(stripSeparators(s));
                }),
                fn("flag", 1, (in, a) -> flag(a[0])),
                fn("code", 2, (in, a) -> {
                    String s = text(a[0]);
                    if (s == null) {
                        return NullNode.instance;
                    }
                    JsonNode mapped = a[1].get(s.toLowerCase(Locale.ROOT));
                    return mapped != null ? mapped : TextNode.valueOf(s);
                }),
                fn("money", 2, (in, a) -> money(a[0], a[1])),
                fn("items", 1, (in, a) -> items(a[0])),
                fn("address", 1, (in, a) -> address(a[0])),
                fn("edi-datetime", 2, (in, a) -> ediDateTime(text(a[0]), text(a[1]))),
                fn("qualified", 3, (in, a) -> qualified(a[0], a[1].asText(), a[2])),
                fn("by-qualifier", 3, (in, a) -> byQualifier(a[0], a[1], a[2])),
                fn("join-present", 2, MAX_JOINED + 1, (in, a) -> joinPresent(a)),
                fn("counter", 1, (in, a) -> counter(a[0])));
    }

    static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    private static JsonNode textNode(JsonNode v) {
        String s = text(v);
        if (s == null) {
            return NullNode.instance;
        }
        // a text that needed no trimming is passed on as it is (nodes are immutable), not copied
        return v.isTextual() && s == v.textValue() ? v : TextNode.valueOf(s);
    }

    private static String stripSeparators(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean sep = c == ',' || c == '_' || c == ' ';
            if (sep && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            } else if (!sep && b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** An amount with its currency, or null without an amount (as a JSLT object, a null currency is left out). */
    private static JsonNode money(JsonNode v, JsonNode currency) {
        String s = text(v);
        if (s == null) {
            return NullNode.instance;
        }
        ObjectNode m = CompactObjectNode.FACTORY.objectNode();
        m.put("amount", stripSeparators(s));
        if (currency != null && !currency.isNull() && !currency.isMissingNode()) {
            m.set("currency", currency);
        }
        return m;
    }

    private static JsonNode flag(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return NullNode.instance;
        }
        if (v.isBoolean()) {
            return v;
        }
        String s = text(v);
        if (s == null) {
            return NullNode.instance;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return BooleanNode.TRUE;
        }
        return FALSE.contains(lower) ? BooleanNode.FALSE : TextNode.valueOf(s);
    }

    private static JsonNode items(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return NullNode.instance;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (v.isArray()) {
            v.forEach(e -> {
                String s = text(e);
                if (s != null) {
                    out.add(s);
                }
            });
        } else {
            for (String part : SEPARATORS.split(v.asText())) {
                String s = part.strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static final List<String> ADDRESS_PARTS =
            List.of("text", "street", "district", "city", "region", "postalCode", "country");

    private static JsonNode address(JsonNode v) {
        ObjectNode out = CompactObjectNode.FACTORY.objectNode();
        if (v != null && v.isObject()) {
            for (String part : ADDRESS_PARTS) {
                String s = text(v.get(part));
                if (s != null) {
                    out.put(part, s);
                }
            }
        } else {
            String s = text(v);
            if (s != null) {
                out.put("text", s);
            }
        }
        return out.isEmpty() ? NullNode.instance : out;
    }

    private static JsonNode ediDateTime(String v, String offset) {
        if (v == null) {
            return NullNode.instance;
        }
        StringBuilder only = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                only.append(c);
            }
        }
        String digits = only.toString();
        String date;
        String time = "00:00:00";
        switch (digits.length()) {
            case 6 -> date = "20" + digits.substring(0, 2) + "-" + digits.substring(2, 4) + "-" + digits.substring(4, 6);
            case 8, 12, 14 -> {
                date = digits.substring(0, 4) + "-" + digits.substring(4, 6) + "-" + digits.substring(6, 8);
                if (digits.length() >= 12) {
                    time = digits.substring(8, 10) + ":" + digits.substring(10, 12) + ":"
                            + (digits.length() == 14 ? digits.substring(12, 14) : "00");
                }
            }
            default -> {
                return TextNode.valueOf(v); // the schema names it as not a date-time
            }
        }
        String zone = offset == null ? "+08:00" : offset;
        return TextNode.valueOf(date + "T" + time + zone);
    }

    /** How many values {@code join-present} takes after its separator. */
    private static final int MAX_JOINED = 32;

    /** EDI's qualified lookup (an N1 loop by its entity code, a DTM by its date qualifier, a NAD by its party). */
    private static JsonNode qualified(JsonNode items, String path, JsonNode codes) {
        if (items == null || !(items.isArray() || items.isObject())) {
            return NullNode.instance;
        }
        int dot = path.indexOf('.');
        String segment = dot < 0 ? null : path.substring(0, dot);
        String element = dot < 0 ? path : path.substring(dot + 1);
        for (JsonNode item : items.isArray() ? items : List.of(items)) {
            JsonNode holder = segment == null ? item : item.get(segment);
            if (holder != null && holder.isArray()) {
                holder = holder.get(0);
            }
            JsonNode q = holder == null ? null : holder.get(element);
            if (q != null && q.isArray()) {
                q = q.get(0);
            }
            if (q != null && q.isTextual() && matches(q.textValue(), codes)) {
                return item;
            }
        }
        return NullNode.instance;
    }

    private static boolean matches(String value, JsonNode codes) {
        if (codes.isArray()) {
            for (JsonNode c : codes) {
                if (value.equals(c.asText())) {
                    return true;
                }
            }
            return false;
        }
        return value.equals(codes.asText());
    }

    private static JsonNode byQualifier(JsonNode segment, JsonNode pairs, JsonNode preferences) {
        if (segment == null || !segment.isObject() || !pairs.isArray()) {
            return NullNode.instance;
        }
        for (JsonNode wanted : preferences.isArray() ? preferences : List.of(preferences)) {
            String w = wanted.asText();
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                if (w.equals(text(segment.get(pairs.get(i).asText())))) {
                    String value = text(segment.get(pairs.get(i + 1).asText()));
                    if (value != null) {
                        return TextNode.valueOf(value);
                    }
                }
            }
        }
        return NullNode.instance;
    }

    private static JsonNode joinPresent(JsonNode[] a) {
        String separator = a[0].asText();
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < a.length; i++) {
            if (a[i] != null && a[i].isArray()) {
                for (JsonNode v : a[i]) {
                    append(out, separator, text(v));
                }
            } else {
                append(out, separator, text(a[i]));
            }
        }
        return out.length() == 0 ? NullNode.instance : TextNode.valueOf(out.toString());
    }

    private static void append(StringBuilder out, String separator, String value) {
        if (value != null) {
            out.append(out.length() == 0 ? "" : separator).append(value);
        }
    }

    private static JsonNode counter(JsonNode v) {
        if (v == null || !v.isValueNode() || v.isNull()) {
            return NullNode.instance;
        }
        String s = v.asText();
        if (s.isEmpty() || s.length() > 6) {
            return NullNode.instance;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return NullNode.instance;
            }
            n = n * 10 + (c - '0');
        }
        return IntNode.valueOf(n);
    }

    private static Function fn(String name, int args, BiFunction<JsonNode, JsonNode[], JsonNode> body) {
        return fn(name, args, args, body);
    }

    private static Function fn(String name, int min, int max, BiFunction<JsonNode, JsonNode[], JsonNode> body) {
        return new Function() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public int getMinArguments() {
                return min;
            }

            @Override
            public int getMaxArguments() {
                return max;
            }

            @Override
            public JsonNode call(JsonNode input, JsonNode[] arguments) {
                return body.apply(input, arguments);
            }
        };
    }
}
