package io.intakehub.customers;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One customer as the CRM publishes it on {@code intake.customers.v1} (JSON, keyed by customer number;
 * a record with a null value removes the customer) and as the directory keeps it.
 *
 * @param customerClass {@code key-account} or {@code small-medium} when the CRM decides; else the
 *     directory derives it from {@code monthlyVolume} and {@code hub.rules.customer.key-account-monthly-volume}
 * @param monthlyVolume monthly purchases in yuan
 * @param creditTerms the payment terms (cash-on-delivery, cash, prepaid, monthly-credit)
 * @param status ACTIVE (the CRM's) or PENDING (registered by the hub, not yet confirmed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Customer(String customerNumber, String name, String contactPerson, List<String> phones, List<String> emails,
        String address, String region, String deliveryRoute, Boolean member, String customerClass, BigDecimal monthlyVolume,
        String creditTerms, String status) {

    public List<String> phonesOrEmpty() {
        return phones == null ? List.of() : phones;
    }

    public List<String> emailsOrEmpty() {
        return emails == null ? List.of() : emails;
    }
}
