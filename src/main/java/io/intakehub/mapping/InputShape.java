package io.intakehub.mapping;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.intakehub.canonical.FieldError;
import io.intakehub.canonical.SchemaValidator;
import io.intakehub.shared.HubException;
import io.intakehub.shared.ReasonCode;

/**
 * The shape a mapping expects of its input ({@code <format>/<source>.input.json} beside the mapping, a JSON Schema):
 * which fields are lists, groups or single values. Checked before the mapping runs, so that input of the wrong shape
 * ({@code "lines": "not-a-list"}) is the sender's {@code INVALID_INPUT} with a pointer to the field, and an error
 * raised inside a mapping stays what it is: a fault of the mapping ({@code MAPPING_FAILED}).
 */
final class InputShape {

    private final String path;
    private final JsonSchema schema;

    private InputShape(String path, JsonSchema schema) {
        this.path = path;
        this.schema = schema;
    }

    static InputShape compile(String path, String json) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER)
                .errorMessageKeyword("errorMessage").build();
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(json, config);
        schema.initializeValidators();
        return new InputShape(path, schema);
    }

    /** The input schema's file, relative to the mappings folder. */
    String path() {
        return path;
    }

    /** @throws HubException {@code INVALID_INPUT} with a pointer per field of the wrong shape */
    void check(JsonNode input) {
        List<FieldError> errors = SchemaValidator.fieldErrors(schema, input);
        if (!errors.isEmpty()) {
            throw new HubException(ReasonCode.INVALID_INPUT, "the input does not have the shape the form takes ("
                    + errors.size() + " field(s); " + errors.get(0).pointer() + ": " + errors.get(0).message() + ")", errors, null);
        }
    }
}
