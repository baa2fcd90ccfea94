package com.northwind.eventing.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONObject;
import org.json.JSONTokener;
import org.junit.jupiter.api.Test;

class ComposeFileTest {

    /** The Compose Specification's schema, compose-spec/compose-spec's schema/compose-spec.json (Apache-2.0). */
    private static final Schema COMPOSE_SPEC = loadSchema();

    @Test
    void shouldMatchTheComposeSpecificationWhenTheRepositoryComposeFileIsRead() {
        // given
        JSONObject compose = composeFile();

        // when
        List<String> violations = violations(compose);

        // then
        assertThat(violations).isEmpty();
    }

    @Test
    void shouldBeRefusedWhenAServiceHasAMisspeltKey() {
        // given
        JSONObject compose = composeFile();
        compose.getJSONObject("services").getJSONObject("intake").put("enviroment", new JSONObject());

        // when
        List<String> violations = violations(compose);

        // then
        assertThat(violations).contains("#/services/intake: extraneous key [enviroment] is not permitted");
    }

    @Test
    void shouldBindEveryPublishedPortToLoopbackWhenTheComposeFileIsRead() {
        // given
        JSONObject services = composeFile().getJSONObject("services");

        // when
        List<String> ports = services.keySet().stream()
                .filter(name -> services.getJSONObject(name).has("ports"))
                .flatMap(name -> services.getJSONObject(name).getJSONArray("ports").toList().stream())
                .map(String::valueOf)
                .toList();

        // then
        assertThat(ports).hasSize(11).allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
    }

    @Test
    void shouldRunTheServicesFromLocalImagesReadOnlyWithTracingWhenTheComposeFileIsRead() {
        // given
        JSONObject services = composeFile().getJSONObject("services");

        // when / then
        for (String name : List.of("admin-api", "intake", "router")) {
            JSONObject service = services.getJSONObject(name);
            assertThat(service.getString("pull_policy")).as(name).isEqualTo("never");
            assertThat(service.getBoolean("read_only")).as(name).isTrue();
            JSONObject environment = service.getJSONObject("environment");
            assertThat(environment.getString("OTEL_TRACES_EXPORTER")).as(name).isEqualTo("otlp");
            assertThat(environment.getString("OTEL_EXPORTER_OTLP_ENDPOINT"))
                    .as(name)
                    .isEqualTo("http://jaeger:4318");
        }
    }

    /** Every violation, each naming its place in the file (everit's own message only counts them). */
    private static List<String> violations(JSONObject compose) {
        try {
            COMPOSE_SPEC.validate(compose);
            return List.of();
        } catch (ValidationException e) {
            return e.getAllMessages();
        }
    }

    private static JSONObject composeFile() {
        List<Object> documents = Repository.yamlDocuments(Repository.read("docker-compose.yml"));
        assertThat(documents).hasSize(1);
        return new JSONObject((Map<?, ?>) documents.get(0));
    }

    private static Schema loadSchema() {
        try (InputStream in = ComposeFileTest.class.getResourceAsStream("/compose-spec.json")) {
            return SchemaLoader.builder()
                    .schemaJson(new JSONObject(new JSONTokener(in)))
                    .draftV7Support()
                    .build()
                    .load()
                    .build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
