package com.northwind.eventing.common.jsonschema;

import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violations;
import org.everit.json.schema.Schema;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONObject;
import org.json.JSONTokener;
import tools.jackson.databind.JsonNode;

/** Compiles event body JSON Schemas (drafts 4, 6 and 7) and checks documents against them. */
public final class JsonSchemas {
    private JsonSchemas() {}

    /**
     * Compiles a schema. Remote {@code $ref}s are not fetched: a schema must be self-contained.
     *
     * @throws ValidationException when the schema is not an object or does not compile
     */
    public static Schema compile(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            throw new ValidationException("", "a JSON Schema is an object, such as {\"type\": \"object\"}");
        }
        try {
            JSONObject raw = new JSONObject(new JSONTokener(schema.toString()));
            return SchemaLoader.builder()
                    .schemaJson(raw)
                    .schemaClient(url -> {
                        throw new IllegalArgumentException(
                                "remote $ref '" + url + "' is not allowed; inline it under definitions");
                    })
                    .draftV7Support()
                    .build()
                    .load()
                    .build();
        } catch (RuntimeException e) {
            // A schema that makes the loader fail in any way is a schema that does not compile.
            throw new ValidationException("", "the JSON Schema does not compile: " + e.getMessage());
        }
    }

    /** Every violation of {@code document} against {@code schema}, located by JSON Pointer. */
    public static Violations check(Schema schema, JsonNode document) {
        return check(schema, document.toString());
    }

    /** Every violation of a document given as JSON text, for callers that have the text already. */
    public static Violations check(Schema schema, String documentJson) {
        Violations v = new Violations();
        Object json = new JSONTokener(documentJson).nextValue();
        try {
            schema.validate(json);
        } catch (org.everit.json.schema.ValidationException e) {
            collect(v, e);
        }
        return v;
    }

    private static void collect(Violations v, org.everit.json.schema.ValidationException e) {
        if (e.getCausingExceptions().isEmpty()) {
            String pointer = e.getPointerToViolation();
            v.add(pointer.startsWith("#") ? pointer.substring(1) : pointer, e.getErrorMessage());
        } else {
            for (org.everit.json.schema.ValidationException cause : e.getCausingExceptions()) {
                collect(v, cause);
            }
        }
    }
}
