package com.northwind.eventing.admin.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.admin.Fixtures;
import com.northwind.eventing.admin.store.InMemoryMongo;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit log on admin-api: an entry per change, on the topic and in the store, searchable; none for a refusal. */
@ExtendWith(KafkaClusterExtension.class)
class AuditIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String S = UUID.randomUUID().toString().substring(0, 8);
    private static final String TYPE = "Claim.Submitted.Audit" + S;
    private static final String APP = "audit-app-" + S;
    private static final String SUB = "audit-sub-" + S;
    private static final String RULE = "audit-rule-" + S;
    private static final String SUBJECT = "audit-" + S + "-value";
    private static final String REGISTRY = "application/vnd.schemaregistry.v1+json";

    private static KafkaBroker kafka;
    private static InMemoryMongo mongo;
    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        mongo = new InMemoryMongo();
        api = new AdminApiServer(broker, "--eventing.store.uri=" + mongo.uri()).start();
    }

    @AfterAll
    static void stop() {
        api.close();
        mongo.close();
    }

    /** A change route, what it is called with, and the entry it must write. */
    record Change(
            String method,
            String path,
            String body,
            String contentType,
            String action,
            String resourceType,
            Function<Response, String> resourceId,
            String beforePointer,
            String beforeValue,
            String afterPointer,
            String afterValue) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Change change(String method, String path, String body, String action, String type, String id) {
        return new Change(method, path, body, "application/json", action, type, r -> id, null, null, null, null);
    }

    static List<Change> changes() {
        String plainType = """
                {"noun": "Claim", "verb": "%s", "object": "Audit%s", "description": "d", "owner": "o",
                 "schema": {"type": "object"}, "sensitiveFields": [], "example": {"claimId": "C-1"}}""";
        return List.of(
                new Change(
                        "POST",
                        "/v1/event-types",
                        Fixtures.claimEventType("Audit" + S),
                        "application/json",
                        "create",
                        "event-type",
                        r -> TYPE,
                        "",
                        null,
                        "/retentionDays",
                        "30"),
                new Change(
                        "PUT",
                        "/v1/event-types/" + TYPE,
                        Fixtures.claimEventType("Audit" + S).replace("\"retentionDays\": 30", "\"retentionDays\": 40"),
                        "application/json",
                        "update",
                        "event-type",
                        r -> TYPE,
                        "/retentionDays",
                        "30",
                        "/retentionDays",
                        "40"),
                change(
                        "POST",
                        "/v1/event-types",
                        plainType.formatted("Acknowledged", S),
                        "create",
                        "event-type",
                        "Claim.Acknowledged.Audit" + S),
                change(
                        "POST",
                        "/v1/event-types",
                        plainType.formatted("Overdue", S),
                        "create",
                        "event-type",
                        "Claim.Overdue.Audit" + S),
                new Change(
                        "POST",
                        "/v1/apps",
                        Fixtures.app(APP, "\"Claim.*.*\"", ""),
                        "application/json",
                        "create",
                        "app",
                        r -> APP,
                        "",
                        null,
                        "/team",
                        "claims"),
                new Change(
                        "PUT",
                        "/v1/apps/" + APP,
                        Fixtures.app(APP, "\"Claim.*.*\"", "\"PHI\""),
                        "application/json",
                        "update",
                        "app",
                        r -> APP,
                        "/read/0",
                        null,
                        "/read/0",
                        "PHI"),
                new Change(
                        "POST",
                        "/v1/apps/" + APP + "/tokens",
                        null,
                        null,
                        "create",
                        "app-token",
                        r -> r.json().path("tokenId").asString(),
                        "",
                        null,
                        "/app",
                        APP),
                new Change(
                        "DELETE",
                        "/v1/apps/" + APP + "/tokens/TOKEN",
                        null,
                        null,
                        "revoke",
                        "app-token",
                        r -> null,
                        "/app",
                        APP,
                        "",
                        null),
                new Change(
                        "POST",
                        "/v1/subscriptions",
                        "{\"id\": \"" + SUB + "\", \"app\": \"" + APP + "\", \"eventTypes\": [\"" + TYPE + "\"]}",
                        "application/json",
                        "create",
                        "subscription",
                        r -> SUB,
                        "",
                        null,
                        "/app",
                        APP),
                new Change(
                        "PATCH",
                        "/v1/subscriptions/" + SUB,
                        "{\"retentionMs\": 7200000}",
                        "application/json",
                        "update",
                        "subscription",
                        r -> SUB,
                        "/retentionMs",
                        "604800000",
                        "/retentionMs",
                        "7200000"),
                new Change(
                        "POST",
                        "/v1/aggregations",
                        """
                        {"id": "%s", "kind": "absence",
                         "start": {"eventType": "%s", "key": "/claimId", "fields": ["/claimId"]},
                         "expected": {"eventType": "Claim.Acknowledged.Audit%s", "key": "/claimId"},
                         "deadline": "PT48H", "output": "Claim.Overdue.Audit%s"}""".formatted(RULE, TYPE, S, S),
                        "application/json",
                        "create",
                        "aggregation",
                        r -> RULE,
                        "",
                        null,
                        "/deadline",
                        "PT48H"),
                new Change(
                        "PUT",
                        "/v1/aggregations/" + RULE,
                        """
                        {"kind": "absence",
                         "start": {"eventType": "%s", "key": "/claimId", "fields": ["/claimId"]},
                         "expected": {"eventType": "Claim.Acknowledged.Audit%s", "key": "/claimId"},
                         "deadline": "PT24H", "output": "Claim.Overdue.Audit%s"}""".formatted(TYPE, S, S),
                        "application/json",
                        "update",
                        "aggregation",
                        r -> RULE,
                        "/deadline",
                        "PT48H",
                        "/deadline",
                        "PT24H"),
                new Change(
                        "DELETE",
                        "/v1/aggregations/" + RULE,
                        null,
                        null,
                        "delete",
                        "aggregation",
                        r -> RULE,
                        "/deadline",
                        "PT24H",
                        "",
                        null),
                new Change(
                        "POST",
                        "/subjects/" + SUBJECT + "/versions",
                        "{\"schema\": \"{\\\"type\\\": \\\"record\\\", \\\"name\\\": \\\"A\\\", \\\"fields\\\": []}\"}",
                        REGISTRY,
                        "create",
                        "registry-subject",
                        r -> SUBJECT,
                        "",
                        null,
                        "/versions/0/version",
                        "1"),
                new Change(
                        "PUT",
                        "/config/" + SUBJECT,
                        "{\"compatibility\": \"NONE\"}",
                        REGISTRY,
                        "create",
                        "registry-config",
                        r -> SUBJECT,
                        "",
                        null,
                        "/compatibilityLevel",
                        "NONE"),
                new Change(
                        "DELETE",
                        "/config/" + SUBJECT,
                        null,
                        null,
                        "delete",
                        "registry-config",
                        r -> SUBJECT,
                        "/compatibilityLevel",
                        "NONE",
                        "",
                        null),
                new Change(
                        "PUT",
                        "/config",
                        "{\"compatibility\": \"BACKWARD\"}",
                        REGISTRY,
                        "update",
                        "registry-config",
                        r -> "global",
                        "/compatibilityLevel",
                        "BACKWARD",
                        "/compatibilityLevel",
                        "BACKWARD"),
                new Change(
                        "DELETE",
                        "/subjects/" + SUBJECT + "/versions/1",
                        null,
                        null,
                        "delete",
                        "registry-subject",
                        r -> SUBJECT,
                        "/versions/0/deleted",
                        "false",
                        "/versions/0/deleted",
                        "true"),
                new Change(
                        "DELETE",
                        "/subjects/" + SUBJECT + "?permanent=true",
                        null,
                        null,
                        "delete",
                        "registry-subject",
                        r -> SUBJECT,
                        "/versions/0/deleted",
                        "true",
                        "",
                        null),
                new Change(
                        "DELETE",
                        "/v1/subscriptions/" + SUB + "?deleteTopic=true",
                        null,
                        null,
                        "delete",
                        "subscription",
                        r -> SUB,
                        "/id",
                        SUB,
                        "",
                        null),
                new Change("DELETE", "/v1/apps/" + APP, null, null, "delete", "app", r -> APP, "/id", APP, "", null));
    }

    @Test
    void shouldWriteExactlyOneEntryWithActorResourceAndStatesWhenEachChangeRouteSucceeds() {
        String token = null;
        for (Change c : changes()) {
            // given
            Instant before = Instant.now();
            int seen = AuditTopic.read(clientConfig(), "eventing.audit").size();
            String path = token == null ? c.path() : c.path().replace("TOKEN", token);

            // when
            Response r = send(c.method(), path, c.body(), c.contentType());

            // then
            assertThat(r.status()).as(c + ": " + r.body()).isBetween(200, 204);
            String resourceId = c.resourceId().apply(r);
            if (c.resourceType().equals("app-token") && c.action().equals("create")) {
                token = resourceId;
            }
            String id = resourceId == null ? token : resourceId;
            List<JsonNode> written = AuditTopic.read(clientConfig(), "eventing.audit").stream()
                    .skip(seen)
                    .map(JSON::readTree)
                    .filter(e -> e.path("resourceId").asString().equals(id))
                    .toList();
            assertThat(written).as(c.toString()).hasSize(1);
            JsonNode e = written.get(0);
            assertThat(e.path("action").asString()).as(c.toString()).isEqualTo(c.action());
            assertThat(e.path("resourceType").asString()).as(c.toString()).isEqualTo(c.resourceType());
            assertThat(e.path("actor").asString()).as(c.toString()).isEqualTo("admin");
            assertThat(e.path("session").asBoolean()).isFalse();
            assertThat(e.path("remoteAddress").asString()).isEqualTo("127.0.0.1");
            assertThat(e.path("userAgent").asString()).isEqualTo("audit-test/1.0");
            assertThat(e.path("requestId").asString()).isEqualTo("req-" + S);
            assertThat(Instant.parse(e.path("at").asString())).isBetween(before, Instant.now());
            assertState(c.toString() + " before", e.path("before"), c.beforePointer(), c.beforeValue());
            assertState(c.toString() + " after", e.path("after"), c.afterPointer(), c.afterValue());
        }
    }

    /** An empty pointer: the state is null (it did not exist, or is gone). A null value: the member is absent. */
    private static void assertState(String what, JsonNode state, String pointer, String value) {
        if (pointer == null) {
            return;
        }
        if (pointer.isEmpty()) {
            assertThat(state.isNull()).as(what + ": " + state).isTrue();
        } else if (value == null) {
            assertThat(state.at(pointer).isMissingNode())
                    .as(what + ": " + state)
                    .isTrue();
        } else {
            assertThat(state.at(pointer).asString()).as(what + ": " + state).isEqualTo(value);
        }
    }

    @Test
    void shouldWriteNoEntryWhenTheChangeIsRefused() {
        // given
        String refused = "refused-" + S;
        int seen = AuditTopic.read(clientConfig(), "eventing.audit").size();

        // when
        Response invalid = api.post("/v1/apps", "{\"id\": \"" + refused + "\", \"team\": \"t\", \"publish\": [\"x\"]}");
        Response missing = api.put("/v1/apps/" + refused, Fixtures.app(refused, "", ""));
        Response absent = api.delete("/v1/subscriptions/" + refused);
        Response unauthorized =
                api.send(api.request("/v1/apps/" + refused, false).DELETE());
        Response barrier = api.post("/v1/apps", Fixtures.app(refused + "-ok", "", ""));

        // then
        assertThat(List.of(
                        invalid.status(), missing.status(), absent.status(), unauthorized.status(), barrier.status()))
                .containsExactly(422, 404, 404, 401, 201);
        List<String> ids = AuditTopic.read(clientConfig(), "eventing.audit").stream()
                .skip(seen)
                .map(v -> JSON.readTree(v).path("resourceId").asString())
                .filter(id -> id.startsWith(refused))
                .toList();
        assertThat(ids).containsExactly(refused + "-ok");
    }

    @Test
    void shouldRecordTheSignInAndSignOutOfAConsoleSessionWithoutItsSecretsWhenAnAppSignsIn() {
        // given an app and its token
        String app = "signer-" + S;
        String token = api.post("/v1/apps", Fixtures.app(app, "", ""))
                .json()
                .path("token")
                .asString();
        int seen = AuditTopic.read(clientConfig(), "eventing.audit").size();

        // when it signs in to the console and out again
        Response in = api.send(api.request("/v1/session", false)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"" + token + "\"}")));
        String cookie = in.header("Set-Cookie").split(";")[0];
        Response out = api.send(api.request("/v1/session", false)
                .header("Cookie", cookie)
                .header("X-CSRF-Token", in.json().path("csrfToken").asString())
                .DELETE());

        // then one entry each, by the app through a session, with neither the token, the cookie nor the CSRF token
        assertThat(List.of(in.status(), out.status())).containsExactly(201, 204);
        List<String> entries = AuditTopic.read(clientConfig(), "eventing.audit").stream()
                .skip(seen)
                .toList();
        assertThat(entries)
                .map(v -> JSON.readTree(v))
                .filteredOn(e -> e.path("resourceType").asString().equals("session"))
                .extracting(e -> e.path("action").asString() + " "
                        + e.path("actor").asString() + " " + e.path("session").asBoolean())
                .containsExactly("sign-in app:" + app + " true", "sign-out app:" + app + " true");
        assertThat(String.join("\n", entries))
                .doesNotContain(token)
                .doesNotContain(cookie.substring(cookie.indexOf('=') + 1))
                .doesNotContain(in.json().path("csrfToken").asString());
    }

    @Test
    void shouldFindTheEntryInTheStoreWithinSecondsAndPageNewestFirstWhenSearched() throws Exception {
        // given
        String app = "searched-" + S;
        api.post("/v1/apps", Fixtures.app(app, "", ""));
        api.put("/v1/apps/" + app, Fixtures.app(app, "", "\"PHI\""));
        api.delete("/v1/apps/" + app);

        // when (all three copied first: a page of two fills before the last one arrives)
        awaitEntries("resource=app/" + app, 3);
        Response page1 = api.get("/v1/audit?resource=app/" + app + "&limit=2");
        Response page2 = api.get("/v1/audit?resource=app/" + app + "&limit=2&cursor="
                + page1.json().path("nextCursor").asString());
        Response deletes = api.get("/v1/audit?resource=app/" + app + "&action=delete&actor=admin");
        Response one = api.get("/v1/audit/" + page2.json().at("/entries/0/id").asString());

        // then
        assertThat(actions(page1)).containsExactly("delete", "update");
        assertThat(actions(page2)).containsExactly("create");
        assertThat(page2.json().path("nextCursor").isNull()).isTrue();
        assertThat(actions(deletes)).containsExactly("delete");
        assertThat(one.json().path("action").asString()).isEqualTo("create");
        assertThat(one.json().at("/after/id").asString()).isEqualTo(app);
    }

    @Test
    void shouldKeepOneDocumentPerEntryWhenTheTopicIsCopiedAgain() throws Exception {
        // given
        String app = "copied-" + S;
        api.post("/v1/apps", Fixtures.app(app, "", ""));
        awaitEntries("resource=app/" + app, 1);
        mongo.client()
                .getDatabase("eventing")
                .getCollection("audit")
                .updateMany(new Document(), new Document("$set", new Document("offset", -1L)));

        // when
        api.restart();
        String tokenId = api.post("/v1/apps/" + app + "/tokens", "")
                .json()
                .path("tokenId")
                .asString();
        awaitEntries("resource=app-token/" + tokenId, 1);

        // then
        long documents = mongo.client()
                .getDatabase("eventing")
                .getCollection("audit")
                .countDocuments(new Document("resourceId", app));
        assertThat(documents).isEqualTo(1);
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of("resource=bogus", 422, "resource"),
                Arguments.of("resource=app/", 422, "resource"),
                Arguments.of("actor=root", 422, "actor"),
                Arguments.of("action=explode", 422, "action"),
                Arguments.of("limit=0", 422, "limit"),
                Arguments.of("limit=ten", 400, "limit"),
                Arguments.of("from=yesterday", 400, "from"),
                Arguments.of("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", 422, "from"),
                Arguments.of("cursor=garbage", 400, "cursor"),
                Arguments.of("colour=red", 400, "colour"),
                Arguments.of("actor=admin&actor=service", 400, "actor"));
    }

    @ParameterizedTest
    @MethodSource("badParameters")
    void shouldAnswerAProblemNamingTheParameterWhenAParameterIsBad(String query, int status, String parameter) {
        // given the running admin-api

        // when
        Response r = api.get("/v1/audit?" + query);

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.json().path("parameter").asString()).isEqualTo(parameter);
    }

    @Test
    void shouldAnswerNotFoundWhenTheEntryDoesNotExist() {
        // given the running admin-api

        // when
        Response r = api.get("/v1/audit/no-such-entry");

        // then
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:not-found");
    }

    private static Response awaitEntries(String query, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Response r = api.get("/v1/audit?" + query);
        while (r.json().path("entries").size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            r = api.get("/v1/audit?" + query);
        }
        assertThat(r.json().path("entries").size()).as(r.body()).isGreaterThanOrEqualTo(count);
        return r;
    }

    private static List<String> actions(Response r) {
        return r.json()
                .path("entries")
                .valueStream()
                .map(e -> e.path("action").asString())
                .toList();
    }

    private static Map<String, Object> clientConfig() {
        return kafka.clientConfig(Map.of());
    }

    private static Response send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b =
                api.request(path, true).header("User-Agent", "audit-test/1.0").header("X-Request-Id", "req-" + S);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return api.send(b.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }
}
