package com.northwind.eventing.admin;

import static com.northwind.eventing.admin.Fixtures.app;
import static com.northwind.eventing.admin.Fixtures.claimEventType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

@ExtendWith(KafkaClusterExtension.class)
class RegistryApiIT {
    private static KafkaBroker kafka;
    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        api = new AdminApiServer(broker).start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldAnswer401WithProblemWhenTokenMissingOrWrong() {
        Response missing = api.getWithoutToken("/v1/event-types");
        Response wrong = api.send(api.request("/v1/event-types", false)
                .header("Authorization", "Bearer not-the-token")
                .GET());

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(missing.json().path("type").asString()).isEqualTo("urn:eventing:problem:unauthorized");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("detail").asString())
                .isEqualTo("the token is not valid: neither the admin token nor a token of a registered app");
    }

    @Test
    void shouldRegisterAndReadBackEventTypeWhenValid() {
        Response created = api.post("/v1/event-types", claimEventType("RoundTrip"));

        Response read = api.get("/v1/event-types/Claim.Submitted.RoundTrip");
        Response list = api.get("/v1/event-types");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/v1/event-types/Claim.Submitted.RoundTrip");
        assertThat(created.json().path("eventType").asString()).isEqualTo("Claim.Submitted.RoundTrip");
        assertThat(created.json().path("version").asInt()).isEqualTo(1);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("owner").asString()).isEqualTo("claims-team");
        assertThat(read.json().path("retentionDays").asInt()).isEqualTo(30);
        assertThat(read.json().at("/sensitiveFields/0/path").asString()).isEqualTo("/member/ssn");
        assertThat(read.json().at("/sensitiveFields/0/classification").asString())
                .isEqualTo("PHI");
        assertThat(read.json().at("/schema/properties/claimId/type").asString()).isEqualTo("string");
        assertThat(eventTypeNames(list.json())).contains("Claim.Submitted.RoundTrip");
    }

    @Test
    void shouldAnswer409WhenEventTypeExists() {
        api.post("/v1/event-types", claimEventType("Twice"));

        Response again = api.post("/v1/event-types", claimEventType("Twice"));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("type").asString()).isEqualTo("urn:eventing:problem:conflict");
        assertThat(again.json().path("detail").asString()).contains("Claim.Submitted.Twice is already registered");
    }

    @Test
    void shouldListEveryViolationWhenEventTypeInvalid() {
        Response r = api.post("/v1/event-types", """
                {"noun": "claim", "verb": "Sub mitted", "object": "Ok", "owner": "",
                 "schema": {"type": 12},
                 "sensitiveFields": [{"path": "member/ssn", "classification": "phi"}],
                 "retentionDays": 0}
                """);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:validation");
        assertThat(pointers(r.json()))
                .containsExactly(
                        "/noun",
                        "/verb",
                        "/owner",
                        "/schema",
                        "/sensitiveFields/0/path",
                        "/sensitiveFields/0/classification",
                        "/retentionDays");
        assertThat(api.get("/v1/event-types/claim.Sub mitted.Ok".replace(" ", "%20"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void shouldRefuseExampleWhenItBreaksTheSchema() {
        String body = claimEventType("BadExample").replace("\"claimId\": \"C-1\"", "\"claimId\": 42");

        Response r = api.post("/v1/event-types", body);

        assertThat(r.status()).isEqualTo(422);
        assertThat(pointers(r.json())).containsExactly("/example/claimId");
    }

    @Test
    void shouldAnswer400WhenBodyIsMalformedOrMistyped() {
        Response broken = api.post("/v1/event-types", "{\"noun\": ");
        Response wrongType = api.post("/v1/event-types", "{\"noun\": \"Claim\", \"retentionDays\": \"long\"}");
        Response unknown = api.post("/v1/event-types", "{\"noun\": \"Claim\", \"sensitiveFeilds\": []}");

        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().path("detail").asString())
                .isEqualTo("wrong type at /retentionDays: expected an integer");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("detail").asString()).startsWith("unknown member 'sensitiveFeilds'");
    }

    @Test
    void shouldAnswer415WhenBodyIsNotJson() {
        Response r = api.send(api.request("/v1/event-types", true)
                .header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("noun=Claim")));

        assertThat(r.status()).isEqualTo(415);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:unsupported-media-type");
    }

    @Test
    void shouldAnswer404NamingTheTypeWhenEventTypeUnknown() {
        Response r = api.get("/v1/event-types/Claim.Submitted.Nothing");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("detail").asString())
                .isEqualTo("event type Claim.Submitted.Nothing is not registered");
    }

    @Test
    void shouldKeepOldVersionWhenSchemaChanges() {
        api.post("/v1/event-types", claimEventType("Evolving"));
        String v2 = claimEventType("Evolving")
                .replace("\"status\": {\"type\": \"string\"}", "\"status\": {\"enum\": [\"NEW\", \"DONE\"]}");

        Response updated = api.put("/v1/event-types/Claim.Submitted.Evolving", v2);
        Response latest = api.get("/v1/event-types/Claim.Submitted.Evolving");
        Response first = api.get("/v1/event-types/Claim.Submitted.Evolving?version=1");
        Response missing = api.get("/v1/event-types/Claim.Submitted.Evolving?version=3");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(latest.json().path("version").asInt()).isEqualTo(2);
        assertThat(latest.json().at("/schema/properties/status/enum/0").asString())
                .isEqualTo("NEW");
        assertThat(first.json().path("version").asInt()).isEqualTo(1);
        assertThat(first.json().path("latestVersion").asInt()).isEqualTo(2);
        assertThat(first.json().at("/schema/properties/status/type").asString()).isEqualTo("string");
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void shouldShowTokenOnlyOnceAndStoreOnlyItsHashWhenAppCreated() throws Exception {
        Response created = api.post("/v1/apps", app("token-once", "\"Claim.*.*\"", "\"PHI\""));
        String token = created.json().path("token").asString();

        Response read = api.get("/v1/apps/token-once");
        List<String> stored = recordsOf(RegistryTopics.APPS, "token-once");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        assertThat(token).startsWith("evt_");
        // 32 random bytes in unpadded base64url: 43 characters, 256 bits.
        assertThat(token.substring(4)).hasSize(43);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body())
                .doesNotContain(token)
                .doesNotContain(sha256(token))
                .doesNotContain("sha256");
        assertThat(read.json().at("/tokens/0/id").asString())
                .isEqualTo(created.json().path("tokenId").asString());
        assertThat(stored).isNotEmpty();
        assertThat(stored).noneMatch(v -> v.contains(token));
        assertThat(stored.get(stored.size() - 1)).contains(sha256(token));
    }

    @Test
    void shouldIssueAndRevokeTokensWhenAsked() {
        String firstTokenId = api.post("/v1/apps", app("rotating", "\"Claim.*.*\"", ""))
                .json()
                .path("tokenId")
                .asString();

        Response second = api.post("/v1/apps/rotating/tokens", "");
        Response revoked = api.delete("/v1/apps/rotating/tokens/" + firstTokenId);
        Response revokedAgain = api.delete("/v1/apps/rotating/tokens/" + firstTokenId);
        Response read = api.get("/v1/apps/rotating");

        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().path("token").asString()).startsWith("evt_");
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(revokedAgain.status()).isEqualTo(404);
        assertThat(read.json().path("tokens")).hasSize(1);
        assertThat(read.json().at("/tokens/0/id").asString())
                .isEqualTo(second.json().path("tokenId").asString());
    }

    @Test
    void shouldRefuseAppWhenGrantsDoNotParse() {
        Response r =
                api.post("/v1/apps", app("Bad_Id", "\"claim.*\", \"Claim.*.*\"", "\"phi\", \"/ok/path\", \"/bad~2\""));

        assertThat(r.status()).isEqualTo(422);
        assertThat(pointers(r.json())).containsExactly("/id", "/publish/0", "/read/0", "/read/2");
    }

    @Test
    void shouldAnswer422AtTheNestedMemberWhenANestedValueIsRefused() {
        Response rate = api.post("/v1/apps", """
                {"id": "too-fast", "team": "t", "rateLimit": {"eventsPerSecond": 0, "burst": 10}}
                """);
        Response tags = api.post("/v1/subscriptions", """
                {"id": "bad-tags", "app": "too-fast", "eventTypes": ["Claim.*.*"], "tags": {"allOf": ["ok", ""]}}
                """);

        assertThat(rate.status()).isEqualTo(422);
        assertThat(pointers(rate.json())).containsExactly("/rateLimit/eventsPerSecond");
        assertThat(tags.status()).isEqualTo(422);
        assertThat(pointers(tags.json())).containsExactly("/tags/allOf/1");
    }

    @Test
    void shouldKeepRateLimitWhenAppHasOne() {
        Response created = api.post("/v1/apps", """
                {"id": "rate-limited", "team": "t", "publish": ["Claim.*.*"], "rateLimit": {"eventsPerSecond": 50, "burst": 100}}
                """);

        Response read = api.get("/v1/apps/rate-limited");

        assertThat(created.status()).isEqualTo(201);
        assertThat(read.json().at("/rateLimit/eventsPerSecond").asInt()).isEqualTo(50);
        assertThat(read.json().at("/rateLimit/burst").asInt()).isEqualTo(100);
    }

    @Test
    void shouldCreateTopicBeforeAnsweringWhenSubscriptionCreated() throws Exception {
        api.post("/v1/apps", app("sub-owner", "", "\"PHI\""));

        Response created = api.post("/v1/subscriptions", """
                {"id": "claims-feed", "app": "sub-owner", "eventTypes": ["Claim.Submitted.*"],
                 "tags": {"anyOf": ["state:TX"]}, "synthetic": "INCLUDE",
                 "filter": {"/status": ["APPROVED", {"prefix": "DEN"}]}, "include": ["claimId"]}
                """);
        TopicDescription topic = describe("eventing.sub.claims-feed");
        Response read = api.get("/v1/subscriptions/claims-feed");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("topic").asString()).isEqualTo("eventing.sub.claims-feed");
        assertThat(topic.partitions()).hasSize(2);
        assertThat(read.json().path("synthetic").asString()).isEqualTo("INCLUDE");
        assertThat(read.json().at("/tags/anyOf/0").asString()).isEqualTo("state:TX");
        assertThat(read.json().at("/filter/~1status/1/prefix").asString()).isEqualTo("DEN");
    }

    @Test
    void shouldUseGivenTopicAndPartitionsWhenNamed() throws Exception {
        api.post("/v1/apps", app("named-topic-owner", "", ""));

        Response created = api.post("/v1/subscriptions", """
                {"id": "named", "app": "named-topic-owner", "eventTypes": ["*.*.*"], "topic": "claims.named", "partitions": 4}
                """);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("synthetic").asString()).isEqualTo("EXCLUDE");
        assertThat(describe("claims.named").partitions()).hasSize(4);
    }

    @Test
    void shouldRefuseSubscriptionWhenAppUnknownOrFilterInvalid() {
        api.post("/v1/apps", app("filter-owner", "", ""));

        Response unknownApp = api.post("/v1/subscriptions", """
                {"id": "orphan", "app": "nobody", "eventTypes": ["Claim.*.*"]}
                """);
        Response badFilter = api.post("/v1/subscriptions", """
                {"id": "bad-filter", "app": "filter-owner", "eventTypes": ["Claim.*.*"],
                 "filter": {"/amount": [{"numeric": ["~", 100]}], "/status": "APPROVED"}}
                """);

        assertThat(unknownApp.status()).isEqualTo(422);
        assertThat(unknownApp.json().path("detail").asString()).isEqualTo("/app: app nobody is not registered");
        assertThat(badFilter.status()).isEqualTo(422);
        assertThat(pointers(badFilter.json())).containsExactly("/filter/~1amount/0/numeric/0", "/filter/~1status");
        assertThat(api.get("/v1/subscriptions/bad-filter").status()).isEqualTo(404);
    }

    @Test
    void shouldStopRoutingButKeepTopicWhenSubscriptionDeleted() throws Exception {
        api.post("/v1/apps", app("leaving", "", ""));
        api.post("/v1/subscriptions", """
                {"id": "short-lived", "app": "leaving", "eventTypes": ["Claim.*.*"]}
                """);

        Response deleted = api.delete("/v1/subscriptions/short-lived");
        Response after = api.get("/v1/subscriptions/short-lived");
        Response again = api.delete("/v1/subscriptions/short-lived");

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(after.status()).isEqualTo(404);
        assertThat(again.status()).isEqualTo(404);
        assertThat(describe("eventing.sub.short-lived").partitions()).hasSize(2);
        assertThat(recordsOf(RegistryTopics.SUBSCRIPTIONS, "short-lived")).endsWith("<tombstone>");
    }

    @Test
    void shouldAnswer409WhenSubscriptionExists() {
        api.post("/v1/apps", app("dup-owner", "", ""));
        String body = """
                {"id": "dup", "app": "dup-owner", "eventTypes": ["Claim.*.*"]}
                """;
        api.post("/v1/subscriptions", body);

        Response again = api.post("/v1/subscriptions", body);

        assertThat(again.status()).isEqualTo(409);
    }

    private static List<String> eventTypeNames(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("items").forEach(t -> names.add(t.path("eventType").asString()));
        return names;
    }

    static List<String> pointers(JsonNode problem) {
        List<String> pointers = new ArrayList<>();
        problem.path("errors").forEach(e -> pointers.add(e.path("pointer").asString()));
        return pointers;
    }

    private static TopicDescription describe(String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        }
    }

    private static List<String> recordsOf(String topic, String key) {
        return RegistryRecords.recordsOf(kafka, topic, key);
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
