package com.northwind.eventing.common.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.common.model.Violations;
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
                .containsExactly(new Violation("/memberId", "string [X1] does not match pattern ^M[0-9]+$"));
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
                        new Violation("/amount", "-1 is not greater or equal to 0"));
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
}
