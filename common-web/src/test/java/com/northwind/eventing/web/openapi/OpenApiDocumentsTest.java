package com.northwind.eventing.web.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.northwind.eventing.web.testing.OpenApiSpec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The platform's OpenAPI documents are valid OpenAPI 3.1, whole, and served as written. */
class OpenApiDocumentsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {OpenApiDocument.ADMIN, OpenApiDocument.INTAKE})
    void shouldBeValidOpenApi31WhenCheckedAgainstTheOfficialSchema(String resource) {
        OpenApiSpec spec = OpenApiSpec.load(resource);

        var violations = spec.oasViolations();

        assertThat(spec.root().path("openapi").asString()).startsWith("3.1.");
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {OpenApiDocument.ADMIN, OpenApiDocument.INTAKE})
    void shouldResolveEveryRefWhenDocumentIsRead(String resource) {
        OpenApiSpec spec = OpenApiSpec.load(resource);

        var unresolved = spec.unresolvedRefs();

        assertThat(unresolved).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {OpenApiDocument.ADMIN, OpenApiDocument.INTAKE})
    void shouldListEveryProblemTypeItsAnswersNameWhenDocumentIsRead(String resource) {
        OpenApiSpec spec = OpenApiSpec.load(resource);

        var mistakes = spec.problemTypeMistakes();

        assertThat(mistakes).isEmpty();
        assertThat(spec.problemSlugs()).contains("malformed-request", "unauthorized", "not-found", "internal");
    }

    @Test
    void shouldFindViolationsWhenDocumentIsNotOpenApi31() {
        ObjectNode broken =
                (ObjectNode) OpenApiSpec.load(OpenApiDocument.INTAKE).root().deepCopy();
        broken.put("openapi", "3.0.3");
        broken.remove("info");

        var violations = OpenApiSpec.of("broken", broken).oasViolations();

        assertThat(violations).anyMatch(v -> v.contains("openapi")).anyMatch(v -> v.contains("info"));
    }

    @Test
    void shouldFindDanglingRefAndUnlistedSlugWhenDocumentHasThem() {
        ObjectNode broken =
                (ObjectNode) OpenApiSpec.load(OpenApiDocument.INTAKE).root().deepCopy();
        ((ObjectNode) broken.at("/components/responses/Forbidden"))
                .putArray("x-problem-types")
                .add("no-such-slug");
        ((ObjectNode) broken.at("/paths/~1v1~1events/post/requestBody/content/application~1json/schema"))
                .put("$ref", "#/components/schemas/NoSuchSchema");
        OpenApiSpec spec = OpenApiSpec.of("broken", broken);

        var unresolved = spec.unresolvedRefs();
        var mistakes = spec.problemTypeMistakes();

        assertThat(unresolved)
                .containsExactly("/paths/~1v1~1events/post/requestBody/content/application~1json/schema"
                        + " -> #/components/schemas/NoSuchSchema");
        assertThat(mistakes)
                .containsExactly(
                        "/components/responses/Forbidden names no-such-slug, which x-problem-types does not list");
    }

    @Test
    void shouldServeTheYamlAsWrittenAndTheSameDocumentAsJsonWhenLoaded() throws Exception {
        OpenApiDocument document = OpenApiDocument.load(OpenApiDocument.INTAKE);
        byte[] written;
        try (var in = getClass().getClassLoader().getResourceAsStream(OpenApiDocument.INTAKE)) {
            written = in.readAllBytes();
        }

        ResponseEntity<byte[]> yaml = document.yaml();
        ResponseEntity<byte[]> json = document.json();

        assertThat(yaml.getBody()).isEqualTo(written);
        assertThat(yaml.getHeaders().getContentType()).hasToString("application/yaml");
        assertThat(json.getHeaders().getContentType()).hasToString("application/json;charset=UTF-8");
        assertThat(json.getHeaders().getCacheControl()).isEqualTo("max-age=300, public");
        assertThat(json.getHeaders().getETag())
                .matches("\"[0-9a-f]{32}\"")
                .isNotEqualTo(yaml.getHeaders().getETag());
        JsonNode fromJson = JSON.readTree(new String(json.getBody(), StandardCharsets.UTF_8));
        assertThat(fromJson).isEqualTo(YAMLMapper.builder().build().readTree(written));
    }

    @Test
    void shouldRefuseToLoadWhenDocumentIsMissing() {
        assertThatThrownBy(() -> OpenApiDocument.load("openapi/no-such.yaml"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the OpenAPI document openapi/no-such.yaml is not on the classpath");
    }
}
