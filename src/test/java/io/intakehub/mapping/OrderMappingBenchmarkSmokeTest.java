package io.intakehub.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intakehub.bench.OrderMappingBenchmark;
import io.intakehub.canonical.CanonicalJson;
import org.junit.jupiter.api.Test;

/** Keeps the JMH benchmark from rotting: each benchmark method runs once and produces the right thing. */
class OrderMappingBenchmarkSmokeTest {

    @Test
    void everyBenchmarkMethodProducesItsResult() throws Exception {
        OrderMappingBenchmark b = new OrderMappingBenchmark();
        b.setup();
        JsonNode copy = CanonicalJson.mapper().readTree(b.jacksonReadWrite());
        assertThat(copy.get("orderNumber").asText()).isEqualTo("4500012345");
        JsonNode mapped = CanonicalJson.mapper().readTree(b.map());
        assertThat(mapped.at("/order/lines/0/unitPrice/amount").asText()).isEqualTo("125.50");
        JsonNode canonical = CanonicalJson.mapper().readTree(b.canonicalStage());
        assertThat(canonical.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(canonical.get("messageId").asText()).hasSize(36);
    }
}
