package io.intakehub.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalAssembler;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.Envelope;
import io.intakehub.canonical.SchemaValidator;
import io.intakehub.canonical.SourceInfo;
import io.intakehub.ingest.web.FormDecoder;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/**
 * Golden files for the web-form mappings, without Spring: each sample under
 * {@code samples/web/} mapped, wrapped and validated must equal the {@code .canonical.json} beside
 * it, and survive a round trip through the Java records. Run with {@code -Dgolden.update=true} to
 * rewrite the expected files after a deliberate mapping change (then review the diff).
 */
class WebFormMappingGoldenTest {

    static final Path SAMPLES = Path.of("src/test/resources/samples/web");
    static final OffsetDateTime RECEIVED = OffsetDateTime.parse("2026-11-22T09:30:00+08:00");
    static CanonicalMapper mapper;

    @BeforeAll
    static void load() {
        mapper = new CanonicalMapper(MappingRegistry.fromLocation("classpath:mappings/"),
                new CanonicalAssembler(new SchemaValidator()));
    }

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("order-en.json", "order"),
                Arguments.of("order-zh.json", "order"),
                Arguments.of("order-form-zh.form", "order"),
                Arguments.of("complaint-en.json", "complaint"),
                Arguments.of("complaint-zh.json", "complaint"),
                Arguments.of("registration-en.json", "registration"),
                Arguments.of("registration-zh.json", "registration"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleMapsToItsGoldenCanonicalMessage(String sample, String sourceType) throws Exception {
        ObjectNode canonical = map(sample, sourceType);
        Path expected = SAMPLES.resolve(sample.replaceAll("\\.(json|form)$", "") + ".canonical.json");
        String actual = CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(canonical);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expected, actual + "\n", StandardCharsets.UTF_8);
        }
        JSONAssert.assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, JSONCompareMode.STRICT);

        // the records mirror the schema: reading into them and writing back loses nothing
        Envelope env = CanonicalJson.mapper().readValue(actual, Envelope.class);
        String back = CanonicalJson.mapper().writeValueAsString(env);
        JSONAssert.assertEquals(actual, back, JSONCompareMode.STRICT);
    }

    @Test
    void invalidOrderListsEveryBadFieldWithAReadableReason() {
        assertThatThrownBy(() -> map("order-invalid.json", "order"))
                .isInstanceOfSatisfying(HubException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ReasonCode.INVALID_INPUT);
                    assertThat(e.errors()).extracting(err -> err.pointer() + " " + err.message()).contains(
                            "/order/orderType does not have a value in the enumeration [\"standard\", \"consignment-fill-up\", \"consignment-issue\", \"consignment-pick-up\", \"consignment-return\", \"return\", \"sample-loan\"]",
                            "/order/requiredDelivery must be an ISO-8601 date-time with zone, such as 2026-11-23T10:00:00+08:00",
                            "/customer/email must be an e-mail address such as name@example.com",
                            "/order/lines/0/quantity must be a non-negative decimal number such as 10 or 2.5",
                            "/order/lines/0/unitPrice/amount must be a decimal number such as 125.50 (digits, optional minus, at most 6 decimals, no exponent)",
                            "/order/lines/1 required property 'product' not found");
                });
    }

    @Test
    void sameSourceGivesSameMessageIdAndAnotherSourceAnother() throws Exception {
        String a = map("order-en.json", "order").get("messageId").asText();
        String b = map("order-en.json", "order").get("messageId").asText();
        assertThat(a).isEqualTo(b).matches("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        JsonNode input = CanonicalJson.mapper().readTree(SAMPLES.resolve("order-en.json").toFile());
        String other = mapper.toCanonical(new MappingKey("web", "web-form", "golden", "order"), input,
                new SourceInfo("web", "json", "golden", "sample:other", RECEIVED, null, null, 0, null))
                .get("messageId").asText();
        assertThat(other).isNotEqualTo(a);
    }

    @Test
    void unknownSourceTypeIsNoMapping() {
        assertThatThrownBy(() -> mapper.toCanonical(new MappingKey("web", "web-form", "golden", "feedback"),
                CanonicalJson.mapper().createObjectNode(), source("x", "json")))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.NO_MAPPING));
    }

    static ObjectNode map(String sample, String sourceType) throws IOException {
        byte[] raw = Files.readAllBytes(SAMPLES.resolve(sample));
        boolean form = sample.endsWith(".form");
        JsonNode input = form
                ? FormDecoder.decode(new String(raw, StandardCharsets.UTF_8).trim(), StandardCharsets.UTF_8)
                : CanonicalJson.mapper().readTree(raw);
        return mapper.toCanonical(new MappingKey("web", "web-form", "golden", sourceType), input,
                source(sample, form ? "form-urlencoded" : "json"));
    }

    static SourceInfo source(String sample, String format) {
        return new SourceInfo("web", format, "golden", "sample:" + sample, RECEIVED, null, null, 0, null);
    }
}
