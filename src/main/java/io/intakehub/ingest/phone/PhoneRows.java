package io.intakehub.ingest.phone;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.FieldError;
import io.intakehub.canonical.MessageIds;
import io.intakehub.canonical.SourceInfo;
import io.intakehub.mapping.CanonicalMapper;
import io.intakehub.mapping.CanonicalStage;
import io.intakehub.mapping.MappingKey;
import io.intakehub.rules.RulesStage;
import io.intakehub.shared.Hashes;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;

/**
 * A row of an export → what the hub does with it: a canonical message to deliver (mapped with the
 * profile's JSLT mapping, wrapped and validated like every channel's), an inquiry to journal, a
 * contact event to log, or a refusal with its reason. No Spring, no Camel: the golden-file tests
 * and the benchmark use it as it is.
 */
public final class PhoneRows {

    /** The mappings' folder under mappings/ (files {@code phone/<mapping>-to-<type>.jslt}). */
    public static final String MAPPING_FOLDER = "phone";

    /** What is planned for a row. */
    public enum Plan { DELIVER, JOURNAL, CONTACT, REJECT, SKIP }

    /** The file a row came from. */
    public record FileInfo(String name, OffsetDateTime receivedAt) {}

    /** One row, ready for its batch. Canonical rows carry their Kafka record (topic type, key, bytes). */
    public static final class Item {
        public final long line;
        public final String raw;
        public Plan plan;
        public String key;
        public String id;
        public String hash;
        public String messageType;
        public String recordKey;
        public byte[] bytes;
        public ReasonCode reason;
        public String problem;
        public List<FieldError> errors = List.of();
        public PhoneStore.Contact contact;
        public String customerId;
        public String businessKey;
        public String detail;
        /** Set when the row turns out to be taken before: the id of the first. */
        public String duplicateOf;
        /** Set when the duplicate guard found the same order or complaint accepted before (any channel): its id. */
        public String businessDuplicateOf;
        public String businessDuplicateKey;
        /** The business key the row's message claimed, made final when its batch is on Kafka. */
        public io.intakehub.store.BusinessKeys.Claimed claimed;
        /** Messages to accept with the row's (a new customer's registration). */
        public List<FollowOn> followOns = List.of();
        /** A row to deliver, read but not mapped yet. */
        Pending pending;

        Item(long line, String raw) {
            this.line = line;
            this.raw = raw;
        }

        void reject(ReasonCode code, String why, List<FieldError> fieldErrors) {
            plan = Plan.REJECT;
            reason = code;
            problem = why;
            errors = fieldErrors == null ? List.of() : fieldErrors;
            bytes = null;
        }
    }

    /**
     * A row given up past its time budget, refused in place of the item its mapping thread may still be working on (that
     * item is dropped whatever that thread does with it later).
     */
    public static Item givenUp(Item stuck, ReasonCode reason, String why) {
        Item item = new Item(stuck.line, stuck.raw);
        item.id = stuck.id;
        item.hash = stuck.hash;
        item.reject(reason, "line " + stuck.line + ": " + why, List.of());
        return item;
    }

    /** A message accepted with a row's own (a new customer's registration). */
    public record FollowOn(String id, String type, String recordKey, byte[] bytes) {}

    /**
     * The rules stage as the phone channel needs it: per row without the duplicate guard, which {@link #claimAll}
     * asks per batch ({@code RulesStage.apply(canonical, false)} and {@code RulesStage.claimAll}); thread-safe.
     */
    public interface Rules {
        RulesStage.Result apply(ObjectNode canonical);

        /** The duplicate guard for a batch of rows in file order: each claim whose key another message holds → that message's id. */
        java.util.Map<io.intakehub.store.BusinessKeys.Claimed, String> claimAll(List<io.intakehub.store.BusinessKeys.Claimed> claims);

    }

    private final CanonicalMapper mapper;
    private final Rules rules;

    /** Mapping only, without the intake rules (the golden-file tests and the benchmark's mapping stage). */
    public PhoneRows(CanonicalMapper mapper) {
        this(mapper, null);
    }

    public PhoneRows(CanonicalMapper mapper, Rules rules) {
        this.mapper = mapper;
        this.rules = rules;
    }

    /** Reads, maps and checks one row. Never throws for bad input: the item says what is wrong. */
    public Item item(PhoneLayout layout, CsvRowReader.Row row, FileInfo file) {
        return map(read(layout, row, file));
    }

    /**
     * The first half of {@link #item}, in file order (the layout counts repeated rows): the row read
     * and checked, its key and id; a row to deliver waits for {@link #map}, which may run on another
     * thread.
     */
    public Item read(PhoneLayout layout, CsvRowReader.Row row, FileInfo file) {
        Item item = new Item(row.line(), row.raw());
        PhoneProfile p = layout.profile();
        String hash = sha256(row.raw());
        PhoneLayout.RowValues v = layout.read(row, hash);
        if (v.blank()) {
            item.plan = Plan.SKIP;
            item.detail = v.problem();
            return item;
        }
        item.hash = hash;
        if (v.refused()) {
            item.id = rowId(p.id(), item.hash);
            item.reject(v.reason(), "line " + row.line() + ": " + v.problem(), v.errors());
            return item;
        }
        item.key = v.key();
        item.id = MessageIds.of("phone", p.id(), v.key(), 0);
        ObjectNode values = v.values();
        switch (p.disposition(v.kind())) {
            case MAPPING -> {
                item.plan = Plan.DELIVER;
                item.pending = new Pending(p, p.mapping(v.kind()), values, file);
            }
            case JOURNAL -> {
                item.plan = Plan.JOURNAL;
                item.messageType = v.kind();
                item.customerId = text(values, "customerNumber");
                item.businessKey = text(values, "callerNumber");
                item.detail = text(values, "description");
            }
            case CONTACT -> contact(item, p, values, file);
        }
        return item;
    }

    /** The second half of {@link #item}: the mapping, envelope and schema check of a row to deliver. Thread-safe. */
    public Item map(Item item) {
        Pending todo = item.pending;
        if (todo != null) {
            item.pending = null;
            deliver(item, todo.profile(), todo.mapping(), todo.values(), todo.file());
        }
        return item;
    }

    private record Pending(PhoneProfile profile, String mapping, ObjectNode values, FileInfo file) {}

    private void deliver(Item item, PhoneProfile p, String mapping, ObjectNode values, FileInfo file) {
        // the call is when the company received it, not the export
        String at = p.receivedAt() == null ? null : text(values, p.receivedAt());
        SourceInfo source = new SourceInfo("phone", p.format(), p.id(), item.key, at == null ? file.receivedAt() : OffsetDateTime.parse(at), file.name(),
                (int) Math.min(Integer.MAX_VALUE, item.line), 0, null);
        ObjectNode canonical;
        try {
            canonical = canonical(mapping, values, source);
        } catch (HubException e) {
            String fields = e.errors().stream().map(f -> f.pointer() + " " + f.message()).collect(java.util.stream.Collectors.joining("; "));
            item.reject(e.reason(), "line " + item.line + ": " + e.getMessage() + (fields.isEmpty() ? "" : ": " + fields), e.errors());
            return;
        } catch (RuntimeException e) {
            item.reject(ReasonCode.MAPPING_FAILED, "line " + item.line + ": mapping " + mapping + " failed: " + e.getMessage(), List.of());
            return;
        }
        if (rules != null) {
            // the store being unreachable is not the row's fault: thrown on, the file is read again
            RulesStage.Result decided = rules.apply(canonical);
            item.businessDuplicateKey = decided.duplicateKey();
            item.claimed = decided.claimed(canonical);
            List<FollowOn> followOns = new java.util.ArrayList<>();
            for (ObjectNode f : decided.followOns()) {
                followOns.add(new FollowOn(f.get("messageId").asText(), f.get("type").asText(), CanonicalStage.businessKey(f), CanonicalJson.bytes(f)));
            }
            item.followOns = followOns;
        }
        try {
            item.plan = Plan.DELIVER;
            item.messageType = canonical.get("type").asText();
            item.recordKey = CanonicalStage.businessKey(canonical);
            item.customerId = canonical.path("customer").path("id").asText(null);
            item.bytes = CanonicalJson.bytes(canonical);
        } catch (RuntimeException e) {
            item.reject(ReasonCode.MAPPING_FAILED, "line " + item.line + ": mapping " + mapping + " failed: " + e.getMessage(), List.of());
        }
    }


    /**
     * The duplicate guard for a batch (rows read, mapped and past the call-id check, in file order): each row whose
     * order or complaint another message already is gets {@code businessDuplicateOf}.
     */
    public void guard(List<Item> items) {
        if (rules == null) {
            return;
        }
        List<io.intakehub.store.BusinessKeys.Claimed> claims = new java.util.ArrayList<>();
        for (Item it : items) {
            if (it.plan == Plan.DELIVER && it.duplicateOf == null && it.claimed != null) {
                claims.add(it.claimed);
            }
        }
        java.util.Map<io.intakehub.store.BusinessKeys.Claimed, String> taken = rules.claimAll(claims);
        for (Item it : items) {
            if (it.claimed != null && taken.containsKey(it.claimed)) {
                it.businessDuplicateOf = taken.get(it.claimed);
                it.claimed = null;
            }
        }
    }

    /** The canonical message of a row (golden-file tests call this directly). */
    public ObjectNode canonical(String mapping, JsonNode values, SourceInfo source) {
        return mapper.toCanonical(new MappingKey("phone", MAPPING_FOLDER, null, mapping), values, source);
    }

    private static void contact(Item item, PhoneProfile p, ObjectNode values, FileInfo file) {
        Map<String, String> c = p.contact();
        item.plan = Plan.CONTACT;
        item.messageType = "contact-event";
        item.contact = new PhoneStore.Contact(item.key, item.id, field(values, c, "phone"), field(values, c, "customer-number"),
                field(values, c, "counterpart"), time(values, c, "started"), time(values, c, "answered"), time(values, c, "ended"),
                integer(values, c, "duration"), integer(values, c, "billable"), field(values, c, "disposition"),
                field(values, c, "channel"), field(values, c, "reference"), file.name(), item.line);
        item.customerId = item.contact.customerNumber();
        item.businessKey = item.contact.phone();
    }

    private static String field(ObjectNode values, Map<String, String> columns, String field) {
        String col = columns.get(field);
        return col == null ? null : text(values, col);
    }

    private static OffsetDateTime time(ObjectNode values, Map<String, String> columns, String field) {
        String v = field(values, columns, field);
        return v == null ? null : OffsetDateTime.parse(v);
    }

    private static Integer integer(ObjectNode values, Map<String, String> columns, String field) {
        String v = field(values, columns, field);
        return v == null ? null : Integer.valueOf(v);
    }

    private static String text(JsonNode values, String field) {
        JsonNode n = values.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /**
     * The id of a row by its content, for a row that has no key or whose key it may not use: the same
     * bad row dropped again is then one dead letter.
     */
    static String rowId(String profile, String hash) {
        return MessageIds.of("phone", profile, "row:" + hash, 0);
    }

    static String sha256(String s) {
        return Hashes.sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }
}
