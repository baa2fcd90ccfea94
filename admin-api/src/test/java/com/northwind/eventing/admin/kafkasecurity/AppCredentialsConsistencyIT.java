package com.northwind.eventing.admin.kafkasecurity;

import static com.northwind.eventing.admin.Fixtures.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka refusing the ACL calls (the shared test broker has no authorizer, so every ACL call fails): the registry and
 * Kafka's ACLs still agree, and no answer says that something changed which did not. And Kafka credentials off.
 */
@ExtendWith(KafkaClusterExtension.class)
class AppCredentialsConsistencyIT {
    private static AdminApiServer on;
    private static AdminApiServer off;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        on = new AdminApiServer(kafka, "--eventing.kafka.app-credentials.enabled=true").start();
        off = new AdminApiServer(kafka).start();
    }

    @AfterAll
    static void stop() {
        on.close();
        off.close();
    }

    @Test
    void shouldNotRecordTheSubscriptionWhenItsGrantFails() {
        // given
        assertThat(on.post("/v1/apps", app("consistent-grant", "", "")).status())
                .isEqualTo(201);

        // when
        Response r = on.post("/v1/subscriptions", """
                {"id": "consistent-grant-sub", "app": "consistent-grant", "eventTypes": ["Claim.*.*"]}
                """);

        // then
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:unavailable");
        assertThat(r.json().path("detail").asString())
                .startsWith(
                        "Kafka did not grant User:app-consistent-grant read access to eventing.sub.consistent-grant-sub");
        assertThat(on.get("/v1/subscriptions/consistent-grant-sub").status()).isEqualTo(404);
    }

    @Test
    void shouldKeepTheSubscriptionWhenItsRevocationFails() throws Exception {
        // given a subscription recorded while Kafka credentials were off
        off.post("/v1/apps", app("consistent-revoke", "", ""));
        assertThat(off.post("/v1/subscriptions", """
                                {"id": "consistent-revoke-sub", "app": "consistent-revoke", "eventTypes": ["Claim.*.*"]}
                                """).status()).isEqualTo(201);
        awaitSeenBy(on, "/v1/subscriptions/consistent-revoke-sub");

        // when
        Response r = on.delete("/v1/subscriptions/consistent-revoke-sub");

        // then
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:unavailable");
        assertThat(on.get("/v1/subscriptions/consistent-revoke-sub").status()).isEqualTo(200);
        assertThat(off.get("/v1/subscriptions/consistent-revoke-sub").status()).isEqualTo(200);
    }

    @Test
    void shouldKeepTheAppWhenRevokingItsAclsFails() throws Exception {
        // given
        off.post("/v1/apps", app("consistent-app", "", ""));
        awaitSeenBy(on, "/v1/apps/consistent-app");

        // when
        Response r = on.delete("/v1/apps/consistent-app");

        // then
        assertThat(r.status()).isEqualTo(503);
        assertThat(on.get("/v1/apps/consistent-app").status()).isEqualTo(200);
    }

    @Test
    void shouldAnswerNoKafkaMemberAndRefuseRotationWhenCredentialsAreOff() {
        // given
        Response created = off.post("/v1/apps", app("no-kafka", "", ""));

        // when
        Response rotate = off.post("/v1/apps/no-kafka/kafka-credentials", "");

        // then
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().has("kafka")).isFalse();
        assertThat(rotate.status()).isEqualTo(409);
        assertThat(rotate.contentType()).startsWith("application/problem+json");
        assertThat(rotate.json().path("type").asString()).isEqualTo("urn:eventing:problem:conflict");
        assertThat(rotate.json().path("detail").asString())
                .isEqualTo("Kafka credentials are off on this platform (eventing.kafka.app-credentials.enabled=false):"
                        + " apps reach Kafka as the platform configures");
    }

    @Test
    void shouldDeleteTheAppWhenCredentialsAreOffAndItHasNoSubscription() {
        // given
        off.post("/v1/apps", app("deleted-plain", "", ""));

        // when
        Response r = off.delete("/v1/apps/deleted-plain");

        // then
        assertThat(r.status()).isEqualTo(204);
        assertThat(off.get("/v1/apps/deleted-plain").status()).isEqualTo(404);
    }

    /** Two admin-api instances share the registry topics; each reads the other's writes within moments. */
    private static void awaitSeenBy(AdminApiServer api, String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (api.get(path).status() != 200) {
            assertThat(System.nanoTime()).as("%s seen in time", path).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
