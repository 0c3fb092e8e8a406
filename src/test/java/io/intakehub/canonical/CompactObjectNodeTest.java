package io.intakehub.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.schibsted.spt.data.jslt.Parser;
import com.schibsted.spt.data.jslt.impl.NodeUtils;
import io.intakehub.mapping.MappingRegistry;
import org.junit.jupiter.api.Test;

/** The compact object node behaves as Jackson's own, small or large, and is what mappings build. */
class CompactObjectNodeTest {

    private final ObjectMapper json = CanonicalJson.mapper();

    /** Random puts, replacements, removals (by key and through the iterator) and clears, against a LinkedHashMap. */
    @Test
    void behavesAsALinkedHashMapUnderRandomOperationsOnBothSidesOfTheSmallLimit() {
        Random random = new Random(20261204);
        for (int round = 0; round < 300; round++) {
            FieldMap compact = new FieldMap();
            Map<String, JsonNode> expected = new LinkedHashMap<>();
            int keys = 1 + random.nextInt(FieldMap.SMALL * 3);
            for (int op = 0; op < 200; op++) {
                String key = "k" + random.nextInt(keys);
                JsonNode value = IntNode.valueOf(random.nextInt(1000));
                switch (random.nextInt(10)) {
                    case 0 -> assertThat(compact.remove(key)).isEqualTo(expected.remove(key));
                    case 1 -> {
                        Iterator<Map.Entry<String, JsonNode>> a = compact.entrySet().iterator();
                        Iterator<Map.Entry<String, JsonNode>> b = expected.entrySet().iterator();
                        while (a.hasNext()) {
                            Map.Entry<String, JsonNode> x = a.next();
                            Map.Entry<String, JsonNode> y = b.next();
                            assertThat(x).isEqualTo(y);
                            assertThat(x.hashCode()).isEqualTo(y.hashCode());
                            if (x.getKey().hashCode() % 3 == 0) {
                                a.remove();
                                b.remove();
                            } else if (x.getKey().hashCode() % 3 == 1) {
                                assertThat(x.setValue(value)).isEqualTo(y.setValue(value));
                            }
                        }
                        assertThat(b.hasNext()).isFalse();
                    }
                    case 2 -> {
                        if (random.nextInt(20) == 0) {
                            compact.clear();
                            expected.clear();
                        }
                    }
                    default -> assertThat(compact.put(key, value)).isEqualTo(expected.put(key, value));
                }
                assertThat(compact.size()).isEqualTo(expected.size());
                assertThat(compact.get(key)).isEqualTo(expected.get(key));
                assertThat(compact.containsKey(key)).isEqualTo(expected.containsKey(key));
            }
            assertThat(new ArrayList<>(compact.entrySet())).isEqualTo(new ArrayList<>(expected.entrySet()));
            assertThat(compact).isEqualTo(expected);
            assertThat(compact.hashCode()).isEqualTo(expected.hashCode());
            assertThat(compact.get(null)).isNull();
            assertThat(compact.get(42)).isNull();
        }
    }

    @Test
    void aChangeBehindAnIteratorIsReportedNotSkipped() {
        ObjectNode node = CompactObjectNode.FACTORY.objectNode().put("a", 1).put("b", 2);
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        it.next();
        node.put("c", 3);
        assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
        assertThatThrownBy(() -> CompactObjectNode.FACTORY.objectNode().properties().iterator().next())
                .isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void isAnObjectNodeLikeAnyOtherSmallOrLarge() throws Exception {
        for (int fields : new int[] {0, 1, FieldMap.SMALL, FieldMap.SMALL + 1, 500}) {
            ObjectNode compact = CompactObjectNode.FACTORY.objectNode();
            ObjectNode plain = json.createObjectNode();
            for (int i = fields - 1; i >= 0; i--) {
                compact.put("field-" + i, "v" + i);
                plain.put("field-" + i, "v" + i);
            }
            compact.putObject("nested").put("x", 1);
            plain.putObject("nested").put("x", 1);
            assertThat(compact).isEqualTo(plain);
            assertThat(plain).isEqualTo(compact);
            assertThat(compact.hashCode()).isEqualTo(plain.hashCode());
            assertThat(compact.deepCopy()).isEqualTo(plain);
            List<String> names = new ArrayList<>();
            compact.fieldNames().forEachRemaining(names::add);
            List<String> plainNames = new ArrayList<>();
            plain.fieldNames().forEachRemaining(plainNames::add);
            assertThat(names).isEqualTo(plainNames);
            // written as the mapper writes Jackson's own node, by the mapper and by the canonical writer
            assertThat(json.writeValueAsString(compact)).isEqualTo(json.writeValueAsString(plain));
            assertThat(CanonicalJson.bytes(compact)).isEqualTo(json.writeValueAsBytes(plain));
            compact.remove("field-0");
            compact.retain("nested", "field-1");
            assertThat(compact.size()).isEqualTo(fields >= 2 ? 2 : 1);
            assertThat(compact.get("nested").get("x").intValue()).isEqualTo(1);
        }
    }

    @Test
    void mappingsBuildCompactNodesAndReadAnyNode() {
        MappingRegistry.fromLocation("classpath:mappings/"); // the registry hands JSLT the factory before it compiles
        assertThat(NodeUtils.mapper.getNodeFactory()).isSameAs(CompactObjectNode.FACTORY);
        ObjectNode in = json.createObjectNode().put("name", " Ada ");
        JsonNode out = new Parser(new java.io.StringReader("{\"who\": {\"name\": .name, \"none\": null}}")).compile().apply(in);
        assertThat(out).isInstanceOf(CompactObjectNode.class);
        assertThat(out.get("who")).isInstanceOf(CompactObjectNode.class)
                .isEqualTo(json.createObjectNode().set("name", TextNode.valueOf(" Ada ")));
    }
}
