package io.intakehub.canonical;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration for canonical messages: decimals stay decimals (never doubles),
 * times are ISO-8601 text, absent fields are omitted, input nesting and sizes are bounded.
 */
public final class CanonicalJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .maxStringLength(1_000_000)
                            .maxNumberLength(40)
                            .build())
                    .build())
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // 125.50 stays 125.50: the sender's scale is part of the amount
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            // a key given twice in one object is an error, not "last one wins"
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private CanonicalJson() {}

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads a JSON document into a tree: the same tree, numbers and limits as {@code mapper().readTree(..)} (decimals
     * as BigDecimal with their scale, a key given twice in one object refused, nothing after the document), but its
     * objects are {@link CompactObjectNode}s and a repeated key is caught as the tree is built, for nothing, instead of
     * by the parser's own set of every key it has seen. Every input document the hub maps is read by this (web bodies;
     * canonical messages read back by dispatch and the journal). Empty input is a {@code MissingNode}, as there.
     */
    public static JsonNode readTree(byte[] json) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            return document(p);
        }
    }

    /** {@link #readTree(byte[])} for text already decoded: only the document can be at fault. */
    public static JsonNode readTree(String json) throws JacksonException {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            return document(p);
        } catch (JacksonException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string did I/O", e);
        }
    }

    private static JsonNode document(JsonParser p) throws IOException {
        p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonToken first = p.nextToken();
        if (first == null) {
            return MissingNode.getInstance();
        }
        JsonNode tree = value(p, first);
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after the JSON document");
        }
        return tree;
    }

    /** One value; nesting is bounded by the factory's {@code maxNestingDepth}, which the parser enforces. */
    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = CompactObjectNode.FACTORY.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    if (object.replace(name, value(p, p.nextToken())) != null) {
                        throw new JsonParseException(p, "Duplicate field '" + name + "'");
                    }
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = CompactObjectNode.FACTORY.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t));
                }
                return array;
            }
            case VALUE_STRING -> {
                return TextNode.valueOf(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> IntNode.valueOf(p.getIntValue());
                    case LONG -> LongNode.valueOf(p.getLongValue());
                    default -> BigIntegerNode.valueOf(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                // USE_BIG_DECIMAL_FOR_FLOATS without STRIP_TRAILING_BIGDECIMAL_ZEROES: 125.50 stays 125.50
                return DecimalNode.valueOf(p.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return BooleanNode.TRUE;
            }
            case VALUE_FALSE -> {
                return BooleanNode.FALSE;
            }
            case VALUE_NULL -> {
                return NullNode.getInstance();
            }
            case VALUE_EMBEDDED_OBJECT -> {
                return CompactObjectNode.FACTORY.pojoNode(p.getEmbeddedObject());
            }
            default -> throw new JsonParseException(p, "Unexpected token " + token);
        }
    }

    /**
     * A tree as UTF-8 JSON: byte for byte what {@code mapper().writeValueAsBytes(tree)} writes. Every canonical
     * message on a topic is written by this: {@link CanonicalWriter} straight into a byte array, without the
     * generator's per-value bookkeeping and with each field name encoded once per JVM (field names are most of what a
     * canonical message writes: 60 of them in a two-line order); a tree with a node it leaves alone goes to Jackson.
     */
    public static byte[] bytes(JsonNode tree) {
        byte[] direct = CanonicalWriter.write(tree);
        if (direct != null) {
            return direct;
        }
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree did not serialise: " + e.getMessage(), e);
        }
    }
}
