package io.intakehub.canonical;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CanonicalJson#bytes} writes exactly what the mapper writes, for every kind of node. */
class CanonicalJsonTest {

    private final ObjectMapper json = CanonicalJson.mapper();

    static Stream<Path> goldenFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/samples"))) {
            List<Path> golden = files.filter(p -> p.toString().endsWith(".canonical.json")
                    || p.toString().endsWith(".expected.json")).sorted().toList();
            assertThat(golden).hasSizeGreaterThanOrEqualTo(15);
            return golden.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void everyGoldenMessageIsWrittenByteForByteAsTheMapperWritesIt(Path file) throws IOException {
        JsonNode tree = json.readTree(file.toFile());
        byte[] expected = json.writeValueAsBytes(tree);
        assertThat(CanonicalJson.bytes(tree)).isEqualTo(expected);
        assertThat(json.readTree(CanonicalJson.bytes(tree))).isEqualTo(tree);
    }

    @Test
    void everyKindOfNodeAndAwkwardNamesAreWrittenAsTheMapperWritesThem() throws IOException {
        ObjectNode tree = json.createObjectNode();
        tree.putNull("absent");
        tree.put("int", 7).put("long", 12_345_678_901L).put("decimal", new BigDecimal("125.50"))
                .put("exponent", new BigDecimal("1E+3")).put("double", 0.1).put("float", 2.5f)
                .put("big", new BigInteger("123456789012345678901234567890")).put("yes", true).put("no", false)
                .put("short", (short) 3).put("binary", new byte[] {1, 2, 3});
        tree.put("中文名", "上海市浦东新区 \"引号\" \\ / \u0001 \u2028 😀");
        tree.put("quote\"and\\back\nslash", "x");
        tree.putPOJO("pojo", List.of("a", 1));
        ArrayNode nested = tree.putArray("nested");
        nested.add(json.createObjectNode()).add(json.createArrayNode()).addNull().add(1).add("s")
                .addObject().putObject("deeper").putArray("empty");
        for (int i = 0; i < 2; i++) { // the second time from the cache of encoded names
            assertThat(new String(CanonicalJson.bytes(tree), UTF_8)).isEqualTo(new String(json.writeValueAsBytes(tree), UTF_8));
        }
        assertThat(CanonicalJson.bytes(json.getNodeFactory().textNode("only"))).isEqualTo("\"only\"".getBytes(UTF_8));
    }

    @Test
    void aTreeWithMoreNamesThanTheCacheHoldsIsStillWrittenWhole() throws IOException {
        ObjectNode wide = json.createObjectNode();
        for (int i = 0; i < 6000; i++) {
            wide.put("free-key-" + i, i);
        }
        assertThat(CanonicalJson.bytes(wide)).isEqualTo(json.writeValueAsBytes(wide));
    }

    static Stream<String> documents() throws IOException {
        List<String> docs = new java.util.ArrayList<>(List.of(
                "{}", "[]", "7", "\"text\"", "null", "true", " {\"a\": 1} ",
                "{\"int\": 7, \"long\": 12345678901, \"big\": 123456789012345678901234567890, \"neg\": -3,"
                        + " \"dec\": 125.50, \"exp\": 1E+3, \"small\": 1.0e-7, \"zero\": -0.0, \"t\": true, \"f\": false,"
                        + " \"n\": null, \"s\": \"上海 \\u00e9 \\\" \\\\\", \"e\": \"\", \"arr\": [1, [2, [3]], {\"x\": {}}, []]}"));
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 300; i++) {
            wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": ").append(i);
        }
        docs.add(wide.append('}').toString());
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/samples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                docs.add(Files.readString(f));
            }
        }
        return docs.stream();
    }

    /** The hub's reader builds the tree the mapper builds: equal, with the same node classes and decimal scales. */
    @ParameterizedTest
    @MethodSource("documents")
    void theReaderBuildsTheTreeTheMapperBuilds(String doc) throws IOException {
        JsonNode expected = json.readTree(doc);
        JsonNode fromText = CanonicalJson.readTree(doc);
        JsonNode fromBytes = CanonicalJson.readTree(doc.getBytes(UTF_8));
        assertThat(fromText).isEqualTo(expected);
        assertThat(fromBytes).isEqualTo(expected);
        assertThat(CanonicalJson.bytes(fromBytes)).isEqualTo(json.writeValueAsBytes(expected));
        assertSameNodes(fromBytes, expected);
    }

    private static void assertSameNodes(JsonNode actual, JsonNode expected) {
        assertThat(actual.getNodeType()).isEqualTo(expected.getNodeType());
        if (expected.isNumber()) {
            assertThat(actual.getClass()).isEqualTo(expected.getClass());
            assertThat(actual.numberValue()).isEqualTo(expected.numberValue());
        }
        if (expected.isContainerNode()) {
            java.util.Iterator<String> names = actual.fieldNames();
            expected.fieldNames().forEachRemaining(n -> assertThat(names.next()).isEqualTo(n)); // same order
            for (int i = 0; i < expected.size() && expected.isArray(); i++) {
                assertSameNodes(actual.get(i), expected.get(i));
            }
            expected.fieldNames().forEachRemaining(n -> assertSameNodes(actual.get(n), expected.get(n)));
        }
    }

    @Test
    void theReaderRefusesWhatTheMapperRefuses() throws IOException {
        assertThat(CanonicalJson.readTree("")).isEqualTo(json.readTree("")); // MissingNode, both
        for (String bad : List.of("{\"a\": 1, \"a\": 2}", "{\"x\": {\"b\": [1], \"b\": 2}}", "{\"a\": 1} {\"b\": 2}", "{\"a\": 1} x",
                "{\"a\": ", "[1, 2", "{\"a\" 1}", "{'a': 1}", "NaN", "[" .repeat(65) + "]".repeat(65),
                "{\"n\": 1" + "0".repeat(60) + "}")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.readTree(bad)).as("the mapper, %s", bad)
                    .isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.readTree(bad)).as("the reader, %s", bad)
                    .isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.readTree("{\"x\": {\"b\": [1], \"b\": 2}}"))
                .hasMessageContaining("Duplicate field 'b'");
    }

    /** Random text of every kind — controls, quotes, backslashes, DEL, Latin-1, CJK, emoji, lone surrogates — as names and values. */
    @Test
    void randomTextIsWrittenAsTheMapperWritesItOrRefusedAsTheMapperRefusesIt() throws IOException {
        java.util.Random random = new java.util.Random(4122026);
        char[] kinds = {'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u00e9', '\u00ff',
                '\u4e0a', '\u2028', '\ufffd', '\ud83d', '\ude00'};
        int refused = 0;
        int surrogates = 0;
        for (int round = 0; round < 3000; round++) {
            StringBuilder name = new StringBuilder();
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                name.append(kinds[random.nextInt(kinds.length - 2)]); // names without surrogates
            }
            for (int i = random.nextInt(40); i > 0; i--) {
                if (random.nextInt(10) == 0) {
                    text.append("\ud83d\ude00"); // a valid pair
                } else {
                    text.append(kinds[random.nextInt(kinds.length)]);
                }
            }
            if (text.chars().anyMatch(c -> Character.isSurrogate((char) c))) {
                surrogates++;
            }
            ObjectNode tree = CompactObjectNode.FACTORY.objectNode();
            tree.put(name.toString(), text.toString());
            tree.putArray("list").add(text.toString()).add(round).add(new BigDecimal(round + ".50"));
            byte[] expected;
            try {
                expected = json.writeValueAsBytes(tree);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                refused++;
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.bytes(tree))
                        .isInstanceOf(IllegalStateException.class);
                continue;
            }
            assertThat(CanonicalJson.bytes(tree)).as("%s", text).isEqualTo(expected);
        }
        assertThat(surrogates).as("texts with surrogates met").isGreaterThan(100);
        assertThat(refused).as("Jackson escapes even a lone surrogate").isZero();
    }

    @Test
    void nodesLeftToJacksonAreWrittenByJackson() throws IOException {
        ObjectNode tree = CompactObjectNode.FACTORY.objectNode();
        tree.put("double", 0.1).put("big", new BigInteger("123456789012345678901234567890")).put("bin", new byte[] {1});
        tree.put("tiny", new BigDecimal("1E-20")).put("huge", new BigDecimal("1E+20"));
        assertThat(CanonicalJson.bytes(tree)).isEqualTo(json.writeValueAsBytes(tree));
        ObjectNode refused = json.createObjectNode().put("d", new BigDecimal("1E+10000"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.writeValueAsBytes(refused))
                .isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.bytes(refused)).isInstanceOf(IllegalStateException.class);
        StringBuilder long1 = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            long1.append((char) ('a' + i % 26));
        }
        ObjectNode big = json.createObjectNode().put("long", long1.toString());
        assertThat(CanonicalJson.bytes(big)).isEqualTo(json.writeValueAsBytes(big));
        assertThat(CanonicalJson.bytes(big)).isEqualTo(json.writeValueAsBytes(big)); // the grown buffer is not kept
    }
}
