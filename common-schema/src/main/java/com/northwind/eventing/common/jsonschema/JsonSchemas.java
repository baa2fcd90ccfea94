package com.northwind.eventing.common.jsonschema;

import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violations;
import java.time.Duration;
import java.util.Map;
import org.everit.json.schema.NumberSchema;
import org.everit.json.schema.Schema;
import org.everit.json.schema.StringSchema;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONArray;
import org.json.JSONObject;
import org.json.JSONTokener;
import tools.jackson.databind.JsonNode;

/**
 * Compiles event body JSON Schemas (drafts 4, 6 and 7) and checks documents against them, each check bounded in time:
 * the validator's loops over a document ({@code uniqueItems} compares every pair of an array's items) and its regular
 * expressions ({@code pattern}, {@code patternProperties}) stop at the deadline, and the document is refused. Numbers
 * are the reader's to bound ({@code multipleOf} on {@code 1e200000} takes seconds): see
 * {@link com.northwind.eventing.common.json.BoundedNumbers}.
 *
 * <p>Violations say what is wrong without quoting the value: a body may hold PHI.
 */
public final class JsonSchemas {
    /** How long a check may take unless its caller says otherwise. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(1);

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
                    .regexpFactory(new TimedRegexps())
                    .build()
                    .load()
                    .build();
        } catch (RuntimeException e) {
            // A schema that makes the loader fail in any way is a schema that does not compile.
            throw new ValidationException("", "the JSON Schema does not compile: " + e.getMessage());
        }
    }

    /** Every violation of {@code document} against {@code schema}, within {@link #DEFAULT_TIME_LIMIT}. */
    public static Violations check(Schema schema, JsonNode document) {
        return check(schema, document, DEFAULT_TIME_LIMIT);
    }

    /**
     * Every violation of {@code document} against {@code schema}, located by JSON Pointer; or, when the check takes
     * longer than {@code timeLimit}, that one violation at the document's root. The tree is handed to the validator as
     * the same values org.json's parser would make of its text, without printing and re-reading it: org.json's
     * tokenizer reads strings a character at a time and was most of the intake's cost per event.
     */
    public static Violations check(Schema schema, JsonNode document, Duration timeLimit) {
        Deadline deadline = new Deadline(timeLimit);
        return validate(schema, toOrgJson(document, deadline), deadline);
    }

    /** Every violation of a document given as JSON text, within {@link #DEFAULT_TIME_LIMIT}. */
    public static Violations check(Schema schema, String documentJson) {
        return validate(schema, new JSONTokener(documentJson).nextValue(), new Deadline(DEFAULT_TIME_LIMIT));
    }

    private static Violations validate(Schema schema, Object json, Deadline deadline) {
        Violations v = new Violations();
        try {
            deadline.during(() -> schema.validate(json));
        } catch (org.everit.json.schema.ValidationException e) {
            collect(v, e);
        } catch (Deadline.TimeoutException e) {
            v = new Violations();
            v.add(
                    "",
                    "validation took longer than " + describe(deadline.budget())
                            + "; the document is too costly to check against its schema");
        }
        return v;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * The value org.json's {@code JSONTokener} would give for the node's text: objects and arrays as
     * {@link JSONObject} and {@link JSONArray}, null as {@link JSONObject#NULL}, integers as the smallest of Integer,
     * Long and BigInteger that holds them, and numbers with a fraction or exponent as BigDecimal.
     */
    static Object toOrgJson(JsonNode node, Deadline deadline) {
        if (node.isObject()) {
            JSONObject o = new TimedJson.JSONObject(deadline);
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                o.put(member.getKey(), toOrgJson(member.getValue(), deadline));
            }
            return o;
        }
        if (node.isArray()) {
            JSONArray a = new TimedJson.JSONArray(deadline);
            for (JsonNode element : node.values()) {
                a.put(toOrgJson(element, deadline));
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
            v.add(pointer.startsWith("#") ? pointer.substring(1) : pointer, message(e));
        } else {
            for (org.everit.json.schema.ValidationException cause : e.getCausingExceptions()) {
                collect(v, cause);
            }
        }
    }

    /**
     * everit's message, unless it quotes the value ({@code "123-45-6789 is not a valid email address"}): then what the
     * schema asks for instead, from the schema.
     */
    private static String message(org.everit.json.schema.ValidationException e) {
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        Schema schema = e.getViolatedSchema();
        if (schema instanceof NumberSchema n) {
            Number exclusiveMinimum =
                    n.getExclusiveMinimumLimit() != null ? n.getExclusiveMinimumLimit() : n.getMinimum();
            Number exclusiveMaximum =
                    n.getExclusiveMaximumLimit() != null ? n.getExclusiveMaximumLimit() : n.getMaximum();
            String instead = switch (keyword) {
                case "minimum" -> "must be at least " + n.getMinimum();
                case "maximum" -> "must be at most " + n.getMaximum();
                case "exclusiveMinimum" -> "must be greater than " + exclusiveMinimum;
                case "exclusiveMaximum" -> "must be less than " + exclusiveMaximum;
                case "multipleOf" -> "must be a multiple of " + n.getMultipleOf();
                default -> null;
            };
            if (instead != null) {
                return instead;
            }
        }
        if (schema instanceof StringSchema s) {
            if (keyword.equals("pattern")) {
                return "does not match the pattern " + s.getPattern();
            }
            if (keyword.equals("format") && s.getFormatValidator() != null) {
                return "is not a valid " + s.getFormatValidator().formatName();
            }
        }
        return switch (keyword) {
            case "enum" -> "is none of the values the schema allows";
            case "const" -> "is not the value the schema requires";
            case "pattern" -> "does not match the schema's pattern";
            case "format" -> "is not in the schema's format";
            default -> e.getErrorMessage();
        };
    }
}
