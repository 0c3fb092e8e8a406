package io.intakehub.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intakehub.canonical.CanonicalAssembler;
import io.intakehub.canonical.CanonicalJson;
import io.intakehub.canonical.SchemaValidator;
import io.intakehub.canonical.SourceInfo;
import io.intakehub.mapping.CanonicalMapper;
import io.intakehub.mapping.Mapping;
import io.intakehub.mapping.MappingKey;
import io.intakehub.mapping.MappingRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * B4: the web order mapping against a plain Jackson read+write of the same order (the hub's mapper and its
 * settings, Jackson's own {@code readTree} and {@code writeValueAsBytes}), same bytes in, bytes out.
 * {@code map} is what the DESIGN target (≥ 0.75×) is about; {@code canonicalStage}
 * adds the envelope and JSON Schema validation, for information.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OrderMappingBenchmark {

    static final MappingKey KEY = new MappingKey("web", "web-form", "bench", "order");
    static final SourceInfo SOURCE = new SourceInfo("web", "json", "bench", "bench:order",
            OffsetDateTime.parse("2026-11-22T09:30:00+08:00"), null, null, 0, null);

    byte[] order;
    ObjectMapper json;
    Mapping mapping;
    CanonicalMapper stage;

    @Setup
    public void setup() {
        try {
            order = Files.readAllBytes(Path.of("src/test/resources/samples/web/order-en.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("run from the project root", e);
        }
        json = CanonicalJson.mapper();
        MappingRegistry registry = MappingRegistry.fromLocation("classpath:mappings/");
        mapping = registry.find(KEY);
        stage = new CanonicalMapper(registry, new CanonicalAssembler(new SchemaValidator()));
    }

    /** Baseline: parse the order and write it back. */
    @Benchmark
    public byte[] jacksonReadWrite() throws IOException {
        JsonNode tree = json.readTree(order);
        return json.writeValueAsBytes(tree);
    }

    /**
     * Read as the hub reads every input document ({@code CanonicalJson.readTree}), apply the JSLT order mapping (and
     * number its lines, which the mapping leaves to Java), write as the hub writes canonical messages.
     */
    @Benchmark
    public byte[] map() throws IOException {
        JsonNode mapped = mapping.apply(CanonicalJson.readTree(order));
        CanonicalAssembler.numberLines(mapped.path("order").get("lines"));
        return CanonicalJson.bytes(mapped); // as every canonical message is written
    }

    /** Parse, map, wrap in the envelope, validate against order.v1, write. */
    @Benchmark
    public byte[] canonicalStage() throws IOException {
        return CanonicalJson.bytes(stage.toCanonical(KEY, CanonicalJson.readTree(order), SOURCE));
    }
}
