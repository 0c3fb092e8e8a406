package io.intakehub.canonical;

/** The customer-registration payload (DOMAIN.md section 4): a new customer or a change. */
public record Registration(
        String kind,
        String existingCustomerId,
        String name,
        String region,
        String department,
        String deliveryRoute,
        String contactPerson,
        String phone,
        String fax,
        String email,
        Address address,
        String requestedClass,
        Boolean member,
        String paymentTerms,
        String serviceRequirements) {}
