package io.intakehub.rules;

import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.rules.*}: the company's intake rules (DOMAIN.md) as settings. So far the complaint
 * deadlines every acknowledgement states (002 §6.10.5: reply within 4 hours, resolve within 3 days)
 * and the key-account threshold of the customer directory (002 §5.6.2).
 *
 * @param zone the company's time zone: deadlines are written in it
 */
@ConfigurationProperties("hub.rules")
public record RulesProperties(ZoneId zone, Complaint complaint, Customer customer) {

    /** Deadlines stamped on every complaint, counted from its receipt. */
    public record Complaint(Duration replyWithin, Duration resolveWithin) {}

    /**
     * Customer classes (002 §5.6.2).
     *
     * @param keyAccountMonthlyVolume a customer whose monthly purchases are above this (yuan) is a key account
     */
    public record Customer(java.math.BigDecimal keyAccountMonthlyVolume) {}
}
