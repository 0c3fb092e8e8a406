package io.intakehub.ingest.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The configured web-form API keys ({@code hub.web.api-keys}: {@code key} or {@code client=key}
 * entries). Keys are compared as SHA-256 digests in constant time.
 */
public final class ApiKeys {

    private record Client(String id, byte[] digest) {}

    private final List<Client> clients = new ArrayList<>();

    public ApiKeys(List<String> entries) {
        for (String raw : entries) {
            String e = raw.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            String key = eq > 0 ? e.substring(eq + 1).trim() : e;
            String id = eq > 0 ? e.substring(0, eq).trim() : "client-" + HexFormat.of().formatHex(sha256(key), 0, 4);
            if (key.length() < 8) {
                throw new IllegalArgumentException("hub.web.api-keys: the key of client '" + id + "' is shorter than 8 characters");
            }
            clients.add(new Client(id, sha256(key)));
        }
    }

    /** The client id a key belongs to, or empty. */
    public Optional<String> clientOf(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        byte[] d = sha256(presented);
        String found = null;
        for (Client c : clients) {
            // SECURITY: constant-time comparison, and no early exit that would leak which key matched
            if (MessageDigest.isEqual(c.digest, d)) {
                found = c.id;
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
