package io.intakehub.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ops API's and the actuator's users (HTTP Basic), separate from the web-form API keys:
 * {@code hub.ops.users} = {@code name:password:ROLE,…} with ROLE {@code VIEWER} (reads) or {@code OPERATOR}
 * (reads and changes). From the environment ({@code HUB_OPS_USERS}) in production; the embedded default has a
 * documented local viewer and operator.
 */
public final class OpsUsers {

    /** What a user may do; an operator may do everything a viewer may. */
    public enum Role { VIEWER, OPERATOR }

    /** An authenticated user. */
    public record User(String name, Role role) {}

    private record Entry(byte[] password, Role role) {}

    private final Map<String, Entry> users = new LinkedHashMap<>();

    public OpsUsers(String spec) {
        for (String item : spec == null ? new String[0] : spec.split(",")) {
            String[] parts = item.strip().split(":");
            if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("hub.ops.users: '" + item.strip() + "' is not name:password:ROLE");
            }
            users.put(parts[0], new Entry(parts[1].getBytes(StandardCharsets.UTF_8), Role.valueOf(parts[2].strip().toUpperCase())));
        }
    }

    /** The user an {@code Authorization: Basic …} header names, when its password is right. */
    public Optional<User> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 1) {
            return Optional.empty();
        }
        Entry e = users.get(decoded.substring(0, colon));
        byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        // compared in constant time; an unknown user is compared too, so timing does not tell names apart
        boolean ok = MessageDigest.isEqual(e == null ? new byte[given.length + 1] : e.password(), given) && e != null;
        return ok ? Optional.of(new User(decoded.substring(0, colon), e.role())) : Optional.empty();
    }
}
