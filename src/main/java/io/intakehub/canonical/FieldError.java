package io.intakehub.canonical;

/**
 * One thing wrong with one field: where (a JSON pointer into the canonical message, or the input's
 * own field name), and why in words a sender can act on.
 */
public record FieldError(String pointer, String message) {}
