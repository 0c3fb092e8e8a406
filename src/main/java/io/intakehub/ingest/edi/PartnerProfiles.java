package io.intakehub.ingest.edi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

/**
 * The trading partners of {@code mappings/partners.yaml}: identities, standards, versions,
 * transaction types and acknowledgement policy. Placeholders ({@code ${ENV:default}}) are resolved
 * against the Spring environment, so secrets stay out of the file.
 */
public final class PartnerProfiles {

    private static final com.google.re2j.Pattern PARTNER_ID = com.google.re2j.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The X12 side of a partner. */
    public record X12(String senderQualifier, String senderId, String receiverQualifier, String receiverId,
            List<String> versions, List<String> transactions, String ack) {}

    /** The EDIFACT side of a partner. */
    public record Edifact(String senderId, String senderQualifier, String receiverId, String receiverQualifier,
            List<String> versions, List<String> transactions, String ack) {}

    /** Credentials on the embedded SFTP server. */
    public record Sftp(String user, String password) {}

    /**
     * The partner's own server, when the hub fetches files instead of receiving uploads: camel-ftp
     * endpoint URIs (sftp://host:port/folder, ftp://…, or file:…) for the files to take and for the
     * acknowledgements to deliver, and the login.
     */
    public record Remote(String pullUri, String pushUri, String username, String password, Boolean verifyHostKey) {

        /** SECURITY: the partner server's host key is checked against ~/.ssh/known_hosts unless the profile says otherwise. */
        public boolean verifiesHostKey() {
            return verifyHostKey == null || verifyHostKey;
        }
    }

    /**
     * One partner. {@code emails}: the addresses it may send EDI files from as email attachments
     * (they are handed to the partner's in/ folder).
     */
    public record Partner(String id, String name, String customerId, String zone, String currency, Sftp sftp,
            X12 x12, Edifact edifact, Remote remote, List<String> emails) {

        /** Whether this address is one of the partner's own (case-insensitive). */
        public boolean sendsFrom(String address) {
            return emails != null && address != null && emails.stream().anyMatch(e -> e.equalsIgnoreCase(address.strip()));
        }


        /** Does this partner take this version of this standard? ({@code 004010VICS} counts as 004010.) */
        public boolean acceptsVersion(String standard, String version) {
            List<String> allowed = "X12".equals(standard) ? (x12 == null ? null : x12.versions())
                    : (edifact == null ? null : edifact.versions());
            if (allowed == null) {
                return false;
            }
            String v = version == null ? "" : version.replace(".", "").transform(s -> s.startsWith("X") ? s.substring(1) : s);
            return allowed.stream().anyMatch(a -> v.startsWith(a.replace(".", "")));
        }

        public boolean acceptsTransaction(String standard, String type) {
            List<String> allowed = "X12".equals(standard) ? (x12 == null ? null : x12.transactions())
                    : (edifact == null ? null : edifact.transactions());
            return allowed != null && allowed.contains(type);
        }

        /** The acknowledgement this partner gets for the standard: 997, 999, CONTRL or none. */
        public String ack(String standard) {
            String a = "X12".equals(standard) ? (x12 == null ? null : x12.ack()) : (edifact == null ? null : edifact.ack());
            return a == null ? "none" : a;
        }
    }

    private record File(Map<String, Partner> partners) {}

    private final Map<String, Partner> partners;

    private PartnerProfiles(Map<String, Partner> partners) {
        this.partners = partners;
    }

    /** Loads the profiles from a file or resource location (file: or classpath:). */
    public static PartnerProfiles load(String location, PropertyResolver placeholders) {
        String text;
        Path direct = Path.of(location.startsWith("file:") ? location.substring(5) : location);
        try {
            if (!location.startsWith("classpath:") && Files.isRegularFile(direct)) {
                text = Files.readString(direct, StandardCharsets.UTF_8);
            } else {
                Resource r = new DefaultResourceLoader().getResource(location);
                try (InputStream in = r.getInputStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read partner profiles at " + location, e);
        }
        return parse(placeholders == null ? text : placeholders.resolveRequiredPlaceholders(text));
    }

    static PartnerProfiles parse(String yaml) {
        ObjectMapper m = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try {
            File f = m.readValue(yaml, File.class);
            Map<String, Partner> byId = new TreeMap<>();
            f.partners().forEach((id, p) -> {
                if (!PARTNER_ID.matcher(id).matches()) {
                    throw new IllegalArgumentException("partner id '" + id + "' must be 1-64 letters, digits, _ or -");
                }
                byId.put(id, new Partner(id, p.name(), p.customerId(), p.zone() == null ? "+08:00" : p.zone(),
                        p.currency() == null ? "CNY" : p.currency(), p.sftp(), p.x12(), p.edifact(), p.remote(),
                        p.emails() == null ? List.of() : List.copyOf(p.emails())));
            });
            return new PartnerProfiles(byId);
        } catch (IOException e) {
            throw new IllegalArgumentException("partners.yaml is not valid: " + e.getMessage(), e);
        }
    }

    /** The partner that sends from this email address, if any. */
    public Optional<Partner> byEmail(String address) {
        return partners.values().stream().filter(p -> p.sendsFrom(address)).findFirst();
    }

    public Optional<Partner> get(String id) {
        return Optional.ofNullable(partners.get(id));
    }

    public Collection<Partner> all() {
        return partners.values();
    }
}
