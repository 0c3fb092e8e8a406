package io.intakehub.canonical;

import java.util.Arrays;
import java.util.Optional;

/** The three canonical message types: their wire name, the payload field and the schema file. */
public enum CanonicalType {
    ORDER("order", "order", "order.v1.json"),
    COMPLAINT("complaint", "complaint", "complaint.v1.json"),
    CUSTOMER_REGISTRATION("customer-registration", "registration", "customer-registration.v1.json");

    public static final int SCHEMA_VERSION = 1;

    private final String wireName;
    private final String payloadField;
    private final String schemaFile;

    CanonicalType(String wireName, String payloadField, String schemaFile) {
        this.wireName = wireName;
        this.payloadField = payloadField;
        this.schemaFile = schemaFile;
    }

    public String wireName() { return wireName; }
    public String payloadField() { return payloadField; }
    public String schemaFile() { return schemaFile; }

    public static Optional<CanonicalType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
