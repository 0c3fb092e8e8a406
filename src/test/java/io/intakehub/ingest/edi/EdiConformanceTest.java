package io.intakehub.ingest.edi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalAssembler;
import io.intakehub.canonical.SchemaValidator;
import io.intakehub.canonical.SourceInfo;
import io.intakehub.mapping.CanonicalMapper;
import io.intakehub.mapping.MappingKey;
import io.intakehub.mapping.MappingRegistry;
import io.intakehub.shared.HubException;
import org.junit.jupiter.api.Test;

/**
 * Every EDI file of the shared conformance corpus ({@code ../shared/conformance}, public samples:
 * valid, quirky and broken) read with the shipped schemas and mapped as if a partner whose profile
 * takes these versions had sent it; the outcome of each transaction is asserted. A new file in the
 * corpus fails this test until its outcome is decided here. Runs when the corpus is beside the project.
 */
class EdiConformanceTest {

    static final Path CORPUS = Path.of("../shared/conformance");
    static final List<String> EDI_FOLDERS = List.of("node-x12", "staedi", "pydifact", "smooks-edi-cartridge", "imsweb-x12-parser");

    /** The decided outcome of each file: one entry per transaction, then envelope-level fatal errors. */
    static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("node-x12/850.edi", "850:ACCEPTED"),
            Map.entry("node-x12/850_2.edi", "850:ACCEPTED"),                       // newline as segment terminator
            Map.entry("node-x12/850_3.edi", "850:ACCEPTED"),
            Map.entry("node-x12/850_fat.edi", "850:ACCEPTED 850:DUPLICATE_INTERCHANGE"), // same ISA13 twice
            Map.entry("node-x12/855.edi", "855:UNSUPPORTED_TRANSACTION"),
            Map.entry("node-x12/856.edi", "856:UNSUPPORTED_TRANSACTION"),
            Map.entry("staedi/empty997.edi", "997:ACKNOWLEDGEMENT"),
            Map.entry("staedi/extraDelimiter997.edi", "997:ACKNOWLEDGEMENT"),
            Map.entry("staedi/invalid997.edi", "997:ACKNOWLEDGEMENT"),
            Map.entry("staedi/invalid999.edi", "999:ACKNOWLEDGEMENT"),
            Map.entry("staedi/simple997.edi", "997:ACKNOWLEDGEMENT"),
            Map.entry("staedi/simple999.edi", "999:ACKNOWLEDGEMENT"),
            Map.entry("staedi/simple997-multiple-interchanges.edi", "997:ACKNOWLEDGEMENT 997:ACKNOWLEDGEMENT 997:ACKNOWLEDGEMENT"),
            Map.entry("staedi/simple810.edi", "810:UNSUPPORTED_TRANSACTION 810:UNSUPPORTED_TRANSACTION"),
            Map.entry("staedi/invoice810_po850_dual.edi", "810:UNSUPPORTED_TRANSACTION 810:UNSUPPORTED_TRANSACTION 850:ACCEPTED"),
            Map.entry("staedi/orders-with-group.edi", "ORDERS:EDI_INVALID"),       // UNT count 21 for 18 segments
            Map.entry("staedi/invoic_d97b_bad.edi", "INVOIC:UNSUPPORTED_TRANSACTION"),
            Map.entry("staedi/invoic_d93a_una.edi", "INVOIC:UNSUPPORTED_TRANSACTION"),
            Map.entry("pydifact/order.edi", "ORDERS:EDI_UNREADABLE | envelope TRUNCATED"),   // no UNZ
            Map.entry("pydifact/order2.edi", "ORDERS:EDI_UNREADABLE | envelope TRUNCATED"),
            Map.entry("pydifact/invoice_with_colon_at_end.edi", "INVOIC:UNSUPPORTED_TRANSACTION"),
            Map.entry("pydifact/aperak_rejected.edi", "APERAK:UNSUPPORTED_TRANSACTION"),
            Map.entry("smooks-edi-cartridge/ORDERS_D.03B_Interchange.txt", "ORDERS:ACCEPTED"),
            Map.entry("smooks-edi-cartridge/BAD_ORDERS_D.03B_Interchange.txt", "ORDERS:EDI_INVALID"), // DTM x35, UNT count
            Map.entry("imsweb-x12-parser/x12_999_accepted.txt", "999:ACKNOWLEDGEMENT | envelope CONTROL_REFERENCE_MISMATCH"),
            Map.entry("imsweb-x12-parser/x12_999_rejected.txt", "999:ACKNOWLEDGEMENT"),
            Map.entry("imsweb-x12-parser/x12_bad_first_line.txt", "| envelope UNREADABLE"),
            Map.entry("imsweb-x12-parser/x12_multiple_isa.txt", "837:UNSUPPORTED_TRANSACTION 837:UNSUPPORTED_TRANSACTION"),
            Map.entry("imsweb-x12-parser/x12_valid_different_separators.txt", "837:UNSUPPORTED_TRANSACTION")));

    /** A partner profile that takes every version in the corpus, so that versions do not hide other outcomes. */
    static final PartnerProfiles.Partner PARTNER = new PartnerProfiles.Partner("CONFORMANCE", "Conformance corpus", "C-0",
            "+08:00", "CNY", null,
            new PartnerProfiles.X12("ZZ", "ANY", "ZZ", "HUB", List.of("003010", "004010", "005010"), List.of("850"), "997"),
            new PartnerProfiles.Edifact("ANY", null, "HUB", null, List.of("D96A", "D96B", "D01B", "D03B"), List.of("ORDERS"), "CONTRL"),
            null, List.of());

    @Test
    void everyEdiFileOfTheCorpusHasItsDecidedOutcome() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "the shared conformance corpus is not beside the project");
        EdiSchemas schemas = new EdiSchemas();
        CanonicalMapper mapper = new CanonicalMapper(MappingRegistry.fromLocation("classpath:mappings/"),
                new CanonicalAssembler(new SchemaValidator()));
        Map<String, String> actual = new TreeMap<>();
        for (String folder : EDI_FOLDERS) {
            try (Stream<Path> files = Files.list(CORPUS.resolve(folder))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".edi") || p.toString().endsWith(".txt")).sorted().toList()) {
                    actual.put(folder + "/" + f.getFileName(), outcome(f, schemas, mapper));
                }
            }
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(EXPECTED);
    }

    /** What the hub does with each transaction of a file, in the order of the EDI ingest route's checks. */
    static String outcome(Path file, EdiSchemas schemas, CanonicalMapper mapper) throws Exception {
        List<String> parts = new ArrayList<>();
        Set<String> interchanges = new HashSet<>();
        // as EdiIngest.checkEnvelope: each envelope is checked once, when its first transaction arrives
        Map<EdiEnvelope, Boolean> duplicate = new java.util.IdentityHashMap<>();
        List<EdiEnvelope> envelopes;
        // read as the route reads: on a reading thread of its own, a batch ahead
        try (InputStream in = Files.newInputStream(file); EdiReadAhead r = new EdiReadAhead(new EdiReader(in, schemas), file.getFileName().toString())) {
            while (r.hasNext()) {
                EdiTransaction t = r.next();
                String std = t.envelope().standard;
                String verdict;
                boolean dup = duplicate.computeIfAbsent(t.envelope(), e -> !interchanges.add(e.key()));
                if (dup) {
                    verdict = "DUPLICATE_INTERCHANGE";
                } else if (t.acknowledgement()) {
                    verdict = "ACKNOWLEDGEMENT";
                } else if (!t.supported() || !PARTNER.acceptsTransaction(std, t.type()) || !PARTNER.acceptsVersion(std, t.typeVersion())) {
                    verdict = "UNSUPPORTED_TRANSACTION";
                } else if (!t.valid()) {
                    verdict = t.errors().stream().anyMatch(e -> e.code().equals("TRUNCATED")) ? "EDI_UNREADABLE" : "EDI_INVALID";
                } else {
                    verdict = map(t, mapper);
                }
                parts.add(t.type() + ":" + verdict);
            }
            envelopes = r.envelopes();
        }
        List<String> fatal = envelopes.stream().flatMap(e -> e.errors.stream()).filter(EdiError::fatal).map(EdiError::code).distinct().toList();
        return String.join(" ", parts) + (fatal.isEmpty() ? "" : (parts.isEmpty() ? "" : " ") + "| envelope " + String.join(",", fatal));
    }

    static String map(EdiTransaction t, CanonicalMapper mapper) {
        ObjectNode in = EdiIngest.mappingInput(t, PARTNER);
        String format = t.envelope().isX12() ? "edi-x12" : "edifact";
        try {
            mapper.toCanonical(new MappingKey("edi", format, PARTNER.id(), t.type().toLowerCase()), in,
                    new SourceInfo("edi", format, PARTNER.id(), t.reference(), OffsetDateTime.now(), null, null, 0, null));
            return "ACCEPTED";
        } catch (HubException e) {
            return e.reason().name();
        }
    }
}
