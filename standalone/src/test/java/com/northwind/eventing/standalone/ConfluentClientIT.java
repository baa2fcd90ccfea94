package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.common.serde.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
    static Path dataDir;

    private static StandaloneProcess platform;
    private static String admin;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        ConfluentJsClient.install();
        platform = new StandaloneProcess(dataDir);
        platform.start();
        admin = platform.admin();
        token = platform.adminToken();
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.shutDown();
        }
    }

    @Test
    void shouldBeReadByConfluentsDeserializerFromFirehoseAndSubscriptionTopics() throws Exception {
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
                                """).statusCode()).isEqualTo(201);
        String clearedTopic = subscribe("portal-claims", "claims-portal", "Claim.Submitted.*", "");
        String plainTopic = subscribe("analytics-claims", "analytics", "Claim.Submitted.*", "");
        // A 201 means the registry holds the subscription; the router and the intake follow the registry topics, so
        // probes go until both copies of one arrive.
        awaitRouted(appToken, """
                {"noun": "Claim", "verb": "Submitted", "object": "Reconsideration", "key": "probe",
                 "metadata": {"transactionId": "probe"}, "body": {"claimId": "probe"}}
                """, List.of(clearedTopic, plainTopic));

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

        ConsumerRecord<byte[], byte[]> firehose = recordAt(
                platform.bootstrapServers(),
                new TopicPartition("eventing.firehose", receipt.get("partition").asInt()),
                receipt.get("offset").asLong());
        ConsumerRecord<byte[], byte[]> cleared = recordOf(platform.bootstrapServers(), clearedTopic, eventId);
        ConsumerRecord<byte[], byte[]> plain = recordOf(platform.bootstrapServers(), plainTopic, eventId);
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
        assertThat(metadata.get("receivedAt").asLong()).isBetween(before.toEpochMilli() - 1, after.toEpochMilli() + 1);
        assertThat(metadata.get("transactionType").asString()).isEqualTo("ONLINE");
        assertThat(metadata.get("sourceSystem").asString()).isEqualTo("portal");
        assertThat(metadata.get("producerApp").asString()).isEqualTo("claims-portal");
        assertThat(texts(event.get("tags"))).containsExactly("state:TX", "channel:web");
        assertThat(event.get("synthetic").asBoolean()).isFalse();
        // The body's text exactly as sent, spacing and decimals included.
        assertThat(event.get("body").asString()).isEqualTo(BODY);
        assertThat(event.get("bodySchemaVersion").asInt()).isEqualTo(1);
        assertThat(texts(event.get("redactedPaths"))).isEmpty();
        assertThat(new String(firehose.key(), StandardCharsets.UTF_8)).isEqualTo("member-42");
        assertThat(new String(firehose.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .isEqualTo(TRACEPARENT);

        JsonNode forCleared = read.get(1);
        assertThat(forCleared.get("eventId").asString()).isEqualTo(eventId);
        assertThat(forCleared.get("body").asString()).isEqualTo(BODY);
        assertThat(texts(forCleared.get("redactedPaths"))).isEmpty();

        JsonNode forPlain = read.get(2);
        assertThat(forPlain.get("eventId").asString()).isEqualTo(eventId);
        assertThat(forPlain.get("metadata")).isEqualTo(metadata);
        JsonNode redacted = JSON.readTree(forPlain.get("body").asString());
        assertThat(redacted.at("/member/ssn").asString()).isEqualTo("***REDACTED***");
        assertThat(redacted.at("/member/name").asString()).isEqualTo("Zoë Ñúñez 健");
        assertThat(forPlain.get("body").asString()).contains("125.10");
        assertThat(texts(forPlain.get("redactedPaths"))).containsExactly("/member/ssn");
        assertThat(new String(plain.value(), StandardCharsets.UTF_8)).doesNotContain(SSN);
    }

    /**
     * On the standalone jar: synthetic events reach only the INCLUDE and ONLY subscriptions, tag and content filters
     * select as specified, and a subscription made while the platform runs receives the next event. Every topic is read to its committed end with Confluent's deserializer, so a copy too many fails too.
     */
    @Test
    void shouldSelectBySyntheticPolicyTagsAndContentAndDeliverToSubscriptionMadeWhileRunning() throws Exception {
        assertThat(platform.post(admin + "/v1/event-types", token, """
                                {"noun": "Claim", "verb": "Adjudicated", "object": "Line", "owner": "claims",
                                 "schema": {"type": "object", "required": ["status", "amount"]}}
                                """).statusCode())
                .isEqualTo(201);
        String producer = JSON.readTree(
                        platform.post(admin + "/v1/apps", token, """
                                {"id": "adjudication", "team": "claims", "publish": ["Claim.Adjudicated.*"]}
                                """).body())
                .get("token")
                .asString();
        assertThat(platform.post(admin + "/v1/apps", token, """
                                {"id": "selector", "team": "bi", "read": []}
                                """).statusCode()).isEqualTo(201);
        String types = "Claim.Adjudicated.*";
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("default", subscribe("sel-default", "selector", types, ""));
        topics.put("include", subscribe("sel-include", "selector", types, ", \"synthetic\": \"INCLUDE\""));
        topics.put("only", subscribe("sel-only", "selector", types, ", \"synthetic\": \"ONLY\""));
        topics.put(
                "tags",
                subscribe(
                        "sel-tags",
                        "selector",
                        types,
                        ", \"tags\": {\"allOf\": [\"state:TX\"], \"noneOf\": [\"channel:fax\"]}"));
        topics.put(
                "content",
                subscribe(
                        "sel-content",
                        "selector",
                        types,
                        ", \"filter\": {\"/status\": [\"APPROVED\", {\"prefix\": \"DEN\"}],"
                                + " \"/amount\": [{\"numeric\": [\">\", 100]}]}"));
        // The registry's subscriptions are one partition, read in order: once the router routes to the subscription
        // made last, it has every one made before it.
        String canary = subscribe("sel-canary", "selector", types, "");
        awaitRouted(producer, probe(), List.of(canary));

        // One key, so one partition: the router handles them in this order.
        publish(producer, "real-tx-approved", false, "[\"state:TX\"]", "APPROVED", 150);
        publish(producer, "synthetic-tx-approved", true, "[\"state:TX\"]", "APPROVED", 150);
        publish(producer, "real-tx-fax-denied-small", false, "[\"state:TX\", \"channel:fax\"]", "DENIED", 50);
        publish(producer, "real-ca-denied-large", false, "[\"state:CA\"]", "DENIED_IN_PART", 500);
        publish(producer, "real-tx-pending", false, "[\"state:TX\"]", "PENDING", 900);
        // Made while everything runs; the next event is its first.
        topics.put("late", subscribe("sel-late", "selector", types, ""));
        awaitRouted(producer, probe(), List.of(topics.get("late")));
        String last = publish(producer, "after-late-subscription", false, "[]", "APPROVED", 1);

        // Under exactly-once, the last event's copy being committed means every copy before it is, on every topic.
        recordOf(platform.bootstrapServers(), topics.get("late"), last);
        Map<String, List<String>> received = new LinkedHashMap<>();
        for (var t : topics.entrySet()) {
            List<ConfluentJsClient.Value> values = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : committed(platform.bootstrapServers(), t.getValue())) {
                values.add(new ConfluentJsClient.Value(r.topic(), r.value()));
            }
            List<String> ids = new ArrayList<>();
            if (!values.isEmpty()) {
                for (JsonNode e : ConfluentJsClient.read(admin, values)) {
                    if (e.get("metadata").get("transactionId").asString().startsWith("probe-")) {
                        continue;
                    }
                    ids.add(e.get("metadata").get("transactionId").asString()
                            + (e.get("synthetic").asBoolean() ? " (synthetic)" : ""));
                }
            }
            received.put(t.getKey(), ids);
        }

        // A subscription applies from the next event the router handles once it has read it: the next event
        // published, and any published just before that the router had not handled yet.
        List<String> late = received.remove("late");
        assertThat(late).endsWith("after-late-subscription");
        assertThat(received.get("default")).endsWith(late.toArray(String[]::new));
        assertThat(received)
                .containsExactly(
                        entry(
                                "default",
                                List.of(
                                        "real-tx-approved",
                                        "real-tx-fax-denied-small",
                                        "real-ca-denied-large",
                                        "real-tx-pending",
                                        "after-late-subscription")),
                        entry(
                                "include",
                                List.of(
                                        "real-tx-approved",
                                        "synthetic-tx-approved (synthetic)",
                                        "real-tx-fax-denied-small",
                                        "real-ca-denied-large",
                                        "real-tx-pending",
                                        "after-late-subscription")),
                        entry("only", List.of("synthetic-tx-approved (synthetic)")),
                        entry("tags", List.of("real-tx-approved", "real-tx-pending")),
                        entry("content", List.of("real-tx-approved", "real-ca-denied-large")));
    }

    /** Publishes an event; answers its id. */
    private static String publish(
            String appToken, String transactionId, boolean synthetic, String tags, String status, int amount)
            throws Exception {
        var r = platform.post(platform.intake() + "/v1/events", appToken, """
                {"noun": "Claim", "verb": "Adjudicated", "object": "Line", "key": "member-7",
                 "metadata": {"transactionId": "%s"}, "tags": %s, "synthetic": %s,
                 "body": {"status": "%s", "amount": %d}}
                """.formatted(
                        transactionId, tags, synthetic, status, amount));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("eventId").asString();
    }

    private static int probes;

    /** A real event every selector subscription without a filter takes; the assertions leave probes out. */
    private static String probe() {
        return """
                {"noun": "Claim", "verb": "Adjudicated", "object": "Line", "key": "member-7",
                 "metadata": {"transactionId": "probe-%d"}, "tags": [], "body": {"status": "PROBE", "amount": 0}}
                """.formatted(++probes);
    }

    /**
     * Publishes {@code event} until the router has written a copy of one to every topic: a new subscription, app or
     * token is in the registry when admin-api answers, and the intake and the router follow the registry topics.
     * Until the intake has the app, it answers 401, and the probe is sent again.
     */
    private static void awaitRouted(String appToken, String event, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            var r = platform.post(platform.intake() + "/v1/events", appToken, event);
            assertThat(r.statusCode()).as(r.body()).isIn(202, 401);
            boolean everywhere = true;
            for (String topic : topics) {
                everywhere &= !committed(platform.bootstrapServers(), topic).isEmpty();
            }
            if (everywhere) {
                return;
            }
            assertThat(System.nanoTime()).as("a probe routed to %s", topics).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** The committed copy of one event on a topic, found by its {@code eventing-event-id} header. */
    private static ConsumerRecord<byte[], byte[]> recordOf(String bootstrap, String topic, String eventId) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            fromTheStart(consumer, topic);
            return poll(consumer, "event " + eventId + " on " + topic, r -> {
                var id = r.headers().lastHeader("eventing-event-id");
                return id != null && new String(id.value(), StandardCharsets.UTF_8).equals(eventId);
            });
        }
    }

    /** Every committed record of a topic, partition by partition, up to its end as read_committed sees it. */
    private static List<ConsumerRecord<byte[], byte[]>> committed(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = fromTheStart(consumer, topic);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("reading %s to its end", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /**
     * The other way round: Confluent's client registers a schema in the embedded registry and Confluent's serializer
     * writes with it; the registry lists it, and the project's own deserializer reads every field back through it.
     */
    @Test
    void shouldReadWhatConfluentsSerializerWroteThroughTheEmbeddedRegistry() throws Exception {
        String schema = """
                {"type": "record", "name": "Ping", "namespace": "com.example", "fields": [
                  {"name": "n", "type": "long"},
                  {"name": "s", "type": "string"},
                  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "maybe", "type": ["null", "string"], "default": null}]}
                """;
        // Registry writes need a credential: the admin token, as Confluent's client sends USER_INFO.
        ConfluentJsClient.Written written = ConfluentJsClient.write(
                admin,
                "admin:" + token,
                "interop",
                schema,
                List.of(
                        "{\"n\": 4000000000123, \"s\": \"Zoë 健\", \"at\": 1795342530123, \"maybe\": null}",
                        "{\"n\": -1, \"s\": \"\", \"at\": 0, \"maybe\": \"here\"}"));

        JsonNode latest = JSON.readTree(platform.get(admin + "/subjects/interop-value/versions/latest", null));
        assertThat(latest.get("id").asInt()).isEqualTo(written.schemaId());
        assertThat(latest.get("version").asInt()).isEqualTo(1);
        List<GenericRecord> read = new ArrayList<>();
        try (AvroWireDeserializer<GenericRecord> ours =
                new AvroWireDeserializer<>(new RestSchemaRegistryClient(admin), null, false)) {
            for (byte[] value : written.values()) {
                assertThat(WireFormat.readHeader(ByteBuffer.wrap(value))).isEqualTo(written.schemaId());
                read.add(ours.deserialize("interop", value));
            }
        }
        assertThat(read.get(0).get("n")).isEqualTo(4000000000123L);
        assertThat(read.get(0).get("s").toString()).isEqualTo("Zoë 健");
        // Generic records keep logical types as their Avro type, as Confluent's deserializer does by default.
        assertThat(read.get(0).get("at")).isEqualTo(1795342530123L);
        assertThat(read.get(0).get("maybe")).isNull();
        assertThat(read.get(1).get("n")).isEqualTo(-1L);
        assertThat(read.get(1).get("s").toString()).isEmpty();
        assertThat(read.get(1).get("maybe").toString()).isEqualTo("here");
    }

    /** Subscribes; {@code more} is the rest of the request's members, each with a leading comma. */
    private static String subscribe(String id, String app, String types, String more) throws Exception {
        var r = platform.post(admin + "/v1/subscriptions", token, """
                {"id": "%s", "app": "%s", "eventTypes": ["%s"]%s}
                """.formatted(id, app, types, more));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("topic").asString();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    /** The record at an offset, read_committed. */
    private static ConsumerRecord<byte[], byte[]> recordAt(String bootstrap, TopicPartition tp, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            return poll(consumer, "the record at " + tp + "@" + offset, r -> true);
        }
    }

    /** Assigns every partition of the topic to the consumer, at its start; answers them. */
    private static List<TopicPartition> fromTheStart(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    /** Polls for up to 60 s for the first record that {@code wanted} takes; {@code what} names it if none comes. */
    private static ConsumerRecord<byte[], byte[]> poll(
            KafkaConsumer<byte[], byte[]> consumer, String what, Predicate<ConsumerRecord<byte[], byte[]>> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (wanted.test(r)) {
                    return r;
                }
            }
        }
        throw new AssertionError("not found within 60 s: " + what);
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
