package io.intakehub.canonical;

/** A postal address: the free text as written, and its parts where the channel gives them. */
public record Address(String text, String street, String district, String city, String region,
        String postalCode, String country) {}
