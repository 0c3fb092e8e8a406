package io.intakehub.canonical;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Validates canonical messages against the JSON Schemas in {@code schemas/canonical/}. Each schema
 * is compiled once; validation is thread-safe.
 */
public final class SchemaValidator {

    private static final String ID_PREFIX = "https://intakehub.io/schemas/";

    private final Map<CanonicalType, JsonSchema> schemas = new EnumMap<>(CanonicalType.class);

    public SchemaValidator() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaMappers(m -> m.mapPrefix(ID_PREFIX, "classpath:schemas/")));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                // schemas carry the sentence a sender reads, e.g. "must be a decimal number such as 125.50"
                .errorMessageKeyword("errorMessage")
                .build();
        for (CanonicalType t : CanonicalType.values()) {
            JsonSchema schema = factory.getSchema(SchemaLocation.of(ID_PREFIX + "canonical/" + t.schemaFile()), config);
            schema.initializeValidators();
            schemas.put(t, schema);
        }
    }

    /** The problems of {@code message} against the schema of its type; empty when it is valid. */
    public List<FieldError> validate(CanonicalType type, JsonNode message) {
        return fieldErrors(schemas.get(type), message);
    }

    /** The problems of {@code node} against {@code schema}, a pointer and a sentence each, in pointer order. */
    public static List<FieldError> fieldErrors(JsonSchema schema, JsonNode node) {
        List<FieldError> errors = new ArrayList<>();
        for (ValidationMessage m : schema.validate(node)) {
            String pointer = m.getInstanceLocation().toString();
            if (pointer.isEmpty()) {
                pointer = "/";
            }
            errors.add(new FieldError(pointer, explain(m)));
        }
        errors.sort(Comparator.comparing(FieldError::pointer).thenComparing(FieldError::message));
        return errors;
    }

    private static String explain(ValidationMessage m) {
        // the validator's message starts with the location; the caller already has it as pointer
        String text = m.getMessage();
        String location = m.getInstanceLocation().toString();
        if (!location.isEmpty() && text.startsWith(location + ": ")) {
            return text.substring(location.length() + 2);
        }
        return text.startsWith(": ") ? text.substring(2) : text;
    }
}
