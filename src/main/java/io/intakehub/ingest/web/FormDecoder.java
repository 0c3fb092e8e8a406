package io.intakehub.ingest.web;

import java.net.URLDecoder;
import java.nio.charset.Charset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;

/**
 * Decodes {@code application/x-www-form-urlencoded} into the same JSON tree a JSON client would
 * send: {@code lines[0].productCode=A1} becomes {@code {"lines":[{"productCode":"A1"}]}}, a name
 * given twice becomes an array. Every value stays a string; the mapping decides types.
 */
public final class FormDecoder {

    static final int MAX_DEPTH = 8;
    /** Indices in one name segment at the most: {@code a[1][2]}. */
    static final int MAX_DIMENSIONS = 2;
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]{0,63})((?:\\[\\d{1,4}\\]){0,2})");

    /**
     * What one post may build: fields, the highest index and the list entries it creates in all (indices leave gaps
     * that are filled, so {@code a[999]} alone makes a thousand).
     */
    public record Limits(int maxFields, int maxIndex, int maxListItems) {
        public static final Limits DEFAULT = new Limits(1000, 999, 10_000);
    }

    /** List entries left to create in one post. */
    private static final class Budget {
        int listItems;

        Budget(int listItems) {
            this.listItems = listItems;
        }
    }
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d{1,4})\\]");

    private FormDecoder() {}

    public static ObjectNode decode(String body, Charset charset) {
        return decode(body, charset, Limits.DEFAULT);
    }

    public static ObjectNode decode(String body, Charset charset, Limits limits) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (body.isBlank()) {
            return root;
        }
        String[] pairs = body.split("&", -1);
        if (pairs.length > limits.maxFields()) {
            throw new HubException(ReasonCode.LIMIT_EXCEEDED, "the form has more than " + limits.maxFields()
                    + " fields (hub.limits.form-max-fields)");
        }
        Budget budget = new Budget(limits.maxListItems());
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), charset);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), charset);
            } catch (IllegalArgumentException e) {
                throw new HubException(ReasonCode.MALFORMED_INPUT, "bad percent-encoding in form field near '"
                        + abbreviate(pair) + "'");
            }
            put(root, name, value, limits, budget);
        }
        return root;
    }

    private static void put(ObjectNode root, String name, String value, Limits limits, Budget budget) {
        String[] parts = name.split("\\.", -1);
        if (parts.length > MAX_DEPTH) {
            throw new HubException(ReasonCode.MALFORMED_INPUT, "form field name '" + abbreviate(name) + "' nests too deep");
        }
        JsonNode current = root;
        for (int p = 0; p < parts.length; p++) {
            Matcher m = SEGMENT.matcher(parts[p]);
            if (!m.matches()) {
                throw new HubException(ReasonCode.MALFORMED_INPUT, "form field name '" + abbreviate(name)
                        + "' is not of the form name, name.sub, name[0].sub or name[0][1] (four digits and two indices at the most)");
            }
            boolean last = p == parts.length - 1;
            String key = m.group(1);
            Matcher idx = INDEX.matcher(m.group(2));
            ObjectNode obj = (ObjectNode) current;
            if (!idx.find()) {
                if (last) {
                    setOrAppend(obj, key, value);
                    return;
                }
                current = child(obj, key, name);
                continue;
            }
            // name[i][j]... : walk the arrays
            JsonNode container = obj.get(key);
            if (container == null) {
                container = obj.putArray(key);
            } else if (!container.isArray()) {
                throw conflict(name);
            }
            ArrayNode arr = (ArrayNode) container;
            while (true) {
                int i = Integer.parseInt(idx.group(1));
                if (i > limits.maxIndex()) {
                    throw new HubException(ReasonCode.LIMIT_EXCEEDED, "form field '" + abbreviate(name) + "' has an index above "
                            + limits.maxIndex() + " (hub.limits.form-max-index)");
                }
                if (arr.size() <= i) {
                    budget.listItems -= i + 1 - arr.size();
                    if (budget.listItems < 0) {
                        throw new HubException(ReasonCode.LIMIT_EXCEEDED, "the form's list fields make more than "
                                + limits.maxListItems() + " entries in all (hub.limits.form-max-list-items)");
                    }
                }
                while (arr.size() <= i) {
                    arr.addNull();
                }
                boolean more = idx.find();
                if (!more) {
                    if (last) {
                        arr.set(i, JsonNodeFactory.instance.textNode(value));
                        return;
                    }
                    if (arr.get(i).isNull()) {
                        arr.set(i, JsonNodeFactory.instance.objectNode());
                    } else if (!arr.get(i).isObject()) {
                        throw conflict(name);
                    }
                    current = arr.get(i);
                    break;
                }
                if (arr.get(i).isNull()) {
                    arr.set(i, JsonNodeFactory.instance.arrayNode());
                } else if (!arr.get(i).isArray()) {
                    throw conflict(name);
                }
                arr = (ArrayNode) arr.get(i);
            }
        }
    }

    private static ObjectNode child(ObjectNode obj, String key, String name) {
        JsonNode existing = obj.get(key);
        if (existing == null) {
            return obj.putObject(key);
        }
        if (!existing.isObject()) {
            throw conflict(name);
        }
        return (ObjectNode) existing;
    }

    private static void setOrAppend(ObjectNode obj, String key, String value) {
        JsonNode existing = obj.get(key);
        if (existing == null) {
            obj.put(key, value);
        } else if (existing.isArray()) {
            ((ArrayNode) existing).add(value);
        } else if (existing.isTextual()) {
            ArrayNode arr = obj.putArray(key);
            arr.add(existing).add(value);
        } else {
            throw new HubException(ReasonCode.MALFORMED_INPUT, "form field '" + key + "' is used both as a value and as a group");
        }
    }

    private static HubException conflict(String name) {
        return new HubException(ReasonCode.MALFORMED_INPUT, "form field '" + abbreviate(name)
                + "' conflicts with another field of the same name");
    }

    private static String abbreviate(String s) {
        String clean = CONTROL.matcher(s).replaceAll("?");
        return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
    }
}
