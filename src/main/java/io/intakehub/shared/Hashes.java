package io.intakehub.shared;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content hashes, the one way every channel writes them (lower-case hex). */
public final class Hashes {

    private Hashes() {}

    /** SHA-256 of the bytes, as 64 lower-case hex digits. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** SHA-256 of the text's UTF-8 bytes, as 64 lower-case hex digits. */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** SHA-256 of a file's bytes, read in blocks (a dead-lettered input may be larger than the heap). */
    public static String sha256Hex(java.nio.file.Path file) throws java.io.IOException {
        MessageDigest d = sha256();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] block = new byte[64 * 1024];
            for (int n; (n = in.read(block)) > 0; ) {
                d.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /**
     * A value built from outside input (a file name, a Message-ID) cut to a fixed length for a store column
     * or an id: kept as is when it fits, otherwise its head and a hash of the whole, so two long values that
     * share a head stay apart and the same value always gives the same result.
     */
    public static String fitted(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        String hash = sha256Hex(value).substring(0, 32);
        int head = Math.max(0, max - hash.length() - 1);
        // never split a surrogate pair at the cut
        if (head > 0 && Character.isHighSurrogate(value.charAt(head - 1))) {
            head--;
        }
        return value.substring(0, head) + "~" + hash.substring(0, Math.min(hash.length(), max - head - 1));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
