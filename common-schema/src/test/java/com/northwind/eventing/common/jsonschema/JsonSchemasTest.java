package com.northwind.eventing.common.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.common.model.Violations;
import java.time.Duration;
import org.everit.json.schema.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonSchemasTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String CLAIM_SCHEMA = """
            {"$schema": "http://json-schema.org/draft-07/schema#",
             "type": "object",
             "required": ["claimId"],
             "properties": {
               "claimId": {"type": "string"},
               "amount": {"type": "number", "minimum": 0},
               "member": {"type": "object", "properties": {"id": {"type": "string"}}},
               "lines": {"type": "array", "items": {"type": "integer"}}}}
            """;

    @Test
    void shouldCompileSchemaWhenItIsDraft7() {
        JsonNode schema = json(CLAIM_SCHEMA);

        Schema compiled = JsonSchemas.compile(schema);

        assertThat(compiled).isNotNull();
    }

    @Test
    void shouldApplyDraft7KeywordsWhenSchemaDoesNotNameItsDraft() {
        Schema compiled = JsonSchemas.compile(json("""
                {"if": {"properties": {"kind": {"const": "appeal"}}},
                 "then": {"required": ["appealId"]}}
                """));

        Violations appealWithoutId = JsonSchemas.check(compiled, json("{\"kind\": \"appeal\"}"));
        Violations other = JsonSchemas.check(compiled, json("{\"kind\": \"initial\"}"));

        assertThat(appealWithoutId.list()).containsExactly(new Violation("", "required key [appealId] not found"));
        assertThat(other.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"object\"", "true", "null"})
    void shouldRefuseSchemaWhenItIsNotAnObject(String schema) {
        JsonNode node = json(schema);

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> JsonSchemas.compile(node));

        assertThat(thrown.violations())
                .containsExactly(new Violation("", "a JSON Schema is an object, such as {\"type\": \"object\"}"));
    }

    @Test
    void shouldRefuseSchemaWhenItIsJavaNull() {
        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> JsonSchemas.compile(null));

        assertThat(thrown.violations())
                .containsExactly(new Violation("", "a JSON Schema is an object, such as {\"type\": \"object\"}"));
    }

    @Test
    void shouldRefuseSchemaWhenTypeIsANumber() {
        JsonNode schema = json("{\"type\": 12}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> JsonSchemas.compile(schema));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "",
                        "the JSON Schema does not compile: #/type: expected type is one of JsonArray or String,"
                                + " found: Integer"));
    }

    @Test
    void shouldRefuseSchemaWhenItHasARemoteRef() {
        JsonNode schema = json("{\"$ref\": \"https://schemas.example.com/member.json\"}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> JsonSchemas.compile(schema));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "",
                        "the JSON Schema does not compile: remote $ref 'https://schemas.example.com/member.json' is"
                                + " not allowed; inline it under definitions"));
    }

    @Test
    void shouldResolveLocalRefWhenItPointsIntoDefinitions() {
        Schema compiled = JsonSchemas.compile(json("""
                {"definitions": {"memberId": {"type": "string", "pattern": "^M[0-9]+$"}},
                 "properties": {"memberId": {"$ref": "#/definitions/memberId"}}}
                """));

        Violations violations = JsonSchemas.check(compiled, json("{\"memberId\": \"X1\"}"));

        assertThat(violations.list())
                .containsExactly(new Violation("/memberId", "does not match the pattern ^M[0-9]+$"));
    }

    @Test
    void shouldFindNoViolationWhenDocumentIsValid() {
        Schema compiled = JsonSchemas.compile(json(CLAIM_SCHEMA));

        Violations violations = JsonSchemas.check(
                compiled,
                json("{\"claimId\": \"C1\", \"amount\": 12.5, \"member\": {\"id\": \"M1\"}, \"lines\": [1, 2]}"));

        assertThat(violations.isEmpty()).isTrue();
    }

    @Test
    void shouldListEveryViolationWithItsPointerWhenTwoFieldsAreWrong() {
        Schema compiled = JsonSchemas.compile(json(CLAIM_SCHEMA));

        Violations violations =
                JsonSchemas.check(compiled, json("{\"claimId\": \"C1\", \"member\": {\"id\": 5}, \"amount\": -1}"));

        assertThat(violations.list())
                .containsExactlyInAnyOrder(
                        new Violation("/member/id", "expected type: String, found: Integer"),
                        new Violation("/amount", "must be at least 0"));
    }

    @Test
    void shouldPointAtTheDocumentWhenARequiredFieldIsMissing() {
        Schema compiled = JsonSchemas.compile(json(CLAIM_SCHEMA));

        Violations violations = JsonSchemas.check(compiled, json("{\"lines\": [1, \"two\"]}"));

        assertThat(violations.list())
                .containsExactlyInAnyOrder(
                        new Violation("", "required key [claimId] not found"),
                        new Violation("/lines/1", "expected type: Integer, found: String"));
    }

    @Test
    void shouldEscapeSlashInPointerWhenPropertyNameHasOne() {
        Schema compiled = JsonSchemas.compile(json("{\"properties\": {\"a/b\": {\"type\": \"string\"}}}"));

        Violations violations = JsonSchemas.check(compiled, json("{\"a/b\": 1}"));

        assertThat(violations.list()).containsExactly(new Violation("/a~1b", "expected type: String, found: Integer"));
    }

    @Test
    void shouldPointAtTheDocumentWhenTheDocumentHasTheWrongType() {
        Schema compiled = JsonSchemas.compile(json(CLAIM_SCHEMA));

        Violations violations = JsonSchemas.check(compiled, json("[1, 2]"));

        assertThat(violations.list()).containsExactly(new Violation("", "expected type: JSONObject, found: JSONArray"));
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static final String TYPES_SCHEMA = """
            {"type": "object",
             "properties": {
               "i": {"type": "integer", "maximum": 2147483648},
               "n": {"type": "number", "multipleOf": 0.01, "exclusiveMinimum": -1e3},
               "s": {"type": "string", "maxLength": 3, "pattern": "^[a-zé😀]*$"},
               "b": {"type": "boolean"},
               "z": {"type": "null"},
               "e": {"enum": [1, "one", null, 1.5, [1], {"a": 1}]},
               "c": {"const": {"x": [1, 2.50, "y"]}},
               "a": {"type": "array", "items": {"type": ["integer", "array"], "items": {"type": "integer"}},
                     "uniqueItems": true, "maxItems": 4},
               "o": {"type": "object", "required": ["k"], "additionalProperties": {"type": "string"},
                     "minProperties": 1}}}
            """;

    /** The tree is checked exactly as its text is: same values for the validator, same violations. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"i\": 1, \"n\": 2.5, \"s\": \"ab\", \"b\": true, \"z\": null}",
                "{\"i\": 2147483647}",
                "{\"i\": 2147483648}",
                "{\"i\": 2147483649}",
                "{\"i\": 9223372036854775807}",
                "{\"i\": 9223372036854775808}",
                "{\"i\": -9223372036854775809}",
                "{\"i\": 1.0}",
                "{\"i\": 1e2}",
                "{\"i\": \"1\"}",
                "{\"n\": 0.1}",
                "{\"n\": 0.015}",
                "{\"n\": 1e400}",
                "{\"n\": -1e400}",
                "{\"n\": 125.10}",
                "{\"n\": -1000}",
                "{\"n\": 12345678901234567890.12}",
                "{\"s\": \"abcd\"}",
                "{\"s\": \"é😀\"}",
                "{\"s\": \"A\"}",
                "{\"b\": \"true\"}",
                "{\"z\": 0}",
                "{\"e\": null}",
                "{\"e\": 1.5}",
                "{\"e\": 1.50}",
                "{\"e\": [1]}",
                "{\"e\": {\"a\": 1}}",
                "{\"e\": {\"a\": 2}}",
                "{\"c\": {\"x\": [1, 2.5, \"y\"]}}",
                "{\"c\": {\"x\": [1, 2.50, \"y\"]}}",
                "{\"a\": [1, 2, [3, 4.5], 2]}",
                "{\"a\": [1, [2], [2], 3, 4]}",
                "{\"o\": {}}",
                "{\"o\": {\"k\": \"v\", \"x\": 1, \"y\": null}}",
                "{\"unknown\": [null, {\"deep\": [[[]]]}]}"
            })
    void shouldFindTheSameViolationsInATreeAsInItsText(String document) {
        JsonMapper strict = JsonMapper.builder()
                .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        Schema schema = JsonSchemas.compile(json(TYPES_SCHEMA));

        Violations fromTree = JsonSchemas.check(schema, strict.readTree(document));
        Violations fromText = JsonSchemas.check(schema, document);

        assertThat(fromTree.list()).isEqualTo(fromText.list());
    }

    @Test
    void shouldGiveTheValidatorOrgJsonsOwnValueTypes() {
        JsonMapper strict = JsonMapper.builder()
                .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        String text = "[1, 2147483648, 9223372036854775808, 1.5, 1e400, \"s\", true, null, {\"k\": null}]";

        Object fromTree = JsonSchemas.toOrgJson(strict.readTree(text), new Deadline(Duration.ofSeconds(1)));
        Object fromText = new org.json.JSONTokener(text).nextValue();

        assertThat(fromTree).isInstanceOf(org.json.JSONArray.class);
        org.json.JSONArray tree = (org.json.JSONArray) fromTree;
        org.json.JSONArray parsed = (org.json.JSONArray) fromText;
        assertThat(tree.length()).isEqualTo(parsed.length());
        for (int i = 0; i < tree.length(); i++) {
            assertThat(tree.get(i))
                    .as("element %d", i)
                    .isInstanceOf(parsed.get(i).getClass());
        }
        assertThat(tree.similar(parsed)).isTrue();
    }
}
