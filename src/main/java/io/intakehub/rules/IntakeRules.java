package io.intakehub.rules;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The company's intake rules (DOMAIN.md §2–§4) applied to one canonical message, given what the
 * customer directory knows about its customer. Pure: no store, no Camel, no clock — every number comes
 * from {@link RulesProperties} (read at each call, so a changed setting applies to the next message), and
 * every time from the message itself. The table-driven tests run it directly.
 *
 * <p>What it writes: {@code customer.id/class/member}; {@code intake.priority}, {@code dueTimes},
 * {@code approvalTier}, {@code flags}, and for orders {@code deliveryFee}, for complaints {@code cause},
 * {@code severity}, {@code escalatedTo}. It never changes the payload the sender gave.
 */
public final class IntakeRules {

    /** Flags the rules set (docs/rules.md). */
    public static final String KEY_ACCOUNT = "KEY_ACCOUNT";
    public static final String NEW_CUSTOMER = "NEW_CUSTOMER";
    public static final String NON_MEMBER_CONFIRM = "NON_MEMBER_CONFIRM";
    public static final String CUSTOMER_NAME_DIFFERS = "CUSTOMER_NAME_DIFFERS";
    public static final String ALREADY_REGISTERED = "ALREADY_REGISTERED";
    public static final String URGENT_SAME_DAY = "URGENT_SAME_DAY";
    public static final String URGENT_NOT_TODAY = "URGENT_NOT_TODAY";
    public static final String URGENT_OUT_OF_RANGE = "URGENT_OUT_OF_RANGE";
    public static final String SPECIAL_ORDER_APPROVAL = "SPECIAL_ORDER_APPROVAL";
    public static final String SPECIAL_NOT_RETURNABLE = "SPECIAL_NOT_RETURNABLE";
    public static final String CREDIT_TO_SALES_REP = "CREDIT_TO_SALES_REP";
    public static final String ESCALATED = "ESCALATED";
    public static final String KEY_ACCOUNT_FILING = "KEY_ACCOUNT_FILING";
    public static final String UNKNOWN_CUSTOMER_NUMBER = "UNKNOWN_CUSTOMER_NUMBER";
    public static final String REGISTRATION_INCOMPLETE = "REGISTRATION_INCOMPLETE";

    /** Order types that are delivered to the customer (a delivery fee and promise apply). */
    private static final Set<String> DELIVERED = Set.of("standard", "consignment-fill-up", "consignment-issue", "sample-loan");

    /**
     * What the directory knows about the message's customer.
     *
     * @param id the customer number (the CRM's, or the hub's provisional one for a new customer)
     * @param customerClass key-account or small-medium
     * @param member registered member
     * @param status ACTIVE (the CRM's), PENDING (registered by the hub earlier), NEW (registered by this message) or
     *     UNKNOWN_NUMBER (the message names a customer number the directory does not have)
     * @param matchedBy number, phone, email or name; null for a new customer
     * @param directoryName the name the directory has, to compare with the one the message gives
     * @param creditTerms the terms the customer has (monthly-credit or a cash term)
     */
    public record CustomerFacts(String id, String customerClass, boolean member, String status, String matchedBy,
            String directoryName, String creditTerms) {

        public boolean keyAccount() {
            return "key-account".equals(customerClass);
        }
    }

    private final Supplier<RulesProperties> settings;

    /** Keywords as compared (folded once each, not per complaint; the settings' lists are small). */
    private static final java.util.concurrent.ConcurrentHashMap<String, Keyword> FOLDED_KEYWORDS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A keyword of the settings folded once: Latin-only ones match on word boundaries, others anywhere. */
    private record Keyword(String folded, boolean latin) {
        static Keyword of(String k) {
            String f = fold(k);
            return new Keyword(f, f.chars().allMatch(ch -> ch < 0x80));
        }
    }

    public IntakeRules(Supplier<RulesProperties> settings) {
        this.settings = settings;
    }

    /** Applies every rule for the message's type. */
    public void apply(ObjectNode canonical, CustomerFacts customer) {
        RulesProperties r = settings.get();
        ObjectNode intake = canonical.withObjectProperty("intake");
        Set<String> flags = new LinkedHashSet<>();
        intake.withArrayProperty("flags").forEach(f -> flags.add(f.asText()));
        stampCustomer(canonical, customer, flags);
        int priority = customer.keyAccount() ? r.priority().keyAccount() : r.priority().normal();
        switch (canonical.path("type").asText()) {
            case "order" -> order(r, canonical, customer, intake, flags);
            case "complaint" -> priority = complaint(r, canonical, customer, intake, flags, priority);
            default -> {
                if (!"NEW".equals(customer.status()) && customer.id() != null
                        && !canonical.path("registration").path("existingCustomerId").isTextual()) {
                    flags.add(ALREADY_REGISTERED);
                }
                priority = r.priority().normal();
            }
        }
        intake.put("priority", priority);
        ArrayNode out = intake.putArray("flags");
        flags.forEach(out::add);
        if (out.isEmpty()) {
            intake.remove("flags");
        }
    }

    private static void stampCustomer(ObjectNode canonical, CustomerFacts customer, Set<String> flags) {
        ObjectNode c = canonical.withObjectProperty("customer");
        if (customer.id() != null) {
            c.put("id", customer.id());
        }
        c.put("class", customer.customerClass() == null ? "unknown" : customer.customerClass());
        c.put("member", customer.member());
        if (customer.keyAccount()) {
            flags.add(KEY_ACCOUNT);
        }
        if ("NEW".equals(customer.status())) {
            flags.add(NEW_CUSTOMER);
        }
        if ("UNKNOWN_NUMBER".equals(customer.status()) && customer.id() != null) {
            flags.add(UNKNOWN_CUSTOMER_NUMBER);
        }
        String match = "NEW".equals(customer.status()) ? "new" : customer.matchedBy();
        if (match != null) {
            canonical.withObjectProperty("intake").put("customerMatch", match);
        }
        String given = c.path("name").asText(null);
        if (customer.matchedBy() != null && !"name".equals(customer.matchedBy()) && given != null && customer.directoryName() != null
                && !fold(given).contains(fold(customer.directoryName())) && !fold(customer.directoryName()).contains(fold(given))) {
            flags.add(CUSTOMER_NAME_DIFFERS);
        }
    }

    // ---- orders (DOMAIN.md §2) -------------------------------------------------------------------

    private static void order(RulesProperties rules, ObjectNode canonical, CustomerFacts customer, ObjectNode intake, Set<String> flags) {
        RulesProperties.Order r = rules.order();
        JsonNode order = canonical.path("order");
        String type = order.path("orderType").asText("standard");
        ZonedDateTime at = orderTime(canonical, rules);
        ObjectNode due = intake.withObjectProperty("dueTimes");
        if (!customer.member()) {
            flags.add(NON_MEMBER_CONFIRM); // 002 §5.2.2: confirm address, contact, payment, delivery time; invite to register
        }
        if ("web".equals(canonical.path("source").path("channel").asText())) {
            due.put("confirm", time(receivedAt(canonical, rules).plus(r.webConfirmWithin())));
        }
        if (DELIVERED.contains(type)) {
            due.put("delivery", time(deliveryPromise(r, at, customer.keyAccount())));
            if (order.path("urgent").asBoolean(false)) {
                urgent(r, order, at, due, flags);
            }
            BigDecimal total = total(order);
            if (total != null) {
                ObjectNode fee = intake.putObject("deliveryFee");
                fee.put("amount", (total.compareTo(r.freeDeliveryFrom()) >= 0 ? BigDecimal.ZERO : r.deliveryFee()).toPlainString());
                fee.put("currency", currency(order));
            }
        }
        if (special(order)) {
            flags.add(SPECIAL_NOT_RETURNABLE);
            BigDecimal total = total(order);
            if (total != null && total.compareTo(r.specialApprovalFrom()) >= 0) {
                flags.add(SPECIAL_ORDER_APPROVAL);
                intake.put("approvalTier", r.specialApprover());
            }
        }
        if ("monthly-credit".equals(order.path("paymentMethod").asText()) && !"monthly-credit".equals(customer.creditTerms())) {
            flags.add(CREDIT_TO_SALES_REP); // 002 §5.4–5.5, §5.11.1: a first credit request goes to a sales representative
        }
    }

    /** 002 §5.3.1: key accounts before the cut-off the same afternoon, after it the next morning; others the next day. */
    static ZonedDateTime deliveryPromise(RulesProperties.Order r, ZonedDateTime at, boolean keyAccount) {
        if (keyAccount) {
            return at.toLocalTime().isBefore(r.keyAccountCutOff())
                    ? at.with(r.sameAfternoonBy()) : at.plusDays(1).with(r.nextMorningBy());
        }
        return at.plusDays(1).with(r.nextDayBy());
    }

    /** 002 §6.8: the next dispatch today, if the order is before the last one and within the distance. */
    private static void urgent(RulesProperties.Order r, JsonNode order, ZonedDateTime at, ObjectNode due, Set<String> flags) {
        JsonNode km = order.path("deliveryDistanceKm");
        if (km.isTextual() && new BigDecimal(km.asText()).compareTo(r.urgentMaxDistanceKm()) > 0) {
            flags.add(URGENT_OUT_OF_RANGE);
            return;
        }
        LocalTime now = at.toLocalTime();
        for (LocalTime dispatch : r.urgentDispatches().stream().sorted().toList()) {
            if (now.isBefore(dispatch)) {
                flags.add(URGENT_SAME_DAY);
                due.put("urgentDispatch", time(at.with(dispatch)));
                due.put("delivery", time(at.with(r.sameAfternoonBy())));
                return;
            }
        }
        flags.add(URGENT_NOT_TODAY);
    }

    /** The order total: as given, else the sum of the line amounts, else of quantity × unit price; null when unknown. */
    static BigDecimal total(JsonNode order) {
        if (order.path("totalAmount").path("amount").isTextual()) {
            return new BigDecimal(order.path("totalAmount").path("amount").asText());
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode line : order.path("lines")) {
            if (line.path("lineAmount").path("amount").isTextual()) {
                sum = sum.add(new BigDecimal(line.path("lineAmount").path("amount").asText()));
            } else if (line.path("unitPrice").path("amount").isTextual() && line.path("quantity").isTextual()) {
                sum = sum.add(new BigDecimal(line.path("unitPrice").path("amount").asText()).multiply(new BigDecimal(line.path("quantity").asText())));
            } else {
                return null;
            }
        }
        return sum;
    }

    private static boolean special(JsonNode order) {
        for (JsonNode line : order.path("lines")) {
            if (line.path("special").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static String currency(JsonNode order) {
        String c = order.path("totalAmount").path("currency").asText("");
        return c.isEmpty() ? order.path("currency").asText("CNY") : c;
    }

    // ---- complaints (DOMAIN.md §3) ---------------------------------------------------------------

    private static int complaint(RulesProperties rules, ObjectNode canonical, CustomerFacts customer, ObjectNode intake,
            Set<String> flags, int priority) {
        RulesProperties.Complaint r = rules.complaint();
        JsonNode complaint = canonical.path("complaint");
        String text = complaint.path("description").asText("") + " " + complaint.path("requests").toString();
        String cause = cause(r, complaint.path("reportedCause").asText(null), text);
        BigDecimal amount = complaint.path("amountInvolved").path("amount").isTextual()
                ? new BigDecimal(complaint.path("amountInvolved").path("amount").asText()) : null;
        String severity = severity(r, amount, text, cause);
        intake.put("cause", cause);
        intake.put("severity", severity);
        intake.put("approvalTier", RulesProperties.Band.of(r.approval(), amount == null ? BigDecimal.ZERO : amount).name());

        ZonedDateTime received = receivedAt(canonical, rules);
        ObjectNode due = intake.withObjectProperty("dueTimes");
        due.put("reply", time(received.plus(r.replyWithin())));
        due.put("coordinate", time(received.plus(r.coordinateWithin())));
        Duration target = r.resolveTarget() == null ? null : r.resolveTarget().get(severity);
        if (target != null && target.compareTo(r.resolveWithin()) < 0) {
            due.put("resolveTarget", time(received.plus(target)));
        }
        due.put("resolve", time(received.plus(r.resolveWithin())));
        due.put("fileForm", time(plusWorkingDays(received, r.fileFormWorkingDays())));
        due.put("close", time(received.plus(r.closeWithin())));

        List<String> escalatedTo = new ArrayList<>();
        Map<String, String> approvers = r.escalationApprovers();
        if (r.escalateSeverities().contains(severity)) {
            escalatedTo.add(approvers.get("serious"));
        }
        if (r.escalateCauses().contains(cause)) {
            escalatedTo.add(approvers.get("staff"));
        }
        if (amount != null && amount.compareTo(r.escalateAbove()) > 0) {
            escalatedTo.add(approvers.get("amount"));
        }
        if (!escalatedTo.isEmpty()) {
            flags.add(ESCALATED);
            intake.put("escalatedTo", String.join(", ", new LinkedHashSet<>(escalatedTo)));
            priority = Math.max(priority, rules.priority().escalated());
        }
        if (customer.keyAccount()) {
            flags.add(KEY_ACCOUNT_FILING); // 002 §6.10.5 备案制
        }
        return priority;
    }

    /**
     * The cause: the form's own cause field when it names one, else the text; the cause with the most
     * keyword hits wins, ties in the order the settings list the causes; {@code unclassified} when none hits.
     */
    static String cause(RulesProperties.Complaint r, String reported, String text) {
        if (reported != null) {
            String c = r.causes().containsKey(reported.strip().toLowerCase(Locale.ROOT))
                    ? reported.strip().toLowerCase(Locale.ROOT) : bestCause(r, reported);
            if (c != null) {
                return c;
            }
        }
        String c = bestCause(r, text);
        return c == null ? "unclassified" : c;
    }

    private static String bestCause(RulesProperties.Complaint r, String text) {
        String folded = fold(text);
        String best = null;
        int bestHits = 0;
        for (Map.Entry<String, List<String>> e : r.causes().entrySet()) {
            int hits = hits(folded, e.getValue());
            if (hits > bestHits) {
                best = e.getKey();
                bestHits = hits;
            }
        }
        return best;
    }

    /**
     * Severity from the amount's band, raised (never lowered) by the severity keywords; a usage question
     * without an amount is minor (explained, not escalated); no amount at all → the default severity.
     */
    static String severity(RulesProperties.Complaint r, BigDecimal amount, String text, String cause) {
        List<String> order = r.severity().stream().map(RulesProperties.Band::name).toList();
        String severity = amount != null ? RulesProperties.Band.of(r.severity(), amount).name()
                : "usage".equals(cause) ? order.get(0) : r.defaultSeverity();
        String folded = fold(text);
        for (Map.Entry<String, List<String>> e : r.severityKeywords().entrySet()) {
            if (order.indexOf(e.getKey()) > order.indexOf(severity) && hits(folded, e.getValue()) > 0) {
                severity = e.getKey();
            }
        }
        return severity;
    }

    private static int hits(String folded, List<String> keywords) {
        int n = 0;
        for (String k : keywords) {
            Keyword fk = FOLDED_KEYWORDS.computeIfAbsent(k, Keyword::of);
            if (fk.folded().isEmpty()) {
                continue;
            }
            // Latin words on word boundaries ("late" is not in "plate"); Chinese anywhere
            if (fk.latin() ? containsWord(folded, fk.folded()) : folded.contains(fk.folded())) {
                n++;
            }
        }
        return n;
    }

    private static boolean containsWord(String text, String word) {
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            int end = i + word.length();
            if ((i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                    && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    private static String fold(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replace('’', '\'');
    }

    // ---- times ------------------------------------------------------------------------------------

    private static ZonedDateTime orderTime(ObjectNode canonical, RulesProperties rules) {
        String at = canonical.path("order").path("orderedAt").asText("");
        return at.isEmpty() ? receivedAt(canonical, rules) : OffsetDateTime.parse(at).atZoneSameInstant(rules.zone());
    }

    private static ZonedDateTime receivedAt(ObjectNode canonical, RulesProperties rules) {
        return OffsetDateTime.parse(canonical.path("source").path("receivedAt").asText()).atZoneSameInstant(rules.zone());
    }

    /** Working days are Monday to Friday (public holidays are not known to the hub). */
    static ZonedDateTime plusWorkingDays(ZonedDateTime from, int days) {
        ZonedDateTime t = from;
        int left = days;
        while (left > 0) {
            t = t.plusDays(1);
            if (t.getDayOfWeek() != DayOfWeek.SATURDAY && t.getDayOfWeek() != DayOfWeek.SUNDAY) {
                left--;
            }
        }
        return t;
    }

    /** A due time with the company's offset, as precise as the receipt it counts from (the acknowledgement states the same). */
    private static String time(ZonedDateTime t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.toOffsetDateTime());
    }
}
