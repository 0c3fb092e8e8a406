package io.intakehub.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.intakehub.ingest.phone.PhoneProfiles;
import io.intakehub.support.HubFlowTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every CSV file of the shared conformance corpus ({@code ../shared/conformance/**}/*.csv: public
 * call-detail exports) dropped byte for byte into the running hub's phone folder, in name order;
 * what the hub did with it — the profile chosen, the receipt's outcomes per row, the contact events
 * logged — is compared with the outcome decided for it. A file added to the corpus fails this test
 * until its outcome is decided here.
 */
class PhoneConformanceFlowTest extends HubFlowTestSupport {

    static final Path CORPUS = Path.of("../shared/conformance");

    /** file → "profile rows: OUTCOME=count …, events=contact events logged from it". */
    static final Map<String, String> EXPECTED = new TreeMap<>(Map.of(
            // Asterisk Master.csv, 18 columns, padded quotes, doubled quotes in clid, empty answer times; legs of
            // one call written twice in a row (NOT_AVAILABLE channels) are two events, not a duplicate
            "fafeitsch-cdrcsv-report-generator/cdr.csv", "asterisk-cdr 218 rows: RECORDED=218, events=218",
            // a subset of cdr.csv, read after it: every row was logged already
            "fafeitsch-cdrcsv-report-generator/smallcdr.csv", "asterisk-cdr 45 rows: DUPLICATE=45, events=0"));

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PhoneProfiles profiles;

    @Test
    void everyCsvOfTheCorpusHasItsDecidedOutcome() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "the shared conformance corpus is not beside the project");
        List<Path> files;
        try (Stream<Path> all = Files.walk(CORPUS)) {
            files = all.filter(p -> p.toString().toLowerCase().endsWith(".csv")).sorted().toList();
        }
        Map<String, String> actual = new TreeMap<>();
        for (Path f : files) {
            String rel = CORPUS.relativize(f).toString().replace('\\', '/');
            actual.put(rel, outcome(rel.replace('/', '_'), Files.readAllBytes(f)));
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(EXPECTED);
    }

    private String outcome(String name, byte[] data) throws Exception {
        Path root = Path.of(props.getPhone().getRoot());
        Path part = root.resolve("in").resolve(name + ".part");
        Files.write(part, data);
        Files.move(part, root.resolve("in").resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Path done = root.resolve("done").resolve(name + ".ack.csv");
        Path failed = root.resolve("failed").resolve(name + ".ack.csv");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(done) || Files.exists(failed));
        Path receipt = Files.exists(done) ? done : failed;
        List<String> lines = Files.readAllLines(receipt, StandardCharsets.UTF_8);
        Map<String, Long> outcomes = lines.subList(1, lines.size()).stream()
                .map(l -> l.split(",", 5)).collect(Collectors.groupingBy(f -> f[1] + (f[3].isEmpty() ? "" : "/" + f[3]),
                        TreeMap::new, Collectors.counting()));
        // the profile the route chose: the same choice, made again on the same bytes
        String profile = profiles.match(() -> new ByteArrayInputStream(data), props.getPhone().getMaxRowChars())
                .map(l -> l.profile().id()).orElse("no-profile");
        Integer events = jdbc.queryForObject("select count(*) from contact_event where file_name = ?", Integer.class, name);
        return profile + " "
                + (lines.size() - 1) + " rows: " + outcomes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ")) + ", events=" + events;
    }
}
