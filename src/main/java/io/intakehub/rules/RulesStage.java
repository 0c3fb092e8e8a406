package io.intakehub.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import io.intakehub.canonical.CompactObjectNode;
import io.intakehub.canonical.CanonicalAssembler;
import io.intakehub.canonical.CanonicalType;
import io.intakehub.canonical.FieldError;
import io.intakehub.canonical.SchemaValidator;
import io.intakehub.canonical.MessageIds;
import io.intakehub.config.HubHeaders;
import io.intakehub.customers.ContactKeys;
import io.intakehub.customers.Customer;
import io.intakehub.customers.CustomerDirectory;
import io.intakehub.mapping.CanonicalStage;
import io.intakehub.shared.Hashes;
import io.intakehub.store.AcceptedKeys;
import io.intakehub.store.BusinessKeys;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The rules stage of the flow (DESIGN.md step 3), for every channel: the customer looked up in the
 * directory (and registered when new — once per customer), the {@link IntakeRules} applied, and the
 * cross-channel duplicate guard asked. Route {@code canonical-map} runs it after mapping; the phone
 * channel runs it on its mapping threads.
 */
@Component("rulesStage")
public class RulesStage {

    /** Exchange property: the messages to accept with this one (a new customer's registration). */
    public static final String FOLLOW_ONS = "HubFollowOns";
    /** Exchange property: the business key the message claimed ({@link BusinessKeys.Claimed}), final on acceptance. */
    public static final String BUSINESS_CLAIM = "HubBusinessClaim";

    /**
     * What the stage decided beyond the message itself.
     *
     * @param followOns canonical messages to accept with it (a registration)
     * @param duplicateOf the id of the message that was first with the same business key; null when this one is first
     * @param duplicateKey that business key
     */
    public record Result(List<ObjectNode> followOns, String duplicateOf, String duplicateKey) {

        /** The business key this message holds until it is accepted; null when it holds none (or is a duplicate). */
        public BusinessKeys.Claimed claimed(ObjectNode canonical) {
            return duplicateKey == null || duplicateOf != null ? null : new BusinessKeys.Claimed(scope(canonical.path("type").asText()),
                    duplicateKey, canonical.path("messageId").asText());
        }
    }

    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private final CustomerDirectory directory;
    private final BusinessKeys keys;
    private final AcceptedKeys acceptedKeys;
    private final RulesProperties props;
    private final IntakeRules rules;
    private final SchemaValidator validator;

    public RulesStage(CustomerDirectory directory, BusinessKeys keys, AcceptedKeys acceptedKeys, RulesProperties props,
            SchemaValidator validator) {
        this.directory = directory;
        this.keys = keys;
        this.acceptedKeys = acceptedKeys;
        this.props = props;
        this.validator = validator;
        this.rules = new IntakeRules(() -> props);
    }

    /** Step {@code apply-intake-rules}: the body is the canonical message; the outcome goes on headers and properties. */
    public void apply(Exchange exchange) {
        Message m = exchange.getMessage();
        ObjectNode canonical = m.getBody(ObjectNode.class);
        Result r = apply(canonical);
        m.setHeader(HubHeaders.BUSINESS_KEY, CanonicalStage.businessKey(canonical));
        if (r.duplicateOf() != null) {
            m.setHeader(HubHeaders.DUPLICATE_OF, r.duplicateOf());
            m.setHeader(HubHeaders.DUPLICATE_KEY, r.duplicateKey());
        } else {
            m.removeHeader(HubHeaders.DUPLICATE_OF);
        }
        exchange.setProperty(FOLLOW_ONS, r.followOns().isEmpty() ? null : r.followOns());
        exchange.setProperty(BUSINESS_CLAIM, r.claimed(canonical));
    }

    /**
     * Step {@code business-key-accepted} of {@code deliver-accept}: the message is on Kafka; its business key holds for
     * good. The mark is written with those of the other messages accepted meanwhile ({@link AcceptedKeys}).
     */
    public void businessKeyAccepted(Exchange exchange) {
        BusinessKeys.Claimed claimed = exchange.getProperty(BUSINESS_CLAIM, BusinessKeys.Claimed.class);
        if (claimed != null) {
            acceptedKeys.accepted(claimed);
        }
    }

    /**
     * The duplicate guard for many messages at once (a batch of phone rows, in file order): for each business key
     * that is taken by another message, the id of that message.
     */
    public java.util.Map<BusinessKeys.Claimed, String> claimAll(List<BusinessKeys.Claimed> claims) {
        return claims.isEmpty() ? java.util.Map.of()
                : keys.claimAll(claims, this::window, props.duplicates().pendingStale());
    }

    /** The messages are on Kafka: the business keys they claimed hold for good. */
    public void accepted(java.util.Collection<BusinessKeys.Claimed> claimed) {
        keys.businessAccepted(claimed);
    }

    /** The message did not reach Kafka (and its sender will retry under a new id): its business key is free again. */
    public void failed(Exchange exchange) {
        BusinessKeys.Claimed claimed = exchange.getProperty(BUSINESS_CLAIM, BusinessKeys.Claimed.class);
        // a message accepted before a later step failed keeps its key, as when its mark is already written
        if (claimed != null && !acceptedKeys.unwritten(claimed)) {
            keys.businessFailed(claimed);
        }
    }

    /** Applies the stage to one canonical message in place, the duplicate guard included. Thread-safe. */
    public Result apply(ObjectNode canonical) {
        return apply(canonical, true);
    }

    /**
     * Applies the stage to one canonical message in place. Thread-safe.
     *
     * @param guard false when the caller asks the duplicate guard itself, for many messages at once
     *     ({@link #claimAll}); the result then names the message's business key but never a duplicate
     */
    public Result apply(ObjectNode canonical, boolean guard) {
        String type = canonical.path("type").asText();
        String messageId = canonical.path("messageId").asText();
        JsonNode customer = canonical.path("customer");
        JsonNode payload = canonical.path(CanonicalType.fromWireName(type).map(CanonicalType::payloadField).orElse("order"));
        boolean registration = CanonicalType.CUSTOMER_REGISTRATION.wireName().equals(type);
        String number = text(customer, "id");
        if (registration && number == null) {
            number = text(payload, "existingCustomerId");
        }
        String phone = first(text(customer, "phone"), text(payload, "phone"));
        String email = first(text(customer, "email"), text(payload, "email"));
        String name = first(text(customer, "name"), registration ? text(payload, "name") : null);
        List<ObjectNode> followOns = new ArrayList<>();

        IntakeRules.CustomerFacts facts;
        Optional<CustomerDirectory.Match> match = directory.match(number, phone, email, name);
        if (match.isPresent()) {
            Customer c = match.get().customer();
            facts = new IntakeRules.CustomerFacts(c.customerNumber(), directory.classOf(c), Boolean.TRUE.equals(c.member()),
                    c.status(), match.get().by(), c.name(), c.creditTerms());
            if ("PENDING".equals(c.status())) {
                Optional<CustomerDirectory.Claim> claim = directory.claimOf(c.customerNumber());
                if (claim.isPresent() && claim.get().sourceMessageId().equals(messageId)) {
                    // the same input again (a retry after a failed send): the same registration, the same id
                    facts = newCustomer(c.customerNumber());
                    if (!registration) {
                        followOns.add(registrationFor(canonical, c.customerNumber(), claim.get().registrationId()));
                    }
                }
            }
        } else if (number != null) {
            // a number the directory does not know (yet), or a change for a customer it does not have: never
            // registered again, never guessed
            facts = new IntakeRules.CustomerFacts(number, null, false, "UNKNOWN_NUMBER", null, null, null);
        } else {
            String claimKey = claimKey(phone, email, name);
            if (claimKey == null) {
                facts = new IntakeRules.CustomerFacts(null, null, false, "UNKNOWN_NUMBER", null, null, null);
            } else {
                String provisional = provisionalNumber(claimKey);
                String registrationId = registration ? messageId : registrationId(canonical);
                CustomerDirectory.Claim claim = directory.register(claimKey,
                        pendingCustomer(canonical, provisional, phone, email, name), registrationId, messageId);
                if (claim.won() || claim.sourceMessageId().equals(messageId)) {
                    facts = newCustomer(claim.customerNumber());
                    if (!registration) {
                        followOns.add(registrationFor(canonical, claim.customerNumber(), claim.registrationId()));
                    }
                } else {
                    facts = new IntakeRules.CustomerFacts(claim.customerNumber(), "small-medium", false, "PENDING",
                            claimKey.substring(0, claimKey.indexOf(':')), null, null);
                }
            }
        }
        rules.apply(canonical, facts);
        for (ObjectNode followOn : followOns) {
            rules.apply(followOn, facts);
            List<FieldError> errors = validator.validate(CanonicalType.CUSTOMER_REGISTRATION, followOn);
            if (!errors.isEmpty()) {
                // the customer's details do not make a valid registration (e.g. an over-long name): the message
                // itself goes on, flagged, and the CRM desk registers the customer by hand
                followOns.clear();
                flag(canonical, IntakeRules.REGISTRATION_INCOMPLETE);
                break;
            }
        }

        String duplicateKey = duplicateKey(canonical, payload);
        String duplicateOf = null;
        if (duplicateKey != null && guard) {
            duplicateOf = keys.claim(scope(type), duplicateKey, messageId,
                    window(scope(type)), props.duplicates().pendingStale()).orElse(null);
        }
        return new Result(duplicateOf == null ? followOns : List.of(), duplicateOf, duplicateKey);
    }

    private static String scope(String type) {
        return "business-" + type;
    }

    private java.time.Duration window(String scope) {
        return scope.equals(scope("order")) ? props.duplicates().orderWindow() : props.duplicates().complaintWindow();
    }

    private static IntakeRules.CustomerFacts newCustomer(String number) {
        return new IntakeRules.CustomerFacts(number, "small-medium", false, "NEW", null, null, null);
    }

    /**
     * The business key of the duplicate guard: an order by its customer (or partner) and the customer's own
     * order number; a complaint by its customer and its folded text. Null when the message has neither.
     */
    static String duplicateKey(ObjectNode canonical, JsonNode payload) {
        JsonNode customer = canonical.path("customer");
        String who = first(text(customer, "id"), text(canonical.path("source"), "partner"),
                prefixed("phone:", ContactKeys.phone(text(customer, "phone"))), prefixed("email:", ContactKeys.email(text(customer, "email"))));
        if (who == null) {
            return null;
        }
        switch (canonical.path("type").asText()) {
            case "order" -> {
                String po = text(payload, "customerOrderNumber");
                // the store keeps 300 characters of a key; a longer one (a 256-character customer number and order
                // number) is kept as its head and a hash, the same for the same order every time
                return po == null ? null : Hashes.fitted(who + "|" + BLANKS.matcher(po).replaceAll("").toUpperCase(Locale.ROOT), 300);
            }
            case "complaint" -> {
                // the text folded as names are (case, blanks, punctuation and full-width forms aside)
                String folded = ContactKeys.name(text(payload, "description"));
                return folded == null ? null : Hashes.fitted(who + "|" + Hashes.sha256Hex(folded.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 300);
            }
            default -> {
                return null;
            }
        }
    }

    /** The strongest contact a new customer is claimed by: phone, else e-mail, else name. */
    private static String claimKey(String phone, String email, String name) {
        return Hashes.fitted(first(prefixed("phone:", ContactKeys.phone(phone)), prefixed("email:", ContactKeys.email(email)),
                prefixed("name:", ContactKeys.name(name))), 330);
    }

    /** The hub's number for a customer it registers: derived from the claim, so every instance and retry agrees. */
    private String provisionalNumber(String claimKey) {
        String hash = Hashes.sha256Hex(claimKey.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toUpperCase(Locale.ROOT);
        for (int len = 10; ; len += 2) {
            String candidate = props.customer().provisionalPrefix() + hash.substring(0, len);
            // 004/§4: a new number must not collide with an existing customer's
            if (directory.find(candidate).isEmpty() || len >= hash.length()) {
                return candidate;
            }
        }
    }

    private static String registrationId(ObjectNode canonical) {
        return MessageIds.of(canonical.path("source").path("channel").asText(), "registration", canonical.path("messageId").asText(), 0);
    }

    private static Customer pendingCustomer(ObjectNode canonical, String number, String phone, String email, String name) {
        JsonNode order = canonical.path("order");
        return new Customer(number, name, first(text(canonical.path("customer"), "contactPerson"), text(order, "contactPerson")),
                phone == null ? List.of() : List.of(phone), email == null ? List.of() : List.of(email),
                text(order.path("deliveryAddress"), "text"), null, null, false, null, null, null, "PENDING");
    }

    /** DOMAIN.md §4: the registration of a customer first seen on an order or complaint. */
    private static ObjectNode registrationFor(ObjectNode canonical, String number, String registrationId) {
        JsonNode customer = canonical.path("customer");
        JsonNode order = canonical.path("order");
        ObjectNode out = CompactObjectNode.FACTORY.objectNode();
        out.put("messageId", registrationId);
        out.put("type", CanonicalType.CUSTOMER_REGISTRATION.wireName());
        out.put("schemaVersion", CanonicalType.SCHEMA_VERSION);
        out.put("correlationId", canonical.path("correlationId").asText());
        out.set("source", canonical.get("source").deepCopy());
        ObjectNode c = out.putObject("customer");
        c.put("id", number);
        for (String f : new String[] {"name", "contactPerson", "phone", "email"}) {
            if (customer.hasNonNull(f)) {
                c.set(f, customer.get(f));
            }
        }
        out.putObject("intake").put("priority", CanonicalAssembler.DEFAULT_PRIORITY);
        ObjectNode reg = out.putObject("registration");
        reg.put("kind", "new");
        reg.put("name", first(text(customer, "name"), text(customer, "contactPerson"), text(order, "contactPerson"),
                text(customer, "phone"), text(customer, "email")));
        putIf(reg, "contactPerson", first(text(customer, "contactPerson"), text(order, "contactPerson")));
        putIf(reg, "phone", first(text(customer, "phone"), text(order, "phone")));
        putIf(reg, "email", text(customer, "email"));
        if (order.path("deliveryAddress").isObject()) {
            reg.set("address", order.get("deliveryAddress").deepCopy());
        }
        putIf(reg, "department", text(order, "receivingDepartment"));
        reg.put("member", false);
        putIf(reg, "paymentTerms", text(order, "paymentMethod"));
        return out;
    }

    private static void flag(ObjectNode canonical, String flag) {
        canonical.withObjectProperty("intake").withArrayProperty("flags").add(flag);
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static String prefixed(String prefix, String value) {
        return value == null ? null : prefix + value;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
