package com.northwind.eventing.admin.subscription;

import static com.northwind.eventing.admin.Fixtures.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.net.http.HttpRequest;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A subscription topic's retention, from the request to the topic's {@code retention.ms} on the broker. */
@ExtendWith(KafkaClusterExtension.class)
class SubscriptionRetentionIT {
    private static KafkaBroker kafka;
    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        api = new AdminApiServer(broker).start();
        api.post("/v1/apps", app("retention-reader", "", ""));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldCreateTheTopicWithTheRetentionAskedForWhenGiven() throws Exception {
        Response created = api.post("/v1/subscriptions", subscription("keep-one-day", ", \"retentionMs\": 86400000"));

        Response read = api.get("/v1/subscriptions/keep-one-day");

        assertThat(created.status()).isEqualTo(201);
        assertThat(read.json().path("retentionMs").asLong()).isEqualTo(86_400_000L);
        assertThat(retentionMs("eventing.sub.keep-one-day")).isEqualTo(86_400_000L);
    }

    @Test
    void shouldKeepSevenDaysWhenNoRetentionIsGiven() throws Exception {
        Response created = api.post("/v1/subscriptions", subscription("keep-default", ""));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("retentionMs").asLong()).isEqualTo(604_800_000L);
        assertThat(retentionMs("eventing.sub.keep-default")).isEqualTo(604_800_000L);
    }

    @Test
    void shouldAnswer422AtRetentionAndCreateNothingWhenOutOfRange() throws Exception {
        Response r = api.post("/v1/subscriptions", subscription("keep-forever", ", \"retentionMs\": -1"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errors())
                .containsExactly(
                        "/retentionMs: retentionMs must be between 3600000 (1 hour) and 31536000000 (365 days)");
        assertThat(api.get("/v1/subscriptions/keep-forever").status()).isEqualTo(404);
        assertThat(topics()).doesNotContain("eventing.sub.keep-forever");
    }

    @Test
    void shouldSetTheTopicsRetentionWhenItIsChanged() throws Exception {
        api.post("/v1/subscriptions", subscription("keep-changed", ""));

        Response changed = patch("/v1/subscriptions/keep-changed", "{\"retentionMs\": 172800000}");
        Response read = api.get("/v1/subscriptions/keep-changed");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("retentionMs").asLong()).isEqualTo(172_800_000L);
        assertThat(read.json().path("retentionMs").asLong()).isEqualTo(172_800_000L);
        // The controller takes the change at once; the broker answering describeConfigs applies it a moment later.
        assertThat(retentionMsOnceSettled("eventing.sub.keep-changed", 172_800_000L))
                .isEqualTo(172_800_000L);
    }

    @Test
    void shouldRefuseAChangeAndKeepTheRetentionWhenTheChangeIsBad() throws Exception {
        api.post("/v1/subscriptions", subscription("keep-refused", ", \"retentionMs\": 86400000"));

        Response tooShort = patch("/v1/subscriptions/keep-refused", "{\"retentionMs\": 1000}");
        Response other = patch("/v1/subscriptions/keep-refused", "{\"partitions\": 9}");
        Response empty = patch("/v1/subscriptions/keep-refused", "{}");
        Response unknown = patch("/v1/subscriptions/keep-nothing", "{\"retentionMs\": 86400000}");

        assertThat(tooShort.status()).isEqualTo(422);
        assertThat(tooShort.errors())
                .containsExactly(
                        "/retentionMs: retentionMs must be between 3600000 (1 hour) and 31536000000 (365 days)");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.json().path("detail").asString()).startsWith("unknown member 'partitions'");
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.errors())
                .containsExactly("/retentionMs: retentionMs is required: the only member that may change");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(api.get("/v1/subscriptions/keep-refused")
                        .json()
                        .path("retentionMs")
                        .asLong())
                .isEqualTo(86_400_000L);
        assertThat(retentionMs("eventing.sub.keep-refused")).isEqualTo(86_400_000L);
    }

    @Test
    void shouldSetTheRetentionOfAKeptTopicWhenASubscriptionTakesItAgain() throws Exception {
        api.post("/v1/subscriptions", subscription("keep-kept", ""));
        api.delete("/v1/subscriptions/keep-kept");

        Response again = api.post("/v1/subscriptions", """
                {"id": "keep-kept-again", "app": "retention-reader", "eventTypes": ["Claim.*.*"],
                 "topic": "eventing.sub.keep-kept", "retentionMs": 7200000}
                """);

        assertThat(again.status()).isEqualTo(201);
        assertThat(retentionMs("eventing.sub.keep-kept")).isEqualTo(7_200_000L);
    }

    private static String subscription(String id, String more) {
        return """
                {"id": "%s", "app": "retention-reader", "eventTypes": ["Claim.*.*"]%s}
                """.formatted(id, more);
    }

    private static Response patch(String path, String json) {
        return api.send(api.request(path, true)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The topic's retention once it reads {@code expected}, or what it reads after 10 s. */
    private static long retentionMsOnceSettled(String topic, long expected) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long read = retentionMs(topic);
        while (read != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            read = retentionMs(topic);
        }
        return read;
    }

    private static long retentionMs(String topic) throws Exception {
        return Long.parseLong(kafka.topicConfig(topic, "retention.ms"));
    }

    private static Set<String> topics() throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
