package com.northwind.eventing.admin.catalog;

import static com.northwind.eventing.admin.Fixtures.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
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

/** {@code /v1/catalog} on the real admin-api and broker: search, the lineage of one type, hostile requests. */
@ExtendWith(KafkaClusterExtension.class)
class CatalogApiIT {
    private static final String SUBMITTED_V1 = """
            {"noun": "Catalogit", "verb": "Submitted", "object": "Claim",
             "description": "A member asks for a claim to be reconsidered", "owner": "claims-team",
             "schema": {"type": "object", "required": ["claimId"],
                        "properties": {"claimId": {"type": "string"}, "status": {"type": "string"},
                                       "member": {"type": "object",
                                                  "properties": {"id": {"type": "string"}, "ssn": {"type": "string"}}}}},
             "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}],
             "retentionDays": 30, "example": {"claimId": "C-1", "member": {"id": "M-1", "ssn": "123-45-6789"}}}
            """;
    // Version 2 drops status and adds the member's plan under an array of coverages.
    private static final String SUBMITTED_V2 = """
            {"noun": "Catalogit", "verb": "Submitted", "object": "Claim",
             "description": "A member asks for a claim to be reconsidered", "owner": "claims-team",
             "schema": {"type": "object", "required": ["claimId"],
                        "properties": {"claimId": {"type": "string"},
                                       "member": {"type": "object",
                                                  "properties": {"id": {"type": "string"}, "ssn": {"type": "string"},
                                                                 "coverages": {"type": "array", "items": {"type": "object",
                                                                    "properties": {"planCode": {"type": "string"}}}}}}}},
             "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}],
             "storePolicy": "REMOVE", "retentionDays": 30,
             "example": {"claimId": "C-1", "member": {"id": "M-1", "ssn": "123-45-6789"}}}
            """;

    private static AdminApiServer api;
    private static String readerToken;

    @BeforeAll
    static void start(KafkaBroker broker) {
        api = new AdminApiServer(broker).start();
        created(api.post("/v1/event-types", SUBMITTED_V1));
        ok(api.put("/v1/event-types/Catalogit.Submitted.Claim", SUBMITTED_V2));
        created(api.post("/v1/event-types", """
                {"noun": "Catalogit", "verb": "Priced", "object": "Claim", "owner": "pricing-team",
                 "description": "The price of a claim is known", "schema": {"type": "object"},
                 "example": {"claimId": "C-1"}}"""));
        created(api.post("/v1/event-types", """
                {"noun": "Catalogit", "verb": "Overdue", "object": "Claim", "owner": "claims-team",
                 "description": "A claim was not priced in time", "schema": {"type": "object"}}"""));
        created(api.post("/v1/apps", app("catalogit-producer", "\"Catalogit.*.Claim\"", "")));
        created(api.post("/v1/apps", app("catalogit-pricing", "\"Catalogit.Priced.*\"", "")));
        Response reader = api.post("/v1/apps", app("catalogit-reader", "", ""));
        created(reader);
        readerToken = reader.json().path("token").asString();
        created(api.post("/v1/subscriptions", """
                {"id": "catalogit-claims", "app": "catalogit-reader", "eventTypes": ["Catalogit.Submitted.*"],
                 "filter": {"/status": ["SECRET-FILTER-VALUE"]}}"""));
        created(api.post("/v1/aggregations", """
                {"id": "catalogit-unpriced", "kind": "absence",
                 "start": {"eventType": "Catalogit.Submitted.Claim", "key": "/claimId", "fields": ["/claimId"]},
                 "expected": {"eventType": "Catalogit.Priced.Claim", "key": "/claimId"},
                 "deadline": "PT48H", "output": "Catalogit.Overdue.Claim"}"""));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldFindATypeByASchemaFieldNameWhenSearchedInAnotherCase() {
        // given
        String q = "PLANcode";

        // when
        Response r = api.get("/v1/catalog?q=" + q);

        // then
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("items")).hasSize(1);
        JsonNode item = r.json().path("items").get(0);
        assertThat(item.path("eventType").asString()).isEqualTo("Catalogit.Submitted.Claim");
        assertThat(item.path("owner").asString()).isEqualTo("claims-team");
        assertThat(item.path("latestVersion").asInt()).isEqualTo(2);
        assertThat(strings(item.path("matched"))).containsExactly("field:/member/coverages/*/planCode");
    }

    @Test
    void shouldFindAFieldOfAnOlderVersionWhenTheLatestDroppedIt() {
        // given
        String q = "status";

        // when
        Response r = api.get("/v1/catalog?q=" + q);

        // then
        assertThat(names(r)).contains("Catalogit.Submitted.Claim");
        assertThat(strings(item(r, "Catalogit.Submitted.Claim").path("matched")))
                .containsExactly("field:/status");
    }

    @Test
    void shouldSayEveryReasonATypeMatchedWhenTheTextIsInSeveralMembers() {
        // given
        String q = "claim";

        // when
        Response r = api.get("/v1/catalog?q=" + q);

        // then
        assertThat(strings(item(r, "Catalogit.Submitted.Claim").path("matched")))
                .containsExactly("object", "description", "owner", "field:/claimId");
        assertThat(strings(item(r, "Catalogit.Priced.Claim").path("matched"))).containsExactly("object", "description");
    }

    @Test
    void shouldFindTypesByFullNameAndOwnerWhenSearched() {
        // when
        Response byName = api.get("/v1/catalog?q=catalogit.priced");
        Response byOwner = api.get("/v1/catalog?q=PRICING-team");

        // then
        assertThat(names(byName)).containsExactly("Catalogit.Priced.Claim");
        assertThat(strings(byName.json().path("items").get(0).path("matched"))).containsExactly("name");
        assertThat(names(byOwner)).contains("Catalogit.Priced.Claim").doesNotContain("Catalogit.Submitted.Claim");
    }

    @Test
    void shouldListEveryTypeWithoutReasonsWhenTheTextIsEmpty() {
        // when
        Response all = api.get("/v1/catalog?q=");
        Response one = api.get("/v1/catalog?limit=1");

        // then
        assertThat(names(all))
                .contains("Catalogit.Overdue.Claim", "Catalogit.Priced.Claim", "Catalogit.Submitted.Claim");
        assertThat(item(all, "Catalogit.Priced.Claim").path("matched")).isEmpty();
        assertThat(one.json().path("items")).hasSize(1);
        assertThat(one.json().path("truncated").asBoolean()).isTrue();
        assertThat(all.json().path("truncated").asBoolean()).isFalse();
    }

    @Test
    void shouldShowEveryVersionPublishersSubscribersAndAggregationsWhenOneTypeIsRead() {
        // when
        Response r = api.get("/v1/catalog/Catalogit.Submitted.Claim");

        // then
        assertThat(r.status()).isEqualTo(200);
        JsonNode t = r.json();
        assertThat(t.path("description").asString()).isEqualTo("A member asks for a claim to be reconsidered");
        assertThat(t.path("retentionDays").asInt()).isEqualTo(30);
        assertThat(t.path("versions")).hasSize(2);
        assertThat(t.path("versions").get(0).path("storePolicy").asString()).isEqualTo("REDACT");
        assertThat(t.path("versions").get(1).path("storePolicy").asString()).isEqualTo("REMOVE");
        assertThat(t.path("versions").get(1).path("sensitiveFields").toString())
                .isEqualTo("[{\"path\":\"/member/ssn\",\"classification\":\"PHI\"}]");
        assertThat(t.path("versions").get(0).path("schema").path("properties").has("status"))
                .isTrue();
        assertThat(t.path("example").path("claimId").asString()).isEqualTo("C-1");
        assertThat(pairs(t.path("publishers"), "app", "team"))
                .contains("catalogit-producer/claims")
                .doesNotContain("catalogit-pricing/claims");
        assertThat(pairs(t.path("subscribers"), "subscription", "app")).contains("catalogit-claims/catalogit-reader");
        assertThat(t.path("aggregations").path("consumes").toString())
                .isEqualTo("[{\"id\":\"catalogit-unpriced\",\"output\":[\"Catalogit.Overdue.Claim\"]}]");
        assertThat(t.path("aggregations").path("produces")).isEmpty();
    }

    @Test
    void shouldShowTheRuleThatWritesATypeWhenItIsAnAggregationsOutput() {
        // when
        Response r = api.get("/v1/catalog/Catalogit.Overdue.Claim");

        // then
        assertThat(r.json().path("aggregations").path("produces").toString())
                .isEqualTo("[{\"id\":\"catalogit-unpriced\",\"inputs\":"
                        + "[\"Catalogit.Submitted.Claim\",\"Catalogit.Priced.Claim\"]}]");
        assertThat(r.json().path("aggregations").path("consumes")).isEmpty();
    }

    @Test
    void shouldShowNoTokenCredentialOrFilterWhenATypeIsRead() {
        // when
        Response r = api.get("/v1/catalog/Catalogit.Submitted.Claim");
        Response search = api.get("/v1/catalog?q=catalogit");

        // then
        for (Response answer : List.of(r, search)) {
            assertThat(answer.body())
                    .doesNotContain("SECRET-FILTER-VALUE")
                    .doesNotContain("\"filter\"")
                    .doesNotContain("token")
                    .doesNotContain("hash")
                    .doesNotContain("password");
        }
    }

    @Test
    void shouldAnswer404ProblemWhenTheTypeIsNotRegistered() {
        // when
        Response r = api.get("/v1/catalog/Catalogit.Unknown.Claim");

        // then
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:not-found");
        assertThat(r.json().path("detail").asString())
                .isEqualTo("event type Catalogit.Unknown.Claim is not registered");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v1/catalog/..%2Fapps",
                "/v1/catalog/%2e%2e/apps",
                "/v1/catalog/Catalogit.Submitted.Claim%00",
                "/v1/catalog/Catalogit.Submitted.Claim/versions",
                "/v1/catalog/catalogit.submitted.claim",
                "/v1/catalog/Catalogit.*.Claim"
            })
    void shouldServeNoOtherThingWhenThePathIsSpelledHostilely(String path) {
        // when
        Response r = api.get(path);

        // then
        assertThat(r.status()).isIn(400, 404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("catalogit-producer").doesNotContain("versions\":[");
    }

    @Test
    void shouldAnswer422NamingQWhenTheTextIsTooLong() {
        // when
        Response r = api.get("/v1/catalog?q=" + "a".repeat(201));

        // then
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:validation");
        assertThat(r.json().path("parameter").asString()).isEqualTo("q");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=501", "limit=ten", "q=a&q=b", "query=ssn"})
    void shouldAnswerAProblemWhenAParameterIsWrong(String query) {
        // when
        Response r = api.get("/v1/catalog?" + query);

        // then
        assertThat(r.status()).isIn(400, 422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().has("parameter")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {".*", "%25", "%5B", "%24where", "ssn%0Aclaim", "%22%7D"})
    void shouldTakeTheTextLiterallyWhenItHoldsPatternOrControlCharacters(String q) {
        // when
        Response r = api.get("/v1/catalog?q=" + q);

        // then
        assertThat(r.status()).isEqualTo(200);
        assertThat(names(r)).doesNotContain("Catalogit.Priced.Claim");
    }

    @Test
    void shouldLetAnAppReadTheCatalogWhenItUsesItsOwnToken() {
        // when
        Response search =
                api.send(api.request("/v1/catalog?q=plancode", false).header("Authorization", "Bearer " + readerToken));
        Response entry = api.send(api.request("/v1/catalog/Catalogit.Submitted.Claim", false)
                .header("Authorization", "Bearer " + readerToken));

        // then
        assertThat(search.status()).isEqualTo(200);
        assertThat(names(search)).containsExactly("Catalogit.Submitted.Claim");
        assertThat(entry.status()).isEqualTo(200);
        assertThat(entry.body()).doesNotContain("SECRET-FILTER-VALUE").doesNotContain(readerToken);
    }

    @Test
    void shouldAnswer401WhenNoTokenIsSent() {
        // when
        Response r = api.getWithoutToken("/v1/catalog?q=claim");

        // then
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("Catalogit");
    }

    private static List<String> names(Response r) {
        List<String> names = new ArrayList<>();
        r.json().path("items").forEach(i -> names.add(i.path("eventType").asString()));
        return names;
    }

    private static JsonNode item(Response r, String eventType) {
        for (JsonNode i : r.json().path("items")) {
            if (i.path("eventType").asString().equals(eventType)) {
                return i;
            }
        }
        throw new AssertionError(eventType + " is not in " + r.body());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static List<String> pairs(JsonNode array, String a, String b) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(a).asString() + "/" + n.path(b).asString()));
        return out;
    }

    private static void created(Response r) {
        if (r.status() != 201) {
            throw new IllegalStateException("setup failed: " + r.status() + " " + r.body());
        }
    }

    private static void ok(Response r) {
        if (r.status() != 200) {
            throw new IllegalStateException("setup failed: " + r.status() + " " + r.body());
        }
    }
}
