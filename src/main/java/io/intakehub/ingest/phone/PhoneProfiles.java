package io.intakehub.ingest.phone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The export profiles ({@code *.profile.yaml} under {@code mappings/phone/}), checked when loaded,
 * and the choice of profile for a file from its first row: a header layout matches when every
 * required column's name is in the header; a layout by position when the row has one of its field
 * counts and its required values are there and readable.
 */
public final class PhoneProfiles {

    private static final com.google.re2j.Pattern PROFILE_ID = com.google.re2j.Pattern.compile("[a-z0-9-]{1,40}");
    private static final com.google.re2j.Pattern MAPPING_DISPOSITION = com.google.re2j.Pattern.compile("mapping:[a-z0-9-]+");

    private static final Set<String> DISPOSITIONS = Set.of("journal", "contact");

    private final List<PhoneProfile> profiles;
    private final ZoneId defaultZone;

    private PhoneProfiles(List<PhoneProfile> profiles, ZoneId defaultZone) {
        this.profiles = profiles;
        this.defaultZone = defaultZone;
    }

    /** Loads every {@code *.profile.yaml} from a folder or a classpath location. */
    public static PhoneProfiles load(String location, ZoneId defaultZone) {
        Map<String, String> texts = new LinkedHashMap<>();
        try {
            Path dir = Path.of(location.startsWith("file:") ? location.substring(5) : location);
            if (!location.startsWith("classpath:") && Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".profile.yaml")).sorted().toList()) {
                        texts.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
                    }
                }
            } else {
                String base = location.endsWith("/") ? location : location + "/";
                Resource[] found = new PathMatchingResourcePatternResolver().getResources(base + "*.profile.yaml");
                for (Resource r : found) {
                    try (InputStream in = r.getInputStream()) {
                        texts.put(r.getFilename(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read phone export profiles at " + location, e);
        }
        if (texts.isEmpty()) {
            throw new IllegalStateException("no phone export profiles (*.profile.yaml) at " + location);
        }
        return parse(texts, defaultZone);
    }

    /** Parses and checks profiles given as file name → YAML text. */
    public static PhoneProfiles parse(Map<String, String> texts, ZoneId defaultZone) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        List<PhoneProfile> list = new ArrayList<>();
        texts.forEach((name, text) -> {
            try {
                PhoneProfile p = yaml.readValue(text, PhoneProfile.class);
                check(name, p);
                list.add(p);
            } catch (IOException e) {
                throw new IllegalStateException("phone profile " + name + " is not valid: " + e.getMessage(), e);
            }
        });
        // header layouts first: a header names its columns, a layout by position only guesses
        list.sort(Comparator.comparing((PhoneProfile p) -> !p.header()).thenComparing(PhoneProfile::id));
        return new PhoneProfiles(List.copyOf(list), defaultZone);
    }

    private static void check(String file, PhoneProfile p) {
        String where = "phone profile " + file + ": ";
        if (p.id() == null || !PROFILE_ID.matcher(p.id()).matches()) {
            throw new IllegalStateException(where + "id must be 1-40 lower-case letters, digits or -");
        }
        if (p.columns() == null || p.columns().isEmpty() || p.kinds() == null || p.kinds().isEmpty()
                || p.key() == null || p.key().isEmpty() || p.rowType() == null) {
            throw new IllegalStateException(where + "columns, row-type, kinds and key are required");
        }
        Set<String> names = new java.util.HashSet<>();
        for (PhoneProfile.Column c : p.columns()) {
            if (!names.add(c.name())) {
                throw new IllegalStateException(where + "column " + c.name() + " is listed twice");
            }
            if (p.header() ? c.headers() == null || c.headers().isEmpty() : c.position() == null || c.position() < 1) {
                throw new IllegalStateException(where + "column " + c.name() + " needs "
                        + (p.header() ? "headers (the names it has in the file)" : "a position (1 = first)"));
            }
            c.valueType(); // an unknown type fails here
        }
        if (!p.header() && (p.fieldCounts() == null || p.fieldCounts().isEmpty())) {
            throw new IllegalStateException(where + "a layout by position needs field-counts");
        }
        for (String k : p.key()) {
            if (!names.contains(k) && !p.key().equals(PhoneLayout.WHOLE_ROW)) {
                throw new IllegalStateException(where + "key column " + k + " is not a column");
            }
        }
        if (p.receivedAt() != null && p.columns().stream().noneMatch(c -> c.name().equals(p.receivedAt())
                && c.valueType() == PhoneProfile.ValueType.DATETIME)) {
            throw new IllegalStateException(where + "received-at " + p.receivedAt() + " is not a datetime column");
        }
        if (p.rowType().fixed() == null && !names.contains(p.rowType().column())) {
            throw new IllegalStateException(where + "row-type.column " + p.rowType().column() + " is not a column");
        }
        p.kinds().forEach((kind, d) -> {
            if (!DISPOSITIONS.contains(d) && !MAPPING_DISPOSITION.matcher(d).matches()) {
                throw new IllegalStateException(where + "kind " + kind + " must be mapping:<name>, journal or contact, not " + d);
            }
        });
        if (p.kinds().containsValue("contact") && (p.contact() == null || !p.contact().containsKey("phone"))) {
            throw new IllegalStateException(where + "contact rows need a contact section naming at least the phone column");
        }
        if (p.contact() != null) {
            p.contact().values().forEach(col -> {
                if (!names.contains(col)) {
                    throw new IllegalStateException(where + "contact column " + col + " is not a column");
                }
            });
        }
    }

    public List<PhoneProfile> all() {
        return profiles;
    }

    public Optional<PhoneProfile> get(String id) {
        return profiles.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The zone of a profile's times. */
    public ZoneId zone(PhoneProfile p) {
        return p.zone() == null ? defaultZone : ZoneId.of(p.zone());
    }

    /**
     * The first profile whose layout fits the file's first row (read with each profile's delimiter,
     * quote and encoding), bound to the file's columns.
     *
     * @param file opens the file from its start (once per profile tried)
     */
    public Optional<PhoneLayout> match(Opener file, int maxRowChars) throws IOException {
        for (PhoneProfile p : profiles) {
            List<String> row;
            try (InputStream in = file.open(); CsvRowReader r = p.reader(in, maxRowChars)) {
                row = r.hasNext() ? r.next().fields() : null;
            }
            if (row == null) {
                continue;
            }
            Optional<PhoneLayout> layout = PhoneLayout.bind(p, zone(p), row);
            if (layout.isPresent()) {
                return layout;
            }
        }
        return Optional.empty();
    }

    /** Opens a file's bytes from the start. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }
}
