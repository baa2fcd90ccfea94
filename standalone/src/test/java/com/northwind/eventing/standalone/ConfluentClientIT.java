package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform as a Confluent consumer sees it: an event published to the standalone jar is read, from the firehose and
 * from two subscription topics, by Confluent's own Avro deserializer (its JavaScript client; see
 * {@link ConfluentJsClient}), which finds each record's schema by id in the embedded registry. Every field is as sent;
 * the app cleared for PHI reads the member's SSN, the other reads it redacted.
 */
class ConfluentClientIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SSN = "123-45-6789";
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String BODY = "{\"claimId\": \"C-1\", \"status\": \"NEW\", \"amount\": 125.10,"
            + " \"member\": {\"ssn\": \"" + SSN + "\", \"name\": \"Zoë Ñúñez 健\"}}";

    @TempDir
    Path dataDir;

    @Test
    void shouldBeReadByConfluentsDeserializerFromFirehoseAndSubscriptionTopics() throws Exception {
        ConfluentJsClient.install();
        try (StandaloneProcess platform = new StandaloneProcess(dataDir)) {
            platform.start();
            String admin = platform.admin();
            String token = platform.adminToken();
            assertThat(platform.post(admin + "/v1/event-types", token, """
                                    {"noun": "Claim", "verb": "Submitted", "object": "Reconsideration",
                                     "owner": "claims",
                                     "schema": {"type": "object", "required": ["claimId"]},
                                     "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                                    """).statusCode())
                    .isEqualTo(201);
            String appToken = JSON.readTree(
                            platform.post(admin + "/v1/apps", token, """
                                    {"id": "claims-portal", "team": "claims", "publish": ["Claim.*.*"],
                                     "read": ["PHI"]}
                                    """).body())
                    .get("token")
                    .asString();
            assertThat(platform.post(admin + "/v1/apps", token, """
                                    {"id": "analytics", "team": "bi", "read": []}
                                    """).statusCode())
                    .isEqualTo(201);
            String clearedTopic = subscribe(platform, token, "portal-claims", "claims-portal");
            String plainTopic = subscribe(platform, token, "analytics-claims", "analytics");

            Instant before = Instant.now();
            var published = platform.post(platform.intake() + "/v1/events", appToken, """
                    {"noun": "Claim", "verb": "Submitted", "object": "Reconsideration", "subObject": "Appeal",
                     "key": "member-42",
                     "metadata": {"transactionId": "tx-1001", "userId": "u-7",
                                  "timestamp": "2026-11-22T10:15:30.123Z", "transactionType": "ONLINE",
                                  "sourceSystem": "portal"},
                     "tags": ["state:TX", "channel:web"], "synthetic": false,
                     "body": %s}
                    """.formatted(BODY), TRACEPARENT);
            Instant after = Instant.now();
            assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
            JsonNode receipt = JSON.readTree(published.body());
            String eventId = receipt.get("eventId").asString();

            ConsumerRecord<byte[], byte[]> firehose = firstRecord(
                    platform.bootstrapServers(),
                    new TopicPartition(
                            "eventing.firehose", receipt.get("partition").asInt()),
                    receipt.get("offset").asLong());
            ConsumerRecord<byte[], byte[]> cleared = firstRecord(platform.bootstrapServers(), clearedTopic);
            ConsumerRecord<byte[], byte[]> plain = firstRecord(platform.bootstrapServers(), plainTopic);
            List<JsonNode> read = ConfluentJsClient.read(
                    admin,
                    List.of(
                            new ConfluentJsClient.Value(firehose.topic(), firehose.value()),
                            new ConfluentJsClient.Value(cleared.topic(), cleared.value()),
                            new ConfluentJsClient.Value(plain.topic(), plain.value())));

            JsonNode event = read.get(0);
            assertThat(event.get("eventId").asString()).isEqualTo(eventId);
            assertThat(event.get("noun").asString()).isEqualTo("Claim");
            assertThat(event.get("verb").asString()).isEqualTo("Submitted");
            assertThat(event.get("object").asString()).isEqualTo("Reconsideration");
            assertThat(event.get("subObject").asString()).isEqualTo("Appeal");
            assertThat(event.get("eventType").asString()).isEqualTo("Claim.Submitted.Reconsideration");
            JsonNode metadata = event.get("metadata");
            assertThat(metadata.get("transactionId").asString()).isEqualTo("tx-1001");
            assertThat(metadata.get("userId").asString()).isEqualTo("u-7");
            assertThat(metadata.get("occurredAt").asLong())
                    .isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z").toEpochMilli());
            assertThat(metadata.get("receivedAt").asLong())
                    .isBetween(before.toEpochMilli() - 1, after.toEpochMilli() + 1);
            assertThat(metadata.get("transactionType").asString()).isEqualTo("ONLINE");
            assertThat(metadata.get("sourceSystem").asString()).isEqualTo("portal");
            assertThat(metadata.get("producerApp").asString()).isEqualTo("claims-portal");
            assertThat(texts(event.get("tags"))).containsExactly("state:TX", "channel:web");
            assertThat(event.get("synthetic").asBoolean()).isFalse();
            assertThat(JSON.readTree(event.get("body").asString())).isEqualTo(JSON.readTree(BODY));
            assertThat(event.get("bodySchemaVersion").asInt()).isEqualTo(1);
            assertThat(texts(event.get("redactedPaths"))).isEmpty();
            assertThat(new String(firehose.key(), StandardCharsets.UTF_8)).isEqualTo("member-42");
            assertThat(new String(firehose.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                    .isEqualTo(TRACEPARENT);

            JsonNode forCleared = read.get(1);
            assertThat(forCleared.get("eventId").asString()).isEqualTo(eventId);
            assertThat(JSON.readTree(forCleared.get("body").asString())).isEqualTo(JSON.readTree(BODY));
            assertThat(texts(forCleared.get("redactedPaths"))).isEmpty();

            JsonNode forPlain = read.get(2);
            assertThat(forPlain.get("eventId").asString()).isEqualTo(eventId);
            assertThat(forPlain.get("metadata")).isEqualTo(metadata);
            JsonNode redacted = JSON.readTree(forPlain.get("body").asString());
            assertThat(redacted.at("/member/ssn").asString()).isEqualTo("***REDACTED***");
            assertThat(redacted.at("/member/name").asString()).isEqualTo("Zoë Ñúñez 健");
            assertThat(redacted.get("amount").decimalValue()).isEqualByComparingTo("125.10");
            assertThat(texts(forPlain.get("redactedPaths"))).containsExactly("/member/ssn");
            assertThat(new String(plain.value(), StandardCharsets.UTF_8)).doesNotContain(SSN);
            assertThat(platform.stop()).isIn(0, 143);
        }
    }

    private static String subscribe(StandaloneProcess platform, String token, String id, String app) throws Exception {
        var r = platform.post(platform.admin() + "/v1/subscriptions", token, """
                {"id": "%s", "app": "%s", "eventTypes": ["Claim.Submitted.*"]}
                """.formatted(id, app));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("topic").asString();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    /** The record at an offset, read_committed. */
    private static ConsumerRecord<byte[], byte[]> firstRecord(String bootstrap, TopicPartition tp, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            return poll(consumer, tp.topic());
        }
    }

    /** The first committed record of a topic: the router writes it once the event is routed. */
    private static ConsumerRecord<byte[], byte[]> firstRecord(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return poll(consumer, topic);
        }
    }

    private static ConsumerRecord<byte[], byte[]> poll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                return r;
            }
        }
        throw new AssertionError("nothing on " + topic + " within 60 s");
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
