package io.intakehub.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.rules.*}: the company's intake rules (DOMAIN.md §2–§4) as settings. Every number of the
 * procedures is a default in {@code application.yaml} with an environment fallback; nothing here is a
 * literal in code. The rules table in docs/rules.md lists each setting with the procedure it comes from.
 *
 * @param zone the company's time zone: cut-offs are read and deadlines written in it
 */
@ConfigurationProperties("hub.rules")
public record RulesProperties(ZoneId zone, Complaint complaint, Customer customer, Order order, Priority priority,
        Duplicates duplicates) {

    /**
     * A band of an amount scale: the first band (in list order) whose limit the amount is under wins; a band
     * without a limit takes everything left. {@code below} is exclusive, {@code upTo} inclusive — so "below
     * 1,000 / 1,000–5,000 / above 5,000" is {@code [{below: 1000}, {up-to: 5000}, {}]}.
     */
    public record Band(String name, BigDecimal below, BigDecimal upTo) {

        boolean holds(BigDecimal amount) {
            return (below == null || amount.compareTo(below) < 0) && (upTo == null || amount.compareTo(upTo) <= 0);
        }

        /** The band an amount falls in; the last band when none holds it. */
        public static Band of(List<Band> bands, BigDecimal amount) {
            for (Band b : bands) {
                if (b.holds(amount)) {
                    return b;
                }
            }
            return bands.get(bands.size() - 1);
        }
    }

    /**
     * Complaint rules (DOMAIN.md §3).
     *
     * @param replyWithin 002 §6.10.5: reply within 4 hours
     * @param resolveWithin 002 §6.10.5: resolve within 3 days (the promise the acknowledgement states)
     * @param coordinateWithin 003 §12: coordinate with the departments within 24 hours
     * @param fileFormWorkingDays 003 §12: the complaint form is filed within 3 working days (Monday–Friday)
     * @param closeWithin 000 第二十六条: closed within 6 days of acceptance
     * @param resolveTarget 001 客户投诉界定: the internal target by severity (minor 2 h, general 12 h)
     * @param approval 000 第二十七条: who approves by amount involved
     * @param severity 001 客户投诉界定: severity by amount involved, raised by keywords
     * @param severityKeywords words (Chinese and English) that make a complaint at least this severe
     * @param defaultSeverity the severity of a complaint that states no amount
     * @param causes 000 第二十三条, 002 §6.10.2: cause → keywords (Chinese and English); the form's own
     *     cause field is read first, the text after
     * @param escalateSeverities 000 第十八条: severities that go straight to the deputy general manager
     * @param escalateCauses 002 §6.10.2: causes that go to the service-centre manager (staff)
     * @param escalateAbove amounts above this (the top approval tier) are escalated too
     * @param escalationApprovers who an escalation goes to, by reason (serious, staff, amount)
     */
    public record Complaint(Duration replyWithin, Duration resolveWithin, Duration coordinateWithin, int fileFormWorkingDays,
            Duration closeWithin, Map<String, Duration> resolveTarget, List<Band> approval, List<Band> severity,
            Map<String, List<String>> severityKeywords, String defaultSeverity, Map<String, List<String>> causes,
            List<String> escalateSeverities, List<String> escalateCauses, BigDecimal escalateAbove,
            Map<String, String> escalationApprovers) {}

    /**
     * Customer classes and registration (DOMAIN.md §2, §4).
     *
     * @param keyAccountMonthlyVolume 002 §5.6.2: a customer whose monthly purchases are above this (yuan) is a key account
     * @param provisionalPrefix the prefix of the number the hub gives a customer it registers, until the CRM's own
     */
    public record Customer(BigDecimal keyAccountMonthlyVolume, String provisionalPrefix) {}

    /**
     * Order rules (DOMAIN.md §2).
     *
     * @param keyAccountCutOff 002 §5.3.1: a key account's order before this time is delivered the same afternoon
     * @param sameAfternoonBy the latest time of a same-afternoon delivery
     * @param nextMorningBy the latest time of a next-morning delivery (key account, ordered after the cut-off)
     * @param nextDayBy the latest time of a next-day delivery (everyone else)
     * @param freeDeliveryFrom 002 §5.3.1: delivery is free from this order total (yuan)
     * @param deliveryFee the fee below that total
     * @param urgentDispatches 002 §6.8: the urgent same-day dispatch times; an urgent order after the last is not taken for today
     * @param urgentMaxDistanceKm 002 §6.8: urgent same-day delivery only within this distance
     * @param specialApprovalFrom 002 §6.5.5: special orders of this total or more need approval
     * @param specialApprover who approves them
     * @param webConfirmWithin 002 §5.1.1: a web order is confirmed to the customer within this time
     */
    public record Order(LocalTime keyAccountCutOff, LocalTime sameAfternoonBy, LocalTime nextMorningBy, LocalTime nextDayBy,
            BigDecimal freeDeliveryFrom, BigDecimal deliveryFee, List<LocalTime> urgentDispatches, BigDecimal urgentMaxDistanceKm,
            BigDecimal specialApprovalFrom, String specialApprover, Duration webConfirmWithin) {}

    /**
     * JMS priorities on the work queues (002 §5.6.6 "key accounts first"; escalations first).
     */
    public record Priority(int normal, int keyAccount, int escalated) {}

    /**
     * The cross-channel duplicate guard: how long a business key (customer or partner + order number; customer +
     * complaint text) makes a second message a duplicate of the first. {@code pendingStale}: a key whose message never
     * reached Kafka (the hub stopped in between) is free again after this long.
     */
    public record Duplicates(Duration orderWindow, Duration complaintWindow, Duration pendingStale) {}
}
