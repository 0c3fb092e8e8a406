package io.intakehub.canonical;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic message ids: a name-based UUID (RFC 9562 version 5) of the source reference, so that
 * reading the same input again after a crash or a retry yields the same id and every downstream
 * duplicate check (Artemis duplicate detection, the journal) holds.
 */
public final class MessageIds {

    /** The hub's namespace for version-5 UUIDs (itself a random UUID, fixed forever). */
    public static final UUID NAMESPACE = UUID.fromString("5d0c3a62-7b0e-4f55-9a55-3d8c1f4b7e21");

    private MessageIds() {}

    /**
     * The id of the canonical message made from one input.
     *
     * @param channel web, email, phone or edi
     * @param partner the partner or client the input came from (may be empty)
     * @param reference the natural key of the input within that channel and partner
     * @param part which message of a multi-message input (0 for the first or only one)
     */
    public static String of(String channel, String partner, String reference, int part) {
        String name = channel + '\u001f' + (partner == null ? "" : partner) + '\u001f' + reference + '\u001f' + part;
        return v5(NAMESPACE, name).toString();
    }

    static UUID v5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the Java platform", e);
        }
        ByteBuffer ns = ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits());
        sha1.update(ns.array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }
}
