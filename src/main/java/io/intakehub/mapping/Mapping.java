package io.intakehub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.JsltException;
import io.intakehub.canonical.CanonicalType;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;

/** One compiled mapping file: input tree in, the canonical parts out. Thread-safe. */
public final class Mapping {

    private final String path;
    private final CanonicalType target;
    private final Expression expression;

    Mapping(String path, CanonicalType target, Expression expression) {
        this.path = path;
        this.target = target;
        this.expression = expression;
    }

    /** The file, relative to the mappings folder, e.g. {@code web-form/order-to-order.jslt}. */
    public String path() { return path; }

    /** The canonical type the file name promises. */
    public CanonicalType target() { return target; }

    public JsonNode apply(JsonNode input) {
        try {
            return expression.apply(input);
        } catch (JsltException e) {
            throw new HubException(ReasonCode.MAPPING_FAILED, "mapping " + path + " failed: " + e.getMessage(), e);
        }
    }
}
