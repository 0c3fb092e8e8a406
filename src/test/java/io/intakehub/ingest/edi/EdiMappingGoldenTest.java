package io.intakehub.ingest.edi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalAssembler;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.Envelope;
import io.intakehub.canonical.SchemaValidator;
import io.intakehub.canonical.SourceInfo;
import io.intakehub.mapping.CanonicalMapper;
import io.intakehub.mapping.MappingKey;
import io.intakehub.mapping.MappingRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/**
 * Golden files for the EDI mappings, without Spring: each sample under {@code samples/edi/} read with
 * the shipped StAEDI schemas, mapped for partner ACME and validated must equal the
 * {@code .canonical.json} beside it ({@code -Dgolden.update=true} rewrites them).
 */
class EdiMappingGoldenTest {

    static final Path SAMPLES = Path.of("src/test/resources/samples/edi");
    static final OffsetDateTime RECEIVED = OffsetDateTime.parse("2026-11-22T09:30:00+08:00");
    static EdiSchemas schemas;
    static CanonicalMapper mapper;
    static PartnerProfiles.Partner acme;

    @BeforeAll
    static void load() {
        schemas = new EdiSchemas();
        mapper = new CanonicalMapper(MappingRegistry.fromLocation("classpath:mappings/"), new CanonicalAssembler(new SchemaValidator()));
        acme = PartnerProfiles.load("classpath:mappings/partners.yaml", null).get("ACME").orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x12-850-004010.edi", "x12-850-005010.edi", "edifact-orders-d96a.edi", "edifact-orders-d01b.edi"})
    void sampleMapsToItsGoldenOrder(String sample) throws Exception {
        List<ObjectNode> orders = map(sample);
        assertThat(orders).hasSize(1);
        String actual = CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(orders.get(0));
        Path expected = SAMPLES.resolve(sample.replace(".edi", ".canonical.json"));
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expected, actual + "\n", StandardCharsets.UTF_8);
        }
        JSONAssert.assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, JSONCompareMode.STRICT);
        String back = CanonicalJson.mapper().writeValueAsString(CanonicalJson.mapper().readValue(actual, Envelope.class));
        JSONAssert.assertEquals(actual, back, JSONCompareMode.STRICT);
    }

    static List<ObjectNode> map(String sample) throws Exception {
        List<ObjectNode> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(SAMPLES.resolve(sample)); EdiReader r = new EdiReader(in, schemas)) {
            while (r.hasNext()) {
                EdiTransaction t = r.next();
                assertThat(t.errors()).as("errors in " + sample).isEmpty();
                ObjectNode input = EdiIngest.mappingInput(t, acme);
                String format = t.envelope().isX12() ? "edi-x12" : "edifact";
                out.add(mapper.toCanonical(new MappingKey("edi", format, acme.id(), t.type().toLowerCase()), input,
                        new SourceInfo("edi", t.envelope().isX12() ? "x12" : "edifact", acme.id(), t.reference(), RECEIVED,
                                sample, null, 0, null)));
            }
        }
        return out;
    }
}
