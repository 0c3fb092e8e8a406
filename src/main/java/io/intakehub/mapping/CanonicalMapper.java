package io.intakehub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalAssembler;
import io.intakehub.canonical.SourceInfo;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;

/** Map, wrap and validate: the canonical stage in one call, usable without Spring or Camel. */
public final class CanonicalMapper {

    private final MappingRegistry registry;
    private final CanonicalAssembler assembler;

    public CanonicalMapper(MappingRegistry registry, CanonicalAssembler assembler) {
        this.registry = registry;
        this.assembler = assembler;
    }

    /**
     * @param key selects the mapping
     * @param input the neutral JSON tree the channel parsed
     * @param source where the input came from
     * @return the validated canonical message
     */
    public ObjectNode toCanonical(MappingKey key, JsonNode input, SourceInfo source) {
        Mapping mapping = registry.find(key);
        JsonNode mapped = mapping.apply(input);
        String produced = mapped == null ? "" : mapped.path("type").asText("");
        if (!produced.equals(mapping.target().wireName())) {
            throw new HubException(ReasonCode.MAPPING_FAILED, "mapping " + mapping.path() + " produced type '"
                    + produced + "' but its file name promises '" + mapping.target().wireName() + "'");
        }
        return assembler.assemble(mapped, source);
    }
}
