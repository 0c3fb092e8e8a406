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
    private final InputShape shape;

    Mapping(String path, CanonicalType target, Expression expression, InputShape shape) {
        this.path = path;
        this.target = target;
        this.expression = expression;
        this.shape = shape;
    }

    /** The file, relative to the mappings folder, e.g. {@code web-form/order-to-order.jslt}. */
    public String path() { return path; }

    /** The canonical type the file name promises. */
    public CanonicalType target() { return target; }

    /**
     * @throws HubException {@code INVALID_INPUT} when the input is not of the shape the mapping's input schema allows;
     *     {@code MAPPING_FAILED} when the mapping itself fails
     */
    public JsonNode apply(JsonNode input) {
        if (shape != null) {
            shape.check(input);
        }
        try {
            return expression.apply(input);
        } catch (JsltException e) {
            throw new HubException(ReasonCode.MAPPING_FAILED, "mapping " + path + " failed: " + e.getMessage(), e);
        }
    }
}
