package io.intakehub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * One length contract: every string the canonical schemas allow fits the store column it is written to, and the
 * columns that hold keys built from outside values are at least as wide as the hash-cut ({@code Hashes.fitted})
 * their writers use. Reads the Flyway scripts in order (create table, then each {@code alter column … set data
 * type}) and the JSON Schemas (following {@code $ref}), so a narrowed column or a widened schema fails here, not in
 * production as a value that cannot be stored.
 */
class StoreLengthsTest {

    static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    static final Path SCHEMAS = Path.of("src/main/resources/schemas/canonical");

    /** Columns written from a canonical field: table.column -> schema file # pointer of the field. */
    static final Map<String, List<String>> FROM_SCHEMA = Map.ofEntries(
            Map.entry("customer.customer_number", List.of("common.v1.json#/$defs/customer/properties/id",
                    "customer-registration.v1.json#/$defs/registration/properties/existingCustomerId")),
            Map.entry("customer.name", List.of("common.v1.json#/$defs/customer/properties/name",
                    "customer-registration.v1.json#/$defs/registration/properties/name")),
            Map.entry("customer.contact_person", List.of("common.v1.json#/$defs/customer/properties/contactPerson",
                    "customer-registration.v1.json#/$defs/registration/properties/contactPerson")),
            Map.entry("customer.region", List.of("customer-registration.v1.json#/$defs/registration/properties/region")),
            Map.entry("customer.delivery_route", List.of("customer-registration.v1.json#/$defs/registration/properties/deliveryRoute")),
            Map.entry("customer.address", List.of("customer-registration.v1.json#/$defs/registration/properties/address")),
            Map.entry("customer_contact.customer_number", List.of("common.v1.json#/$defs/customer/properties/id")),
            Map.entry("customer_contact.value_text", List.of("common.v1.json#/$defs/phone", "common.v1.json#/$defs/email")),
            Map.entry("customer_contact.value_key", List.of("common.v1.json#/$defs/phone", "common.v1.json#/$defs/email")),
            Map.entry("customer_claim.customer_number", List.of("common.v1.json#/$defs/customer/properties/id")),
            Map.entry("journal_event.customer_id", List.of("common.v1.json#/$defs/customer/properties/id")),
            Map.entry("journal_event.source_ref", List.of("common.v1.json#/$defs/source/properties/reference")),
            Map.entry("contact_event.customer_number", List.of("common.v1.json#/$defs/customer/properties/id")),
            Map.entry("email_case.sender", List.of("common.v1.json#/$defs/email")));

    /** Columns holding a key or id built from outside values, cut by Hashes.fitted to this width where written. */
    static final Map<String, Integer> FITTED = Map.of(
            "journal_event.message_id", 64, "journal_event.destination", 200, "journal_event.partner", 128,
            "journal_event.correlation_id", 256, "journal_event.business_key", 256, "business_key.bkey", 300,
            "customer_claim.claim_key", 330, "idempotency_key.idem_key", 256, "email_case.mail_message_id", 500);

    @Test
    void everyValueTheSchemasAllowFitsItsColumn() throws IOException {
        Map<String, Integer> columns = columns();
        List<String> wrong = new ArrayList<>();
        FROM_SCHEMA.forEach((column, fields) -> {
            Integer width = columns.get(column);
            for (String field : fields) {
                int longest = longest(field);
                if (width == null || width < longest) {
                    wrong.add(column + " is " + width + " wide; " + field + " allows " + longest);
                }
            }
        });
        FITTED.forEach((column, cut) -> {
            Integer width = columns.get(column);
            if (width == null || width < cut) {
                wrong.add(column + " is " + width + " wide; its writer cuts to " + cut);
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void theContractReadsWhatItClaims() throws IOException {
        // the parser sees every table and the alterations: a widened column reads as widened
        Map<String, Integer> columns = columns();
        assertThat(columns).hasSizeGreaterThan(80).containsEntry("customer.contact_person", 256).containsEntry("journal_event.message_id", 64);
        assertThat(longest("common.v1.json#/$defs/email")).isEqualTo(320);
        assertThat(longest("common.v1.json#/$defs/phone")).isEqualTo(40);
    }

    /** table.column -> varchar width, after every migration in order. */
    static Map<String, Integer> columns() throws IOException {
        Map<String, Integer> out = new HashMap<>();
        Pattern create = Pattern.compile("(?is)create table (\\w+)\\s*\\((.*?)\\n\\);");
        Pattern column = Pattern.compile("(?im)^\\s*(\\w+)\\s+varchar\\((\\d+)\\)");
        Pattern alter = Pattern.compile("(?i)alter table (\\w+) alter column (\\w+) set data type varchar\\((\\d+)\\)");
        Pattern add = Pattern.compile("(?i)alter table (\\w+) add column (\\w+) varchar\\((\\d+)\\)");
        List<Path> scripts;
        try (Stream<Path> s = Files.list(MIGRATIONS)) {
            scripts = s.sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
        }
        for (Path p : scripts) {
            String sql = Files.readString(p).replaceAll("--[^\\n]*", "");
            Matcher t = create.matcher(sql);
            while (t.find()) {
                Matcher c = column.matcher(t.group(2));
                while (c.find()) {
                    out.put(key(t.group(1), c.group(1)), Integer.parseInt(c.group(2)));
                }
            }
            for (Pattern change : List.of(alter, add)) {
                Matcher a = change.matcher(sql);
                while (a.find()) {
                    out.put(key(a.group(1), a.group(2)), Integer.parseInt(a.group(3)));
                }
            }
        }
        return out;
    }

    private static int version(Path script) {
        String n = script.getFileName().toString();
        return Integer.parseInt(n.substring(1, n.indexOf("__")));
    }

    private static String key(String table, String column) {
        return (table + "." + column).toLowerCase(Locale.ROOT);
    }

    /** The longest text a schema location allows: maxLength, a pattern's bounded repeats, an object's parts joined. */
    static int longest(String location) {
        String file = location.substring(0, location.indexOf('#'));
        JsonNode node = schema(file).at(location.substring(location.indexOf('#') + 1));
        assertThat(node.isMissingNode()).as(location).isFalse();
        return longest(file, node);
    }

    private static int longest(String file, JsonNode node) {
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            return ref.startsWith("#") ? longest(file + ref) : longest(ref);
        }
        if (node.has("maxLength")) {
            return node.get("maxLength").asInt();
        }
        if (node.has("pattern")) {
            String pattern = node.get("pattern").asText();
            Matcher bound = Pattern.compile("\\{(\\d+)(?:,(\\d+))?\\}").matcher(pattern);
            int sum = 0;
            while (bound.find()) {
                sum += Integer.parseInt(bound.group(2) != null ? bound.group(2) : bound.group(1));
            }
            // literal characters between the bounded repeats (the '@' of an address), outside character classes
            sum += Pattern.compile("\\[(?:\\\\.|[^\\]])*\\]\\{[^}]*\\}|\\\\.|[\\^$]").matcher(pattern).replaceAll("").length();
            assertThat(sum).as("a pattern without an upper bound: " + node).isGreaterThan(0);
            return sum;
        }
        if (node.has("properties")) {
            int sum = 0;
            for (JsonNode p : node.get("properties")) {
                sum += longest(file, p) + 2; // joined with a separator
            }
            return sum;
        }
        if (node.has("enum")) {
            int max = 0;
            for (JsonNode e : node.get("enum")) {
                max = Math.max(max, e.asText().length());
            }
            return max;
        }
        throw new AssertionError("no length bound in " + node);
    }

    private static final Map<String, JsonNode> LOADED = new HashMap<>();

    private static JsonNode schema(String file) {
        return LOADED.computeIfAbsent(file, f -> {
            try {
                return new ObjectMapper().readTree(SCHEMAS.resolve(f).toFile());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
