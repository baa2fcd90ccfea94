package com.northwind.eventing.admin.openapi;

import static com.northwind.eventing.admin.Fixtures.app;
import static com.northwind.eventing.admin.Fixtures.claimEventType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.web.openapi.OpenApiDocument;
import com.northwind.eventing.web.testing.OpenApiSpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Real answers of admin-api, successes and problems, each held to the schema its document gives for the operation and
 * status (and the media type it was answered with).
 */
@ExtendWith(KafkaClusterExtension.class)
class OpenApiConformanceIT {
    private static final OpenApiSpec ADMIN = OpenApiSpec.load(OpenApiDocument.ADMIN);
    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker broker) {
        api = new AdminApiServer(broker).start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static void assertConforms(String method, String template, Response r) {
        assertThat(ADMIN.answerViolations(method, template, r.status(), r.contentType(), r.json()))
                .as("%s %s answered %d %s", method, template, r.status(), r.body())
                .isEmpty();
    }

    @Test
    void shouldAnswerAsDocumentedWhenEventTypeIsCreatedReadAndListed() {
        Response created = api.post("/v1/event-types", claimEventType("Conformance"));
        Response read = api.get("/v1/event-types/Claim.Submitted.Conformance?version=1");
        Response list = api.get("/v1/event-types");

        assertThat(created.status()).isEqualTo(201);
        assertConforms("POST", "/v1/event-types", created);
        assertThat(read.status()).isEqualTo(200);
        assertConforms("GET", "/v1/event-types/{eventType}", read);
        assertThat(list.status()).isEqualTo(200);
        assertConforms("GET", "/v1/event-types", list);
    }

    @Test
    void shouldAnswerAsDocumentedWhenTheCatalogIsSearchedAndAnEntryRead() {
        api.post("/v1/event-types", claimEventType("CatalogConformance"));

        Response search = api.get("/v1/catalog?q=catalogconformance&limit=5");
        Response entry = api.get("/v1/catalog/Claim.Submitted.CatalogConformance");

        assertThat(search.status()).isEqualTo(200);
        assertConforms("GET", "/v1/catalog", search);
        assertThat(entry.status()).isEqualTo(200);
        assertConforms("GET", "/v1/catalog/{eventType}", entry);
    }

    @Test
    void shouldAnswerAsDocumentedWhenTheAuditLogIsRead() {
        api.post("/v1/event-types", claimEventType("AuditConformance"));

        Response page = api.get("/v1/audit?resource=event-type&limit=2");

        // Without a store configured the log cannot be searched: the documented 503.
        assertThat(page.status()).isIn(200, 503);
        assertConforms("GET", "/v1/audit", page);
    }

    @Test
    void shouldAnswerAsDocumentedWhenAppIsCreatedAndRead() {
        Response created = api.post("/v1/apps", app("conformance-app", "\"Claim.*.*\"", "\"PHI\""));
        Response read = api.get("/v1/apps/conformance-app");

        assertThat(created.status()).isEqualTo(201);
        assertConforms("POST", "/v1/apps", created);
        assertThat(read.status()).isEqualTo(200);
        assertConforms("GET", "/v1/apps/{id}", read);
    }

    @Test
    void shouldAnswerAsDocumentedWhenSubscriptionIsCreatedReadAndListed() {
        api.post("/v1/apps", app("conformance-consumer", "", ""));

        Response created = api.post("/v1/subscriptions", """
                {"id": "conformance-claims", "app": "conformance-consumer", "eventTypes": ["Claim.*.*"],
                 "tags": {"anyOf": ["state:TX"]}, "synthetic": "EXCLUDE", "include": ["claimId"]}
                """);
        Response read = api.get("/v1/subscriptions/conformance-claims");
        Response list = api.get("/v1/subscriptions");
        Response rules = api.get("/v1/aggregations");
        Response replays = api.get("/v1/replays");

        assertThat(created.status()).isEqualTo(201);
        assertConforms("POST", "/v1/subscriptions", created);
        assertThat(read.status()).isEqualTo(200);
        assertConforms("GET", "/v1/subscriptions/{id}", read);
        assertThat(list.status()).isEqualTo(200);
        assertConforms("GET", "/v1/subscriptions", list);
        assertThat(rules.status()).isEqualTo(200);
        assertConforms("GET", "/v1/aggregations", rules);
        assertThat(replays.status()).isEqualTo(200);
        assertConforms("GET", "/v1/replays", replays);
    }

    @Test
    void shouldAnswerDocumentedProblemWhenEventTypeDoesNotExist() {
        Response missing = api.get("/v1/event-types/Claim.Submitted.Nowhere");

        assertThat(missing.status()).isEqualTo(404);
        assertConforms("GET", "/v1/event-types/{eventType}", missing);
    }

    @Test
    void shouldAnswerDocumentedProblemWhenEventTypeBreaksRules() {
        Response invalid = api.post(
                "/v1/event-types", claimEventType("Invalid").replace("\"retentionDays\": 30", "\"retentionDays\": 0"));

        assertThat(invalid.status()).isEqualTo(422);
        assertConforms("POST", "/v1/event-types", invalid);
    }

    @Test
    void shouldAnswerDocumentedProblemWhenBodyHasUnknownMember() {
        Response malformed = api.post("/v1/apps", "{\"id\": \"typo-app\", \"team\": \"t\", \"reed\": []}");

        assertThat(malformed.status()).isEqualTo(400);
        assertConforms("POST", "/v1/apps", malformed);
    }

    @Test
    void shouldAnswerDocumentedProblemWhenTokenIsMissing() {
        Response unauthorized = api.getWithoutToken("/v1/subscriptions");

        assertThat(unauthorized.status()).isEqualTo(401);
        assertConforms("GET", "/v1/subscriptions", unauthorized);
    }

    @Test
    void shouldAnswerDocumentedProblemWhenSearchParameterBreaksRule() {
        Response invalid = api.get("/v1/events?limit=0");

        assertThat(invalid.status()).isEqualTo(422);
        assertConforms("GET", "/v1/events", invalid);
    }

    @Test
    void shouldAnswerConfluentErrorAsDocumentedWhenSubjectDoesNotExist() {
        Response missing = api.getWithoutToken("/subjects/no-such-subject/versions");
        Response config = api.getWithoutToken("/config");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error_code").asInt()).isEqualTo(40401);
        assertConforms("GET", "/subjects/{subject}/versions", missing);
        assertThat(config.status()).isEqualTo(200);
        assertConforms("GET", "/config", config);
    }

    @Test
    void shouldFindViolationsWhenAnswerIsHeldToAnotherStatusSchema() {
        Response missing = api.get("/v1/event-types/Claim.Submitted.Elsewhere");

        var asIfFound =
                ADMIN.answerViolations("GET", "/v1/event-types/{eventType}", 200, "application/json", missing.json());
        var asIfUnauthorized = ADMIN.answerViolations(
                "GET", "/v1/event-types/{eventType}", 401, missing.contentType(), missing.json());

        assertThat(asIfFound).isNotEmpty();
        assertThat(asIfUnauthorized).anyMatch(v -> v.contains("/type") || v.contains("/status"));
    }

    @Test
    void shouldServeBothDocumentsOpenlyWhenAskedWithoutCredential() throws Exception {
        Response adminJson = api.getWithoutToken("/openapi.json");
        Response intakeYaml = api.getWithoutToken("/openapi/intake.yaml");
        Response again = api.send(api.request("/openapi.json", false)
                .header("If-None-Match", adminJson.header("ETag"))
                .GET());

        assertThat(adminJson.status()).isEqualTo(200);
        assertThat(adminJson.contentType()).isEqualTo("application/json;charset=UTF-8");
        assertThat(adminJson.header("Cache-Control")).isEqualTo("max-age=300, public");
        assertThat(adminJson.json()).isEqualTo(ADMIN.root());
        assertThat(intakeYaml.status()).isEqualTo(200);
        assertThat(intakeYaml.contentType()).isEqualTo("application/yaml");
        assertThat(intakeYaml.body()).isEqualTo(resource(OpenApiDocument.INTAKE));
        assertThat(YAMLMapper.builder()
                        .build()
                        .readTree(intakeYaml.body())
                        .path("info")
                        .path("title")
                        .asString())
                .isEqualTo("Eventing intake API");
        assertThat(again.status()).isEqualTo(304);
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = OpenApiConformanceIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
