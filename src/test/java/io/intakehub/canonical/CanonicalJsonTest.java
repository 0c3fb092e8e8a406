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
}
