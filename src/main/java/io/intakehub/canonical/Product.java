package io.intakehub.canonical;

/** A product as the customer named it: code and/or name, with the attributes orders carry. */
public record Product(String code, String name, String brand, String specification, String colour,
        String qualityStandard) {}
