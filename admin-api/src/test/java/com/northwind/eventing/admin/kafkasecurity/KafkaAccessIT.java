package com.northwind.eventing.admin.kafkasecurity;

import static com.northwind.eventing.admin.Fixtures.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import tools.jackson.databind.JsonNode;

/**
 * Per-app Kafka credentials on a broker with SASL/SCRAM and KRaft's authorizer, denying what no ACL allows: an app's
 * credentials read its own subscription topic with its own consumer groups, and nothing else.
 */
class KafkaAccessIT {
    private static SecureKafka kafka;
    private static AdminApiServer api;
    private static Map<String, Object> reader;

    @BeforeAll
    static void start() throws Exception {
        kafka = SecureKafka.start();
        // Approvals on: the admin still creates directly, an app's subscription waits for the admin.
        List<String> args = new ArrayList<>(
                List.of("--eventing.kafka.app-credentials.enabled=true", "--eventing.approvals.subscriptions=true"));
        kafka.superUserProperties().forEach((k, v) -> args.add("--eventing.kafka.properties." + k + "=" + v));
        api = new AdminApiServer(kafka::bootstrapServers, args.toArray(String[]::new)).start();
        kafka.createTopic("eventing.firehose");
        kafka.produce("eventing.firehose", "firehose-1");
        reader = login(created("reader"));
        subscribe("reader-claims", "reader");
        login(created("other"));
        subscribe("other-claims", "other");
        kafka.produce("eventing.sub.reader-claims", "copy-1");
        kafka.produce("eventing.sub.other-claims", "other-1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldReadItsSubscriptionTopicWhenUsingItsCredentialsAndAGroupUnderItsPrefix() {
        // given the app reader with subscription reader-claims (set up above)

        // when
        List<String> values = kafka.read(reader, "reader.claims-consumer", "eventing.sub.reader-claims");

        // then
        assertThat(values).containsExactly("copy-1");
    }

    @Test
    void shouldReadItsSubscriptionTopicWhenTheAdminApprovesTheAppsRequestForIt() throws Exception {
        // given
        JsonNode app = created("approved");
        Map<String, Object> login = login(app);
        Response requested = api.send(api.request("/v1/subscriptions", false)
                .header("Authorization", "Bearer " + app.path("token").asString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\": \"approved-claims\", \"app\": \"approved\", \"eventTypes\": [\"Claim.*.*\"]}")));
        assertThat(requested.status()).as(requested.body()).isEqualTo(202);
        assertThat(aclsOf("User:app-approved")).isEmpty();

        // when
        Response approved = api.post(requested.header("Location") + "/approve", "{}");
        kafka.produce("eventing.sub.approved-claims", "approved-1");

        // then
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        eventually(() -> assertThat(kafka.read(login, "approved.claims", "eventing.sub.approved-claims"))
                .containsExactly("approved-1"));
    }

    @Test
    void shouldAnswerTheCredentialsOnceWhenTheAppIsCreated() {
        // given
        Response created = api.post("/v1/apps", app("once", "", ""));

        // when
        Response read = api.get("/v1/apps/once");

        // then
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        JsonNode kafkaLogin = created.json().path("kafka");
        assertThat(kafkaLogin.path("username").asString()).isEqualTo("app-once");
        assertThat(kafkaLogin.path("mechanism").asString()).isEqualTo("SCRAM-SHA-512");
        assertThat(kafkaLogin.path("password").asString()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().has("kafka")).isFalse();
        assertThat(read.body()).doesNotContain(kafkaLogin.path("password").asString());
    }

    @Test
    void shouldGrantOnlyReadAndDescribeOnTheTopicAndReadOnItsGroupsWhenASubscriptionIsCreated() throws Exception {
        // given the app reader with subscription reader-claims (set up above)

        // when
        List<String> acls = aclsOf("User:app-reader");

        // then
        assertThat(acls)
                .containsExactlyInAnyOrder(
                        "TOPIC LITERAL eventing.sub.reader-claims READ ALLOW",
                        "TOPIC LITERAL eventing.sub.reader-claims DESCRIBE ALLOW",
                        "GROUP PREFIXED reader. READ ALLOW");
    }

    @Test
    void shouldRefuseTheFirehoseWhenAnAppReadsIt() {
        // given the app reader, which may read its own topic only

        // when
        Executable read = () -> kafka.read(reader, "reader.firehose", "eventing.firehose");

        // then
        assertThatThrownBy(read::execute)
                .isInstanceOf(TopicAuthorizationException.class)
                .hasMessageContaining("eventing.firehose");
    }

    @Test
    void shouldRefuseAnotherAppsSubscriptionTopicWhenAnAppReadsIt() {
        // given the app reader and the topic of app other's subscription

        // when
        Executable read = () -> kafka.read(reader, "reader.other", "eventing.sub.other-claims");

        // then
        assertThatThrownBy(read::execute)
                .isInstanceOf(TopicAuthorizationException.class)
                .hasMessageContaining("eventing.sub.other-claims");
    }

    @Test
    void shouldRefuseTheRegistryTopicsWhenAnAppReadsThem() {
        // given the registry topics admin-api keeps apps and subscriptions on

        // when
        Executable apps = () -> kafka.read(reader, "reader.registry", "eventing.registry.apps");
        Executable subscriptions = () -> kafka.read(reader, "reader.registry", "eventing.registry.subscriptions");

        // then
        assertThatThrownBy(apps::execute).isInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(subscriptions::execute).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void shouldRefuseTheGroupWhenItIsOutsideTheAppsPrefix() {
        // given groups of another app, of a name that only starts like the app's, and of no app

        // when
        Executable othersGroup = () -> kafka.read(reader, "other.claims", "eventing.sub.reader-claims");
        Executable lookalike = () -> kafka.read(reader, "reader-claims", "eventing.sub.reader-claims");
        Executable noPrefix = () -> kafka.read(reader, "analytics", "eventing.sub.reader-claims");

        // then
        assertThatThrownBy(othersGroup::execute).isInstanceOf(GroupAuthorizationException.class);
        assertThatThrownBy(lookalike::execute).isInstanceOf(GroupAuthorizationException.class);
        assertThatThrownBy(noPrefix::execute).isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void shouldFailAuthenticationWhenThePasswordIsForgedOrTheUserUnknown() {
        // given
        Map<String, Object> forged = kafka.scram("app-reader", "forged-password-0123456789abcdefghijklmnop");
        Map<String, Object> unknown = kafka.scram("app-nobody", "forged-password-0123456789abcdefghijklmnop");
        Map<String, Object> superUserOverScram = kafka.scram(SecureKafka.SUPER_USER, SecureKafka.SUPER_PASSWORD);

        // when
        Executable withForged = () -> kafka.read(forged, "reader.forged", "eventing.sub.reader-claims");
        Executable withUnknown = () -> kafka.read(unknown, "nobody.forged", "eventing.sub.reader-claims");
        Executable withSuperUser = () -> kafka.read(superUserOverScram, "x.forged", "eventing.sub.reader-claims");

        // then
        assertThatThrownBy(withForged::execute).isInstanceOf(SaslAuthenticationException.class);
        assertThatThrownBy(withUnknown::execute).isInstanceOf(SaslAuthenticationException.class);
        assertThatThrownBy(withSuperUser::execute).isInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void shouldMakeTheOldPasswordFailWhenTheCredentialsAreRotated() throws Exception {
        // given
        Map<String, Object> old = login(created("rotator"));
        subscribe("rotator-claims", "rotator");
        kafka.produce("eventing.sub.rotator-claims", "rotated-1");

        // when
        Response rotated = api.post("/v1/apps/rotator/kafka-credentials", "");

        // then
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.header("Cache-Control")).isEqualTo("no-store");
        Map<String, Object> fresh = login(rotated.json());
        assertThat(fresh.get("sasl.jaas.config")).isNotEqualTo(old.get("sasl.jaas.config"));
        eventually(() -> assertThatThrownBy(() -> kafka.read(old, "rotator.old", "eventing.sub.rotator-claims"))
                .isInstanceOf(SaslAuthenticationException.class));
        assertThat(kafka.read(fresh, "rotator.new", "eventing.sub.rotator-claims"))
                .containsExactly("rotated-1");
    }

    @Test
    void shouldRefuseTheTopicWhenTheSubscriptionIsDeleted() throws Exception {
        // given
        Map<String, Object> leaver = login(created("leaver"));
        subscribe("leaver-claims", "leaver");
        kafka.produce("eventing.sub.leaver-claims", "left-1");
        assertThat(kafka.read(leaver, "leaver.before", "eventing.sub.leaver-claims"))
                .containsExactly("left-1");

        // when
        Response deleted = api.delete("/v1/subscriptions/leaver-claims");

        // then
        assertThat(deleted.status()).isEqualTo(204);
        eventually(() -> assertThatThrownBy(() -> kafka.read(leaver, "leaver.after", "eventing.sub.leaver-claims"))
                .isInstanceOf(TopicAuthorizationException.class));
        assertThat(aclsOf("User:app-leaver")).isEmpty();
    }

    @Test
    void shouldKeepTheGroupAclWhenAnotherSubscriptionOfTheAppRemains() throws Exception {
        // given
        login(created("twice"));
        subscribe("twice-a", "twice");
        subscribe("twice-b", "twice");

        // when
        Response deleted = api.delete("/v1/subscriptions/twice-a");

        // then
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(aclsOf("User:app-twice"))
                .containsExactlyInAnyOrder(
                        "TOPIC LITERAL eventing.sub.twice-b READ ALLOW",
                        "TOPIC LITERAL eventing.sub.twice-b DESCRIBE ALLOW",
                        "GROUP PREFIXED twice. READ ALLOW");
    }

    @Test
    void shouldDeleteItsUserAndEveryAclWhenTheAppIsDeleted() throws Exception {
        // given
        Map<String, Object> gone = login(created("gone"));
        subscribe("gone-claims", "gone");
        Response refused = api.delete("/v1/apps/gone");
        api.delete("/v1/subscriptions/gone-claims");

        // when
        Response deleted = api.delete("/v1/apps/gone");

        // then
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("type").asString()).isEqualTo("urn:eventing:problem:conflict");
        assertThat(refused.json().path("detail").asString()).contains("gone-claims");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/v1/apps/gone").status()).isEqualTo(404);
        assertThat(aclsOf("User:app-gone")).isEmpty();
        try (Admin admin = kafka.superAdmin()) {
            assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("app-gone"))
                            .description("app-gone")
                            .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
        }
        eventually(() -> assertThatThrownBy(() -> kafka.read(gone, "gone.after", "eventing.sub.gone-claims"))
                .isInstanceOf(SaslAuthenticationException.class));
    }

    @Test
    void shouldAnswer404WhenRotatingTheCredentialsOfAnUnknownApp() {
        // given no app named ghost

        // when
        Response r = api.post("/v1/apps/ghost/kafka-credentials", "");

        // then
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:not-found");
    }

    private static JsonNode created(String appId) {
        Response r = api.post("/v1/apps", app(appId, "", ""));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static void subscribe(String id, String appId) {
        Response r = api.post("/v1/subscriptions", """
                {"id": "%s", "app": "%s", "eventTypes": ["Claim.*.*"]}
                """.formatted(id, appId));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static Map<String, Object> login(JsonNode answer) {
        JsonNode k = answer.path("kafka");
        return kafka.scram(k.path("username").asString(), k.path("password").asString());
    }

    private static List<String> aclsOf(String principal) throws Exception {
        try (Admin admin = kafka.superAdmin()) {
            return admin
                    .describeAcls(new AclBindingFilter(
                            ResourcePatternFilter.ANY,
                            new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY)))
                    .values()
                    .get(30, TimeUnit.SECONDS)
                    .stream()
                    .map(KafkaAccessIT::describe)
                    .toList();
        }
    }

    private static String describe(AclBinding b) {
        return b.pattern().resourceType() + " " + b.pattern().patternType() + " "
                + b.pattern().name() + " " + b.entry().operation() + " "
                + b.entry().permissionType();
    }

    /** ACL and credential changes reach the broker through the metadata log: a few milliseconds after the answer. */
    private static void eventually(Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
