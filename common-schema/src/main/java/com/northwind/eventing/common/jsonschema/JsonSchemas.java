package com.northwind.eventing.common.jsonschema;

import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violations;
import java.util.Map;
import org.everit.json.schema.Schema;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONArray;
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

    /**
     * Every violation of {@code document} against {@code schema}, located by JSON Pointer. The tree is handed to the
     * validator as the same values org.json's parser would make of its text, without printing and re-reading it:
     * org.json's tokenizer reads strings a character at a time and was most of the intake's cost per event.
     */
    public static Violations check(Schema schema, JsonNode document) {
        return validate(schema, toOrgJson(document));
    }

    /** Every violation of a document given as JSON text. */
    public static Violations check(Schema schema, String documentJson) {
        return validate(schema, new JSONTokener(documentJson).nextValue());
    }

    private static Violations validate(Schema schema, Object json) {
        Violations v = new Violations();
        try {
            schema.validate(json);
        } catch (org.everit.json.schema.ValidationException e) {
            collect(v, e);
        }
        return v;
    }

    /**
     * The value org.json's {@code JSONTokener} would give for the node's text: objects and arrays as
     * {@link JSONObject} and {@link JSONArray}, null as {@link JSONObject#NULL}, integers as the smallest of Integer,
     * Long and BigInteger that holds them, and numbers with a fraction or exponent as BigDecimal.
     */
    static Object toOrgJson(JsonNode node) {
        if (node.isObject()) {
            JSONObject o = new JSONObject();
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                o.put(member.getKey(), toOrgJson(member.getValue()));
            }
            return o;
        }
        if (node.isArray()) {
            JSONArray a = new JSONArray();
            for (JsonNode element : node.values()) {
                a.put(toOrgJson(element));
            }
            return a;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull()) {
            return JSONObject.NULL;
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToInt()) {
                return node.intValue();
            }
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
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
