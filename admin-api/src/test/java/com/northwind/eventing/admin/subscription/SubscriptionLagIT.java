package com.northwind.eventing.admin.subscription;

import static com.northwind.eventing.admin.Fixtures.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.web.openapi.OpenApiDocument;
import com.northwind.eventing.web.testing.OpenApiSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.ObjectNode;

/**
 * The subscription lag gauges on the real admin-api and broker: per consumer group of a subscription's topic, what the
 * group has not committed (a partition it never committed counts whole), the subscription's largest, the group series
 * capped, and the rows of a deleted subscription gone; {@code GET /v1/subscriptions/{id}/lag} answering the last round
 * to the admin and the subscription's own app only.
 */
@ExtendWith(KafkaClusterExtension.class)
class SubscriptionLagIT {
    private static KafkaBroker kafka;
    private static AdminApiServer api;
    private static String readerToken;
    private static String otherToken;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        // Measured by the test, not by the schedule; two groups at most get series of their own.
        api = new AdminApiServer(
                        broker, "--eventing.subscriptions.lag.interval=0", "--eventing.subscriptions.lag.max-groups=2")
                .start();
        api.post("/v1/event-types", """
                {"noun": "Lagged", "verb": "Submitted", "object": "Claim", "owner": "claims-team",
                 "schema": {"type": "object"}}""");
        readerToken = api.post("/v1/apps", app("lag-reader", "", ""))
                .json()
                .path("token")
                .asString();
        otherToken = api.post("/v1/apps", app("lag-other", "", ""))
                .json()
                .path("token")
                .asString();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldGaugeEachGroupsUncommittedCopiesAndTheLargestWhenGroupsCommitPartOfTheTopic() throws Exception {
        // given: 10 copies on each of the two partitions of the subscription's topic
        assertThat(api.post("/v1/subscriptions", """
                        {"id": "lagged-claims", "app": "lag-reader", "eventTypes": ["Lagged.Submitted.Claim"]}""").status()).isEqualTo(201);
        String topic = "eventing.sub.lagged-claims";
        produce(topic, 0, 10);
        produce(topic, 1, 10);
        // group a: 4 left on partition 0, partition 1 never committed (10); b: 0 and 3; c: all read
        commit("lag-reader.a", Map.of(new TopicPartition(topic, 0), 6L));
        commit("lag-reader.b", Map.of(new TopicPartition(topic, 0), 10L, new TopicPartition(topic, 1), 7L));
        commit("lag-reader.c", Map.of(new TopicPartition(topic, 0), 10L, new TopicPartition(topic, 1), 10L));

        // when
        List<SubscriptionLag.Lag> lags =
                api.context().getBean(SubscriptionLag.class).refresh();

        // then: the other tests' subscriptions aside
        assertThat(lags)
                .filteredOn(l -> l.subscription().equals("lagged-claims"))
                .containsExactly(
                        new SubscriptionLag.Lag("lagged-claims", "lag-reader.a", 14),
                        new SubscriptionLag.Lag("lagged-claims", "lag-reader.b", 3),
                        new SubscriptionLag.Lag("lagged-claims", "lag-reader.c", 0));
        String scrape = api.getWithoutToken("/actuator/prometheus").body();
        assertThat(scrape)
                .contains(
                        "eventing_subscription_consumer_lag_records{group=\"lag-reader.a\",subscription=\"lagged-claims\"} 14.0")
                .contains(
                        "eventing_subscription_consumer_lag_records{group=\"lag-reader.b\",subscription=\"lagged-claims\"} 3.0")
                .doesNotContain("group=\"lag-reader.c\"")
                .contains("eventing_subscription_lag_records{subscription=\"lagged-claims\"} 14.0");
    }

    @Test
    void shouldDropTheRowsOfASubscriptionWhenItIsDeleted() throws Exception {
        // given
        api.post("/v1/subscriptions", """
                {"id": "lagged-gone", "app": "lag-reader", "eventTypes": ["Lagged.Submitted.Claim"]}""");
        produce("eventing.sub.lagged-gone", 0, 5);
        commit("lag-reader.gone", Map.of(new TopicPartition("eventing.sub.lagged-gone", 0), 1L));
        SubscriptionLag gauges = api.context().getBean(SubscriptionLag.class);
        gauges.refresh();
        assertThat(api.getWithoutToken("/actuator/prometheus").body())
                .contains("eventing_subscription_lag_records{subscription=\"lagged-gone\"} 4.0");

        // when
        assertThat(api.delete("/v1/subscriptions/lagged-gone").status()).isEqualTo(204);
        gauges.refresh();

        // then
        assertThat(api.getWithoutToken("/actuator/prometheus").body()).doesNotContain("subscription=\"lagged-gone\"");
    }

    @Test
    void shouldAnswerEachGroupsLagAndTheLargestOfAllWhenARoundHasMeasuredTheSubscription() throws Exception {
        // given: 10 copies on each of two partitions; three groups, two of them within max-groups
        assertThat(api.post("/v1/subscriptions", """
                        {"id": "lag-route", "app": "lag-reader", "eventTypes": ["Lagged.Submitted.Claim"]}""").status()).isEqualTo(201);
        String topic = "eventing.sub.lag-route";
        produce(topic, 0, 10);
        produce(topic, 1, 10);
        commit("lag-route.a", Map.of(new TopicPartition(topic, 0), 6L));
        commit("lag-route.b", Map.of(new TopicPartition(topic, 0), 10L, new TopicPartition(topic, 1), 7L));
        commit("lag-route.c", Map.of(new TopicPartition(topic, 0), 0L));
        Instant before = Instant.now();
        api.context().getBean(SubscriptionLag.class).refresh();
        Instant after = Instant.now();

        // when
        AdminApiServer.Response asAdmin = api.get("/v1/subscriptions/lag-route/lag");
        AdminApiServer.Response asOwner = as(readerToken, "/v1/subscriptions/lag-route/lag");

        // then
        assertThat(asAdmin.status()).isEqualTo(200);
        Instant measuredAt = Instant.parse(asAdmin.json().path("measuredAt").asString());
        assertThat(measuredAt).isBetween(before, after);
        ObjectNode body = (ObjectNode) asAdmin.json();
        body.remove("measuredAt");
        assertThat(body.toString())
                .isEqualTo("{\"subscription\":\"lag-route\",\"topic\":\"eventing.sub.lag-route\",\"measured\":true,"
                        + "\"groups\":[{\"group\":\"lag-route.a\",\"records\":14},"
                        + "{\"group\":\"lag-route.b\",\"records\":3}],\"groupsTruncated\":true,\"maxRecords\":20}");
        assertThat(asOwner.status()).isEqualTo(200);
        assertThat(asOwner.body()).isEqualTo(asAdmin.body());
        assertThat(OpenApiSpec.load(OpenApiDocument.ADMIN)
                        .answerViolations(
                                "GET",
                                "/v1/subscriptions/{id}/lag",
                                asAdmin.status(),
                                asAdmin.contentType(),
                                asAdmin.json()))
                .isEmpty();
    }

    @Test
    void shouldAnswerNoGroupsAndZeroWhenNoConsumerHasCommittedOnTheTopic() throws Exception {
        // given
        assertThat(api.post("/v1/subscriptions", """
                        {"id": "lag-idle", "app": "lag-reader", "eventTypes": ["Lagged.Submitted.Claim"]}""").status()).isEqualTo(201);
        produce("eventing.sub.lag-idle", 0, 3);
        api.context().getBean(SubscriptionLag.class).refresh();

        // when
        AdminApiServer.Response r = as(readerToken, "/v1/subscriptions/lag-idle/lag");

        // then
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("measured").asBoolean()).isTrue();
        assertThat(r.json().path("measuredAt").isNull()).isFalse();
        assertThat(r.json().path("groups").toString()).isEqualTo("[]");
        assertThat(r.json().path("groupsTruncated").asBoolean()).isFalse();
        assertThat(r.json().path("maxRecords").asLong()).isEqualTo(0L);
    }

    @Test
    void shouldAnswerNotFoundWhenAnotherAppAsksForTheLagOrTheSubscriptionDoesNotExist() throws Exception {
        // given
        assertThat(api.post("/v1/subscriptions", """
                        {"id": "lag-private", "app": "lag-reader", "eventTypes": ["Lagged.Submitted.Claim"]}""").status()).isEqualTo(201);
        produce("eventing.sub.lag-private", 0, 5);
        commit("lag-private.a", Map.of(new TopicPartition("eventing.sub.lag-private", 0), 1L));
        api.context().getBean(SubscriptionLag.class).refresh();

        // when
        AdminApiServer.Response other = as(otherToken, "/v1/subscriptions/lag-private/lag");
        AdminApiServer.Response absent = api.get("/v1/subscriptions/lag-absent/lag");

        // then
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().path("type").asString()).isEqualTo("urn:eventing:problem:not-found");
        assertThat(other.json().path("detail").asString()).isEqualTo("subscription lag-private does not exist");
        assertThat(other.body()).doesNotContain("lag-private.a");
        assertThat(absent.status()).isEqualTo(404);
        assertThat(absent.json().path("detail").asString()).isEqualTo("subscription lag-absent does not exist");
    }

    @Test
    void shouldAnswerNotMeasuredWhenMeasuringIsOff(KafkaBroker broker) throws Exception {
        // given: a server of its own whose lag is never measured (interval 0, no round called)
        try (AdminApiServer unmeasured =
                new AdminApiServer(broker, "--eventing.subscriptions.lag.interval=0").start()) {
            unmeasured.post("/v1/apps", app("lag-unmeasured", "", ""));
            assertThat(unmeasured.post("/v1/subscriptions", """
                            {"id": "lag-unmeasured", "app": "lag-unmeasured", "eventTypes": ["Lagged.Submitted.Claim"]}""").status()).isEqualTo(201);
            commit("lag-unmeasured.a", Map.of(new TopicPartition("eventing.sub.lag-unmeasured", 0), 0L));

            // when
            AdminApiServer.Response r = unmeasured.get("/v1/subscriptions/lag-unmeasured/lag");

            // then
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body())
                    .isEqualTo("{\"subscription\":\"lag-unmeasured\",\"topic\":\"eventing.sub.lag-unmeasured\","
                            + "\"measured\":false,\"measuredAt\":null,\"groups\":[],\"groupsTruncated\":false,"
                            + "\"maxRecords\":0}");
            assertThat(OpenApiSpec.load(OpenApiDocument.ADMIN)
                            .answerViolations(
                                    "GET", "/v1/subscriptions/{id}/lag", r.status(), r.contentType(), r.json()))
                    .isEmpty();
        }
    }

    private static AdminApiServer.Response as(String token, String path) {
        return api.send(api.request(path, false)
                .header("Authorization", "Bearer " + token)
                .GET());
    }

    private static void produce(String topic, int partition, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, new byte[] {1}))
                        .get();
            }
        }
    }

    private static void commit(String group, Map<TopicPartition, Long> offsets) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
            consumer.assign(offsets.keySet());
            Map<TopicPartition, OffsetAndMetadata> commits = new java.util.HashMap<>();
            offsets.forEach((p, o) -> commits.put(p, new OffsetAndMetadata(o)));
            consumer.commitSync(commits);
        }
    }
}
