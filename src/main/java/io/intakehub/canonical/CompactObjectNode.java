package io.intakehub.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Jackson object node whose fields are a {@link FieldMap}: what the mappings build and the canonical writer
 * reads, once per field of every canonical message. It is an {@code ObjectNode} in every respect (equality with
 * any other object node, the same field order, the same API); only its storage differs.
 */
public final class CompactObjectNode extends ObjectNode {

    private static final long serialVersionUID = 1L;

    /** The node factory that makes these: what JSLT builds its output with, and the hub's own code. */
    public static final JsonNodeFactory FACTORY = new JsonNodeFactory() {
        private static final long serialVersionUID = 1L;

        @Override
        public ObjectNode objectNode() {
            return new CompactObjectNode(this);
        }
    };

    private CompactObjectNode(JsonNodeFactory factory) {
        super(factory, new FieldMap());
    }

    private FieldMap fieldMap() {
        return (FieldMap) _children;
    }

    /** Whether {@link #fieldCount}, {@link #fieldName} and {@link #fieldValue} may be used (the object is small). */
    boolean indexed() {
        return fieldMap().small();
    }

    int fieldCount() {
        return fieldMap().count();
    }

    String fieldName(int i) {
        return fieldMap().name(i);
    }

    JsonNode fieldValue(int i) {
        return fieldMap().value(i);
    }
}
