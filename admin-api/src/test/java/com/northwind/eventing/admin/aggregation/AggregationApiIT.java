package com.northwind.eventing.admin.aggregation;

import static com.northwind.eventing.admin.Fixtures.app;
import static com.northwind.eventing.admin.RegistryRecords.recordsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code /v1/aggregations} on the real admin-api and broker: each kind's life, who may call it, hostile requests. */
@ExtendWith(KafkaClusterExtension.class)
class AggregationApiIT {
    private static final String COMBINE = """
            {"id": "%s", "kind": "combine", "description": "a claim submitted and priced",
             "inputs": [{"eventType": "Claim.Submitted.Aggapi", "key": "/claimId"},
                        {"eventType": "Claim.Priced.Aggapi", "key": "/claimId"}],
             "window": "%s", "output": "Claim.Completed.Aggapi"}
            """;

    private static KafkaBroker kafka;
    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        api = new AdminApiServer(broker).start();
        RuleBed bed = new RuleBed(api);
        bed.submitted("Claim.Submitted.Aggapi");
        bed.plain("Claim.Priced.Aggapi");
        bed.plain("Claim.Acknowledged.Aggapi");
        bed.plain("Claim.Decided.Aggapi");
        bed.type(
                "Claim.Completed.Aggapi",
                """
                {"type": "object", "required": ["key", "events"],
                 "properties": {"key": {"type": "string"},
                                "events": {"type": "object",
                                           "required": ["Claim.Submitted.Aggapi", "Claim.Priced.Aggapi"]}}}""",
                "[{\"path\": \"/events/Claim.Submitted.Aggapi/member/ssn\", \"classification\": \"PHI\"}]",
                null);
        bed.type("Claim.Overdue.Aggapi", """
                {"type": "object", "required": ["key", "deadline", "start"],
                 "properties": {"key": {"type": "string"}, "deadline": {"type": "string", "format": "date-time"},
                                "start": {"type": "object", "required": ["claimId"], "additionalProperties": false,
                                          "properties": {"claimId": {"type": "string"},
                                                         "member": {"type": "object"}}}}}""", "[]", null);
        bed.type("Claim.Measured.Aggapi", """
                {"type": "object", "required": ["windowStart", "windowEnd", "tag", "count", "durations"],
                 "properties": {"windowStart": {"type": "string", "format": "date-time"},
                                "tag": {"type": "string"}, "count": {"type": "integer"},
                                "durations": {"type": "object", "required": ["p50", "p95", "p99"]}}}""", "[]", null);
        bed.type("Claim.Breached.Aggapi", """
                {"type": "object", "required": ["threshold", "count"],
                 "properties": {"threshold": {"type": "object", "required": ["percentile", "within"]}}}""", "[]", null);
        api.post("/v1/apps", app("aggapi-producer", "\"Claim.*.*\"", ""));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldCreateReadListReplaceAndDeleteACombineWhenItsTypesHoldIt() {
        Response created = api.post("/v1/aggregations", COMBINE.formatted("submitted-priced", "PT1H"));
        String createdAt = created.json().path("createdAt").asString();

        Response read = api.get("/v1/aggregations/submitted-priced");
        Response listed = api.get("/v1/aggregations");
        Response replaced = api.put("/v1/aggregations/submitted-priced", COMBINE.formatted("submitted-priced", "PT2H"));
        Response readAgain = api.get("/v1/aggregations/submitted-priced");
        Response deleted = api.delete("/v1/aggregations/submitted-priced");
        Response gone = api.get("/v1/aggregations/submitted-priced");
        Response deletedAgain = api.delete("/v1/aggregations/submitted-priced");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/v1/aggregations/submitted-priced");
        assertThat(created.json().path("kind").asString()).isEqualTo("combine");
        assertThat(created.json().at("/inputs/1/eventType").asString()).isEqualTo("Claim.Priced.Aggapi");
        assertThat(createdAt).isNotEmpty();
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created.json());
        assertThat(ids(listed.json())).contains("submitted-priced");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(readAgain.json().path("window").asString()).isEqualTo("PT2H");
        assertThat(readAgain.json().path("createdAt").asString()).isEqualTo(createdAt);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("type").asString()).isEqualTo("urn:eventing:problem:not-found");
        assertThat(gone.json().path("detail").asString()).isEqualTo("aggregation submitted-priced does not exist");
        assertThat(deletedAgain.status()).isEqualTo(404);
        List<String> records = recordsOf(kafka, RegistryTopics.AGGREGATIONS, "submitted-priced");
        assertThat(records).hasSize(3);
        assertThat(records.get(1)).contains("\"window\":\"PT2H\"");
        assertThat(records.get(2)).isEqualTo("<tombstone>");
    }

    @Test
    void shouldCreateAnAbsenceKeepingOnlyTheChosenFieldsWhenTheOutputSchemaHoldsThem() {
        Response created = api.post("/v1/aggregations", """
                {"id": "unacknowledged", "kind": "absence",
                 "start": {"eventType": "Claim.Submitted.Aggapi", "key": "/claimId", "fields": ["/claimId", "/member/id"]},
                 "expected": {"eventType": "Claim.Acknowledged.Aggapi", "key": "/claimId"},
                 "deadline": "PT48H", "output": "Claim.Overdue.Aggapi"}
                """);

        Response read = api.get("/v1/aggregations/unacknowledged");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(read.json().at("/start/fields").toString()).isEqualTo("[\"/claimId\",\"/member/id\"]");
        assertThat(read.json().path("deadline").asString()).isEqualTo("PT48H");
    }

    @Test
    void shouldCreateAnSlaWithItsBreachOutputWhenBothSchemasHoldWhatItMakes() {
        Response created = api.post("/v1/aggregations", """
                {"id": "decided-in-5-days", "kind": "sla", "eventType": "Claim.Submitted.Aggapi", "key": "/claimId",
                 "end": {"eventType": "Claim.Decided.Aggapi", "key": "/claimId"}, "tagPrefix": "state:",
                 "window": "PT1H", "hop": "PT30M",
                 "threshold": {"percentile": 95, "within": "P5D", "output": "Claim.Breached.Aggapi"},
                 "output": "Claim.Measured.Aggapi"}
                """);

        Response read = api.get("/v1/aggregations/decided-in-5-days");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(read.json().at("/threshold/percentile").asDouble()).isEqualTo(95.0);
        assertThat(read.json().at("/end/eventType").asString()).isEqualTo("Claim.Decided.Aggapi");
    }

    @Test
    void shouldCreateWithPutAndRefuseASecondPostWhenTheIdExists() {
        Response put = api.put("/v1/aggregations/put-created", COMBINE.formatted("put-created", "PT1H"));
        Response withoutId = api.put(
                "/v1/aggregations/put-no-id",
                COMBINE.replace("\"id\": \"%s\", ", "").formatted("PT1H"));

        Response post = api.post("/v1/aggregations", COMBINE.formatted("put-created", "PT3H"));

        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(put.header("Location")).isEqualTo("/v1/aggregations/put-created");
        assertThat(withoutId.status()).as(withoutId.body()).isEqualTo(201);
        assertThat(withoutId.json().path("id").asString()).isEqualTo("put-no-id");
        assertThat(post.status()).isEqualTo(409);
        assertThat(post.json().path("type").asString()).isEqualTo("urn:eventing:problem:conflict");
        assertThat(post.json().path("detail").asString())
                .isEqualTo("aggregation put-created already exists; PUT /v1/aggregations/put-created replaces it");
        assertThat(api.get("/v1/aggregations/put-created").json().path("window").asString())
                .isEqualTo("PT1H");
    }

    @Test
    void shouldAnswer422AndWriteNothingWhenThePathAndBodyNameOtherIds() {
        Response r = api.put("/v1/aggregations/path-id", COMBINE.formatted("body-id", "PT1H"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errors())
                .containsExactly("/id: the body names aggregation body-id but the path names path-id; they must agree");
        assertThat(api.get("/v1/aggregations/path-id").status()).isEqualTo(404);
        assertThat(api.get("/v1/aggregations/body-id").status()).isEqualTo(404);
    }

    @Test
    void shouldAnswer401Or403AndCreateNothingWhenTheTokenIsMissingWrongOrAnAppsToken() {
        String appToken = api.post("/v1/apps", app("aggapi-caller", "\"Claim.*.*\"", "\"PHI\""))
                .json()
                .path("token")
                .asString();
        String body = COMBINE.formatted("not-allowed", "PT1H");

        Response none = api.send(api.request("/v1/aggregations", false)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        Response wrong = api.send(api.request("/v1/aggregations", false)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer not-the-token")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        Response app = api.send(api.request("/v1/aggregations", false)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + appToken)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        Response appRead = api.send(api.request("/v1/aggregations", false)
                .header("Authorization", "Bearer " + appToken)
                .GET());

        assertThat(appToken).startsWith("evt_");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(none.json().path("type").asString()).isEqualTo("urn:eventing:problem:unauthorized");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(app.status()).isEqualTo(403);
        assertThat(app.json().path("detail").asString())
                .isEqualTo("POST /v1/aggregations is for the admin only; app aggapi-caller may not call it");
        assertThat(appRead.status()).isEqualTo(200);
        assertThat(api.get("/v1/aggregations/not-allowed").status()).isEqualTo(404);
        assertThat(recordsOf(kafka, RegistryTopics.AGGREGATIONS, "not-allowed")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"threshold\": {\"minCount\": 1e400, \"output\": \"Claim.Breached.Aggapi\"}",
                "\"threshold\": {\"minCount\": 123456789012345678901234567890, \"output\": \"Claim.Breached.Aggapi\"}",
                "\"threshold\": {\"maxCount\": \"many\", \"output\": \"Claim.Breached.Aggapi\"}",
                "\"ordered\": \"yes\"",
                "\"inputs\": \"Claim.Submitted.Aggapi\"",
                "\"window\": {\"hours\": 1}",
                "\"retries\": 3"
            })
    void shouldAnswer400AndWriteNothingWhenAMemberHasTheWrongTypeOrIsUnknown(String member) {
        String body = """
                {"id": "hostile-400", "kind": "sla", "eventType": "Claim.Submitted.Aggapi", "window": "PT1H",
                 "output": "Claim.Measured.Aggapi", %s}
                """.formatted(member);

        Response r = api.post("/v1/aggregations", body);

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
        assertThat(api.get("/v1/aggregations/hostile-400").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"percentile\": 1e400, \"within\": \"P1D\"",
                "\"percentile\": -1e308, \"within\": \"P1D\"",
                "\"percentile\": 99.95, \"within\": \"P1D\"",
                "\"minCount\": 0",
                "\"maxCount\": -9223372036854775808",
                "\"minCount\": 9223372036854775807, \"maxCount\": 1"
            })
    void shouldAnswer422AtTheThresholdAndWriteNothingWhenItsNumbersAreOutOfBounds(String threshold) {
        String body = """
                {"id": "hostile-422", "kind": "sla", "eventType": "Claim.Submitted.Aggapi", "key": "/claimId",
                 "end": {"eventType": "Claim.Decided.Aggapi", "key": "/claimId"}, "window": "PT1H",
                 "output": "Claim.Measured.Aggapi", "threshold": {%s, "output": "Claim.Breached.Aggapi"}}
                """.formatted(threshold);

        Response r = api.post("/v1/aggregations", body);

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("errors").get(0).path("pointer").asString()).startsWith("/threshold/");
        assertThat(api.get("/v1/aggregations/hostile-422").status()).isEqualTo(404);
    }

    @Test
    void shouldAnswer400WhenTheBodyIsNestedPastTheBound() {
        String deep = "[".repeat(5000) + "]".repeat(5000);

        Response r = api.post("/v1/aggregations", """
                {"id": "deep", "kind": "combine", "description": %s}
                """.formatted(deep));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
        assertThat(api.get("/v1/aggregations/deep").status()).isEqualTo(404);
    }

    @Test
    void shouldAnswer422NamingTheIdWhenItIsTooLongOrNotLowerCase() {
        String longId = "a".repeat(5000);

        Response tooLong = api.post("/v1/aggregations", COMBINE.formatted(longId, "PT1H"));
        Response upper = api.put(
                "/v1/aggregations/Upper",
                COMBINE.replace("\"id\": \"%s\", ", "").formatted("PT1H"));
        Response readLong = api.get("/v1/aggregations/" + "a".repeat(1000));

        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.errors()).hasSize(1);
        assertThat(tooLong.errors().get(0)).startsWith("/id: aggregation id 'aaaa");
        assertThat(upper.status()).isEqualTo(422);
        assertThat(upper.errors())
                .containsExactly("/id: aggregation id 'Upper' must be lower-case letters, digits, '.', '_' and '-',"
                        + " starting with a letter or digit, at most 100 characters");
        assertThat(readLong.status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/aggregations/%2e%2e", "/v1/aggregations/%2E%2E/x", "/v1/aggregations/a%2Fb"})
    void shouldAnswer400WhenThePathIdIsEncodedToChangeThePath(String path) {
        Response r = api.put(path, COMBINE.formatted("encoded", "PT1H"));

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
        assertThat(api.get("/v1/aggregations/encoded").status()).isEqualTo(404);
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("items").forEach(a -> ids.add(a.path("id").asString()));
        return ids;
    }
}
