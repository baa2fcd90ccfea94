package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jar with {@code --kafka-auth=scram}: the platform's own services run on their least ACLs (an event published
 * through the intake reaches a subscription through the router, and the aggregator's output of two events does too),
 * and an app's credentials from admin-api read its own subscription topic and are refused the firehose (reading and
 * writing), another app's topic and a group outside its prefix.
 */
class StandaloneKafkaAuthIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    @Test
    void shouldReadOnlyItsOwnSubscriptionTopicWhenAnAppUsesItsCredentialsOnTheScramPlatform() throws Exception {
        try (StandaloneProcess platform = new StandaloneProcess(dataDir, "--kafka-auth=scram")) {
            // given
            platform.start();
            String adminToken = platform.adminToken();
            String producerToken = register(platform, adminToken);
            Map<String, Object> reader = login(created(platform, adminToken, """
                    {"id": "scram-reader", "team": "bi", "read": []}
                    """));
            created(platform, adminToken, """
                    {"id": "scram-other", "team": "bi", "read": []}
                    """);
            subscribe(platform, adminToken, "scram-reader-claims", "scram-reader");
            subscribe(platform, adminToken, "scram-other-claims", "scram-other");

            // when
            String copy = awaitCopy(platform, producerToken, reader, "scram-reader.claims");

            // then
            assertThat(copy)
                    .contains("\"claimId\": \"C-probe\"", "***REDACTED***")
                    .doesNotContain("123-45-6789");
            assertThatThrownBy(() -> readOnce(reader, "scram-reader.firehose", "eventing.firehose"))
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> readOnce(reader, "scram-reader.other", "eventing.sub.scram-other-claims"))
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> readOnce(reader, "scram-reader.registry", "eventing.registry.apps"))
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> readOnce(reader, "scram-other.claims", "eventing.sub.scram-reader-claims"))
                    .isInstanceOf(GroupAuthorizationException.class);
            assertThatThrownBy(() -> writeOnce(reader, "eventing.firehose"))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            // The aggregator, in the router's process on the router's principal, completes C-probe.
            HttpResponse<String> priced = platform.post(platform.intake() + "/v1/events", producerToken, """
                    {"noun": "Claim", "verb": "Priced", "object": "Scram", "metadata": {"transactionId": "tx-priced"},
                     "body": {"claimId": "C-probe", "amount": 10}}
                    """);
            assertThat(priced.statusCode()).as(priced.body()).isEqualTo(202);
            assertThat(awaitRecord(reader, "scram-reader.completed", "Claim.Completed.Scram"))
                    .contains("eventing-aggregator", "***REDACTED***")
                    .doesNotContain("123-45-6789");
            assertThat(Files.readString(Path.of("target/standalone-it.log")))
                    .contains("SASL_PLAINTEXT SCRAM-SHA-512")
                    .doesNotContain(
                            JSON.readTree(reader.get("password").toString()).asString());
            platform.shutDown();
        }
    }

    /**
     * Registers an event type with a PHI field, a second one, a rule that combines them into a third, and a producer
     * app; answers the producer's token.
     */
    private static String register(StandaloneProcess platform, String adminToken) throws Exception {
        for (String type : List.of("""
                {"noun": "Claim", "verb": "Submitted", "object": "Scram", "owner": "claims",
                 "schema": {"type": "object", "required": ["claimId"],
                            "properties": {"claimId": {"type": "string"},
                                           "member": {"type": "object", "properties": {"ssn": {"type": "string"}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}],
                 "example": {"claimId": "C-1", "member": {"ssn": "000-00-0000"}}}
                """, """
                {"noun": "Claim", "verb": "Priced", "object": "Scram", "owner": "claims",
                 "schema": {"type": "object", "required": ["claimId"], "properties": {"claimId": {"type": "string"}}},
                 "example": {"claimId": "C-1", "amount": 10}}
                """, """
                {"noun": "Claim", "verb": "Completed", "object": "Scram", "owner": "claims",
                 "schema": {"type": "object", "required": ["key", "events"]},
                 "sensitiveFields": [{"path": "/events/Claim.Submitted.Scram/member/ssn", "classification": "PHI"}]}
                """)) {
            HttpResponse<String> r = platform.post(platform.admin() + "/v1/event-types", adminToken, type);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        HttpResponse<String> rule = platform.post(platform.admin() + "/v1/aggregations", adminToken, """
                {"id": "scram-complete", "kind": "combine", "window": "PT1H", "output": "Claim.Completed.Scram",
                 "inputs": [{"eventType": "Claim.Submitted.Scram", "key": "/claimId"},
                            {"eventType": "Claim.Priced.Scram", "key": "/claimId"}]}
                """);
        assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
        return created(platform, adminToken, """
                        {"id": "scram-producer", "team": "claims", "publish": ["Claim.*.*"]}
                        """).get("token").asString();
    }

    private static JsonNode created(StandaloneProcess platform, String adminToken, String app) throws Exception {
        HttpResponse<String> r = platform.post(platform.admin() + "/v1/apps", adminToken, app);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    private static void subscribe(StandaloneProcess platform, String adminToken, String id, String app)
            throws Exception {
        HttpResponse<String> r =
                platform.post(platform.admin() + "/v1/subscriptions", adminToken, """
                {"id": "%s", "app": "%s", "eventTypes": ["Claim.*.Scram"]}
                """.formatted(id, app));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** The app's SCRAM login as a Java client takes it; the password also kept as JSON, to look for it in the log. */
    private static Map<String, Object> login(JsonNode answer) {
        JsonNode k = answer.path("kafka");
        assertThat(k.path("mechanism").asString()).isEqualTo("SCRAM-SHA-512");
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        p.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + k.path("username").asString() + "\" password=\""
                        + k.path("password").asString() + "\";");
        p.put("password", k.path("password").toString());
        return p;
    }

    /**
     * Publishes probe events through the intake until the router's copy of one reaches the reader's topic, read with
     * the reader's own credentials: the intake, the router and the app each on their own Kafka user.
     */
    private static String awaitCopy(
            StandaloneProcess platform, String producerToken, Map<String, Object> login, String group)
            throws Exception {
        try (KafkaConsumer<String, String> consumer = consumer(platform, login, group)) {
            consumer.subscribe(Set.of("eventing.sub.scram-reader-claims"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<String> published = platform.post(platform.intake() + "/v1/events", producerToken, """
                        {"noun": "Claim", "verb": "Submitted", "object": "Scram",
                         "metadata": {"transactionId": "tx-probe"},
                         "body": {"claimId": "C-probe", "member": {"ssn": "123-45-6789"}}}
                        """);
                // 401 and 403 until the intake has read the producer app.
                assertThat(published.statusCode()).as(published.body()).isIn(202, 401, 403);
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(2));
                if (!records.isEmpty()) {
                    return records.iterator().next().value();
                }
            }
        }
        throw new AssertionError("no copy reached eventing.sub.scram-reader-claims within " + WAIT);
    }

    /** The first record on the reader's subscription topic that holds the text, read with the reader's login. */
    private static String awaitRecord(Map<String, Object> login, String group, String text) {
        try (KafkaConsumer<String, String> consumer = consumer(null, login, group)) {
            consumer.subscribe(Set.of("eventing.sub.scram-reader-claims"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (r.value().contains(text)) {
                        return r.value();
                    }
                }
            }
        }
        throw new AssertionError(
                "no record holding " + text + " reached eventing.sub.scram-reader-claims within " + WAIT);
    }

    private static void writeOnce(Map<String, Object> login, String topic) throws Exception {
        Map<String, Object> p = new HashMap<>(login);
        p.remove("password");
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "forged", "{}")).get(30, TimeUnit.SECONDS);
        }
    }

    private static void readOnce(Map<String, Object> login, String group, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(null, login, group)) {
            consumer.subscribe(Set.of(topic));
            for (int i = 0; i < 20; i++) {
                consumer.poll(Duration.ofMillis(500));
            }
        }
    }

    private static String bootstrap;

    private static KafkaConsumer<String, String> consumer(
            StandaloneProcess platform, Map<String, Object> login, String group) {
        if (platform != null) {
            bootstrap = platform.bootstrapServers();
        }
        Map<String, Object> p = new HashMap<>(login);
        p.remove("password");
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
