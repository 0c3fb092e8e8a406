package io.intakehub.mapping;

/**
 * What selects a mapping: the channel and source format of the input (together they name the folder
 * under {@code mappings/}), the partner or client it came from, and the kind of document it is.
 */
public record MappingKey(String channel, String format, String partner, String sourceType) {

    @Override
    public String toString() {
        return channel + "/" + format + (partner == null || partner.isEmpty() ? "" : "/" + partner) + "/" + sourceType;
    }
}
