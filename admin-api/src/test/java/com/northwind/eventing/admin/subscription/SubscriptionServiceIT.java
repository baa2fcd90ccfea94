package com.northwind.eventing.admin.subscription;

import static com.northwind.eventing.admin.Fixtures.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * What {@code POST /v1/subscriptions} refuses on the real admin-api and broker: a content filter that would read a
 * field its app is not cleared for (422), and a topic that is not the app's own (409), including after a restart.
 */
@ExtendWith(KafkaClusterExtension.class)
class SubscriptionServiceIT {
    private static KafkaBroker kafka;
    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        api = new AdminApiServer(broker).start();
        api.post("/v1/event-types", eventType("Oracle", """
                [{"path": "/member/ssn", "classification": "PHI"},
                 {"path": "/lines/*/code", "classification": "PHI"},
                 {"path": "/diagnoses/*", "classification": "PHI"}]"""));
        api.post("/v1/apps", app("guard-uncleared", "", ""));
        api.post("/v1/apps", app("guard-cleared", "", "\"PHI\""));
        api.post("/v1/apps", app("guard-path-cleared", "", "\"/member/ssn\""));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldAnswer422NamingTheFilteredPathWhenTheAppIsNotClearedForIt() throws Exception {
        Response r = api.post("/v1/subscriptions", """
                {"id": "ssn-oracle", "app": "guard-uncleared", "eventTypes": ["Guarded.Submitted.*"],
                 "filter": {"/member/ssn": [{"prefix": "12"}], "/status": ["APPROVED"]}}
                """);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:validation");
        assertThat(errors(r.json()))
                .containsExactly("/filter/~1member~1ssn: filter field /member/ssn reads /member/ssn, a PHI field of"
                        + " event type Guarded.Submitted.Oracle that app guard-uncleared is not cleared for; a filter may only"
                        + " read what its app may see");
        assertThat(api.get("/v1/subscriptions/ssn-oracle").status()).isEqualTo(404);
        assertThat(topics()).doesNotContain("eventing.sub.ssn-oracle");
    }

    @Test
    void shouldAnswer422ForEveryFilteredPathUnderOrInsideASensitiveArrayWhenTheAppIsNotCleared() {
        Response r = api.post("/v1/subscriptions", """
                {"id": "deep-oracle", "app": "guard-uncleared", "eventTypes": ["Guarded.*.Oracle"],
                 "filter": {"/member/ssn/last4": [{"exists": true}], "/lines/3/code": [{"prefix": "F"}],
                            "/diagnoses": [{"prefix": "F32"}], "/diagnoses/0": ["F32.1"],
                            "/member": [{"exists": true}], "/lines/3/amount": [{"numeric": [">", 0]}]}}
                """);

        assertThat(r.status()).isEqualTo(422);
        assertThat(pointers(r.json()))
                .containsExactly(
                        "/filter/~1member~1ssn~1last4",
                        "/filter/~1lines~13~1code",
                        "/filter/~1diagnoses",
                        "/filter/~1diagnoses~10");
    }

    @Test
    void shouldAnswer422WhenAnyVersionOfTheTypeDeclaresTheFieldSensitive() {
        api.post("/v1/event-types", eventType("Versioned", """
                [{"path": "/member/dob", "classification": "PHI"}]"""));
        api.put("/v1/event-types/Guarded.Submitted.Versioned", eventType("Versioned", """
                [{"path": "/member/plan", "classification": "PII"}]"""));

        Response dropped = api.post("/v1/subscriptions", """
                {"id": "dob-oracle", "app": "guard-uncleared", "eventTypes": ["Guarded.Submitted.Versioned"],
                 "filter": {"/member/dob": [{"prefix": "19"}]}}
                """);
        Response added = api.post("/v1/subscriptions", """
                {"id": "plan-oracle", "app": "guard-cleared", "eventTypes": ["Guarded.Submitted.Versioned"],
                 "filter": {"/member/plan": ["gold"]}}
                """);

        assertThat(dropped.status()).isEqualTo(422);
        assertThat(pointers(dropped.json())).containsExactly("/filter/~1member~1dob");
        assertThat(added.status()).isEqualTo(422);
        assertThat(errors(added.json()))
                .containsExactly("/filter/~1member~1plan: filter field /member/plan reads /member/plan, a PII field of"
                        + " event type Guarded.Submitted.Versioned that app guard-cleared is not cleared for; a filter may"
                        + " only read what its app may see");
    }

    @Test
    void shouldAcceptTheFilterWhenTheAppIsClearedOrNoMatchedTypeHidesTheField() {
        Response cleared = api.post("/v1/subscriptions", """
                {"id": "ssn-cleared", "app": "guard-cleared", "eventTypes": ["Guarded.*.*"],
                 "filter": {"/member/ssn": [{"prefix": "12"}], "/diagnoses": [{"prefix": "F32"}]}}
                """);
        Response byPath = api.post("/v1/subscriptions", """
                {"id": "ssn-path-cleared", "app": "guard-path-cleared", "eventTypes": ["Guarded.Submitted.Oracle"],
                 "filter": {"/member/ssn": [{"prefix": "12"}]}}
                """);
        Response otherTypes = api.post("/v1/subscriptions", """
                {"id": "ssn-elsewhere", "app": "guard-uncleared", "eventTypes": ["Unregistered.*.*"],
                 "filter": {"/member/ssn": [{"prefix": "12"}]}}
                """);
        Response visible = api.post("/v1/subscriptions", """
                {"id": "visible-fields", "app": "guard-uncleared", "eventTypes": ["Guarded.Submitted.Oracle"],
                 "filter": {"/member": [{"exists": true}], "/lines/0/amount": [{"numeric": [">", 0]}]}}
                """);

        assertThat(cleared.status()).as(cleared.body()).isEqualTo(201);
        assertThat(byPath.status()).as(byPath.body()).isEqualTo(201);
        assertThat(otherTypes.status()).as(otherTypes.body()).isEqualTo(201);
        assertThat(visible.status()).as(visible.body()).isEqualTo(201);
    }

    @Test
    void shouldAnswer409WhenTheTopicIsAnotherAppsKeptTopicAndLetTheSameAppTakeItAgain() {
        api.post("/v1/apps", app("first-owner", "", ""));
        api.post("/v1/apps", app("second-owner", "", ""));
        api.post("/v1/subscriptions", """
                {"id": "kept", "app": "first-owner", "eventTypes": ["Claim.*.*"]}
                """);
        api.delete("/v1/subscriptions/kept");

        Response other = api.post("/v1/subscriptions", """
                {"id": "taker", "app": "second-owner", "eventTypes": ["Claim.*.*"], "topic": "eventing.sub.kept"}
                """);
        Response same = api.post("/v1/subscriptions", """
                {"id": "kept-again", "app": "first-owner", "eventTypes": ["Claim.*.*"], "topic": "eventing.sub.kept"}
                """);

        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().path("type").asString()).isEqualTo("urn:eventing:problem:conflict");
        assertThat(other.json().path("detail").asString())
                .isEqualTo("topic eventing.sub.kept is kept for app first-owner (subscription kept was deleted"
                        + " without it); choose another topic");
        assertThat(api.get("/v1/subscriptions/taker").status()).isEqualTo(404);
        assertThat(same.status()).as(same.body()).isEqualTo(201);
        assertThat(same.json().path("topic").asString()).isEqualTo("eventing.sub.kept");
    }

    @Test
    void shouldKeepADeletedAppsKeptTopicFromAnAppRegisteredAgainUnderItsIdWhenTheAppIsDeleted() {
        api.post("/v1/apps", app("retiring", "", "\"PHI\""));
        api.post("/v1/subscriptions", """
                {"id": "retired-copies", "app": "retiring", "eventTypes": ["Claim.*.*"]}
                """);
        api.delete("/v1/subscriptions/retired-copies");

        Response deleted = api.delete("/v1/apps/retiring");
        api.post("/v1/apps", app("retiring", "", ""));
        Response again = api.post("/v1/subscriptions", """
                {"id": "retired-again", "app": "retiring", "eventTypes": ["Claim.*.*"],
                 "topic": "eventing.sub.retired-copies"}
                """);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.json().path("detail").asString())
                .isEqualTo("topic eventing.sub.retired-copies is kept for app (deleted) retiring (subscription"
                        + " retired-copies was deleted without it); choose another topic");
        assertThat(api.get("/v1/subscriptions/retired-again").status()).isEqualTo(404);
    }

    @Test
    void shouldAnswer409WhenTheTopicIsAnotherAppsLiveTopic() {
        api.post("/v1/apps", app("live-owner", "", ""));
        api.post("/v1/apps", app("live-taker", "", ""));
        api.post("/v1/subscriptions", """
                {"id": "live", "app": "live-owner", "eventTypes": ["Claim.*.*"]}
                """);

        Response r = api.post("/v1/subscriptions", """
                {"id": "live-taker", "app": "live-taker", "eventTypes": ["Claim.*.*"], "topic": "eventing.sub.live"}
                """);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("detail").asString())
                .isEqualTo("topic eventing.sub.live already belongs to subscription live");
    }

    @Test
    void shouldAnswer409WhenTheTopicExistsButThePlatformDidNotCreateItForTheApp() throws Exception {
        api.post("/v1/apps", app("squatter", "", ""));
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(
                            new NewTopic("billing.invoices", Optional.of(1), Optional.empty()),
                            new NewTopic("eventing.sub.made-elsewhere", Optional.of(1), Optional.empty()),
                            new NewTopic("eventing-router-registry-changelog", Optional.of(1), Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }

        Response foreign = api.post("/v1/subscriptions", """
                {"id": "invoices", "app": "squatter", "eventTypes": ["*.*.*"], "topic": "billing.invoices"}
                """);
        Response preexisting = api.post("/v1/subscriptions", """
                {"id": "made-elsewhere", "app": "squatter", "eventTypes": ["*.*.*"]}
                """);
        Response internal = api.post("/v1/subscriptions", """
                {"id": "internal", "app": "squatter", "eventTypes": ["*.*.*"],
                 "topic": "eventing-router-registry-changelog"}
                """);

        assertThat(foreign.status()).isEqualTo(409);
        assertThat(foreign.json().path("detail").asString())
                .isEqualTo("topic billing.invoices exists already and is not a topic this platform created for a"
                        + " subscription of app squatter; choose another topic");
        assertThat(preexisting.status()).isEqualTo(409);
        assertThat(internal.status()).isEqualTo(409);
        assertThat(api.get("/v1/subscriptions/made-elsewhere").status()).isEqualTo(404);
    }

    @Test
    void shouldAnswer409WhenTheNameCollidesWithAnExistingTopic() {
        api.post("/v1/apps", app("collider", "", ""));
        api.post("/v1/subscriptions", """
                {"id": "dotted.name", "app": "collider", "eventTypes": ["*.*.*"]}
                """);

        Response r = api.post("/v1/subscriptions", """
                {"id": "dotted_name", "app": "collider", "eventTypes": ["*.*.*"]}
                """);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("detail").asString())
                .startsWith("topic eventing.sub.dotted_name collides with an existing topic: ");
    }

    @Test
    void shouldAnswer422WhenTheTopicIsAPlatformOrKafkaTopic() {
        api.post("/v1/apps", app("platform-reader", "", ""));

        List<Integer> statuses = new ArrayList<>();
        for (String platformTopic : List.of(
                "eventing.firehose",
                "eventing.deadletter",
                "eventing.registry.apps",
                "eventing.registry.topic-owners",
                "_schemas",
                "__consumer_offsets")) {
            statuses.add(
                    api.post("/v1/subscriptions", """
                            {"id": "platform", "app": "platform-reader", "eventTypes": ["*.*.*"], "topic": "%s"}
                            """.formatted(platformTopic)).status());
        }

        assertThat(statuses).containsOnly(422);
        assertThat(api.get("/v1/subscriptions/platform").status()).isEqualTo(404);
    }

    @Test
    void shouldFreeTheTopicForAnyAppWhenItWasDeletedWithItsSubscription() {
        api.post("/v1/apps", app("leaver", "", ""));
        api.post("/v1/apps", app("newcomer", "", ""));
        api.post("/v1/subscriptions", """
                {"id": "freed", "app": "leaver", "eventTypes": ["Claim.*.*"]}
                """);

        Response deleted = api.delete("/v1/subscriptions/freed?deleteTopic=true");
        Response taken = api.post("/v1/subscriptions", """
                {"id": "freed-again", "app": "newcomer", "eventTypes": ["Claim.*.*"], "topic": "eventing.sub.freed"}
                """);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(taken.status()).as(taken.body()).isEqualTo(201);
    }

    @Test
    void shouldStillKeepAKeptTopicForItsAppWhenAdminApiRestarts() {
        api.post("/v1/apps", app("restart-owner", "", ""));
        api.post("/v1/apps", app("restart-taker", "", ""));
        api.post("/v1/subscriptions", """
                {"id": "restart-kept", "app": "restart-owner", "eventTypes": ["Claim.*.*"]}
                """);
        api.delete("/v1/subscriptions/restart-kept");

        api.restart();
        Response other = api.post("/v1/subscriptions", """
                {"id": "restart-taker", "app": "restart-taker", "eventTypes": ["Claim.*.*"],
                 "topic": "eventing.sub.restart-kept"}
                """);
        Response same = api.post("/v1/subscriptions", """
                {"id": "restart-kept", "app": "restart-owner", "eventTypes": ["Claim.*.*"]}
                """);

        assertThat(other.status()).isEqualTo(409);
        assertThat(same.status()).as(same.body()).isEqualTo(201);
    }

    // --- fixtures

    private static String eventType(String object, String sensitiveFields) {
        return """
                {"noun": "Guarded", "verb": "Submitted", "object": "%s", "owner": "claims-team",
                 "schema": {"type": "object"},
                 "sensitiveFields": %s}
                """.formatted(object, sensitiveFields);
    }

    private static List<String> pointers(JsonNode problem) {
        List<String> pointers = new ArrayList<>();
        problem.path("errors").forEach(e -> pointers.add(e.path("pointer").asString()));
        return pointers;
    }

    private static List<String> errors(JsonNode problem) {
        List<String> errors = new ArrayList<>();
        problem.path("errors")
                .forEach(e -> errors.add(
                        e.path("pointer").asString() + ": " + e.path("detail").asString()));
        return errors;
    }

    private static Set<String> topics() throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
