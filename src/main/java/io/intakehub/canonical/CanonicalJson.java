package io.intakehub.canonical;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
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

    /** Field names seen in canonical trees, quoted and UTF-8 encoded once; bounded (a schema has a few hundred). */
    private static final Map<String, SerializedString> NAMES = new ConcurrentHashMap<>();
    private static final int MAX_NAMES = 4096;

    private CanonicalJson() {}

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A tree as UTF-8 JSON: byte for byte what {@code mapper().writeValueAsBytes(tree)} writes, without its
     * per-node serializer dispatch and with each field name encoded once per JVM instead of once per message
     * (field names are most of what a canonical message writes: 60 of them in a two-line order). Every
     * canonical message on a topic is written by this.
     */
    public static byte[] bytes(JsonNode tree) {
        BufferRecycler recycler = MAPPER.getFactory()._getBufferRecycler();
        try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
            try (JsonGenerator g = MAPPER.createGenerator(out, JsonEncoding.UTF8)) {
                write(g, tree);
            }
            byte[] bytes = out.toByteArray();
            out.release();
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree did not serialise: " + e.getMessage(), e);
        } finally {
            recycler.releaseToPool();
        }
    }

    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    SerializedString name = name(field.getKey());
                    if (name != null) {
                        g.writeFieldName(name);
                    } else {
                        g.writeFieldName(field.getKey());
                    }
                    write(g, field.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (int i = 0, n = node.size(); i < n; i++) {
                    write(g, node.get(i));
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> g.writeNumber(node.intValue());
                    case LONG -> g.writeNumber(node.longValue());
                    case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
                    default -> MAPPER.writeTree(g, node);
                }
            }
            default -> MAPPER.writeTree(g, node); // binary, POJO: the mapper's own way
        }
    }

    private static SerializedString name(String key) {
        SerializedString name = NAMES.get(key);
        if (name == null && NAMES.size() < MAX_NAMES) {
            name = new SerializedString(key);
            NAMES.putIfAbsent(key, name);
        }
        return name;
    }
}
