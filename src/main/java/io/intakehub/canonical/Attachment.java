package io.intakehub.canonical;

/** A file that came with the input, kept by reference in the attachment store (by SHA-256). */
public record Attachment(String name, String contentType, long size, String sha256) {}
