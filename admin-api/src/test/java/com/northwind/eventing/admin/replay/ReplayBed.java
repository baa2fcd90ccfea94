package com.northwind.eventing.admin.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.Fixtures;
import com.northwind.eventing.admin.eventtype.EventTypeService;
import com.northwind.eventing.admin.store.InMemoryMongo;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;

/**
 * A replay's surroundings for one test: admin-api on the test broker with a firehose topic of its own (two partitions)
 * and an event store in memory, a registered claim type, an app and a subscription; events written to the firehose as
 * the intake writes them and stored as the sink stores them.
 */
final class ReplayBed implements AutoCloseable {
    static final String TYPE = "Claim.Submitted.Replayed";
    static final String OTHER_TYPE = "Claim.Submitted.Other";

    /** One event the test wrote: where it went on the firehose and the bytes it has there. */
    record Written(
            String eventId,
            String type,
            Instant receivedAt,
            List<String> tags,
            int partition,
            long offset,
            byte[] value,
            String key) {}

    /** One record the replay wrote, as read back read_committed. */
    record Replayed(
            String eventId,
            int partition,
            String source,
            String subscription,
            byte[] value,
            String key,
            String traceparent,
            List<String> redactedPaths,
            String body,
            long timestamp) {}

    final KafkaBroker kafka;
    final String firehose = "replay-it-" + UUID.randomUUID() + ".firehose";
    final InMemoryMongo mongo = new InMemoryMongo();
    final String subscription = "replay-sub-" + UUID.randomUUID().toString().substring(0, 8);
    private final String[] extraArgs;
    AdminApiServer api;

    ReplayBed(KafkaBroker kafka, String... extraArgs) throws Exception {
        this.kafka = kafka;
        this.extraArgs = extraArgs;
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(firehose, 2, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        start();
        String object = "Replayed";
        if (api.get("/v1/event-types/" + TYPE).status() == 404) {
            assertThat(api.post("/v1/event-types", Fixtures.claimEventType(object))
                            .status())
                    .isEqualTo(201);
            assertThat(api.post("/v1/event-types", Fixtures.claimEventType("Other"))
                            .status())
                    .isEqualTo(201);
            assertThat(api.post("/v1/apps", Fixtures.app("replay-reader", "", ""))
                            .status())
                    .isEqualTo(201);
        }
        assertThat(api.post("/v1/subscriptions", """
                        {"id": "%s", "app": "replay-reader", "eventTypes": ["Claim.*.*"]}""".formatted(subscription)).status())
                .isEqualTo(201);
    }

    void start() {
        List<String> args = new ArrayList<>(
                List.of("--eventing.firehose.topic=" + firehose, "--eventing.store.uri=" + mongo.uri()));
        args.addAll(List.of(extraArgs));
        api = new AdminApiServer(kafka, args.toArray(String[]::new)).start();
    }

    static Envelope envelope(String type, Instant receivedAt, List<String> tags, boolean synthetic, String body) {
        String[] parts = type.split("\\.");
        return Envelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setNoun(parts[0])
                .setVerb(parts[1])
                .setObject(parts[2])
                .setSubObject(null)
                .setEventType(type)
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId("tx-" + UUID.randomUUID().toString().substring(0, 6))
                        .setUserId("u-1")
                        .setOccurredAt(receivedAt)
                        .setReceivedAt(receivedAt)
                        .setTransactionType(null)
                        .setSourceSystem("claims-core")
                        .setProducerApp("claims-intake")
                        .build())
                .setTags(tags)
                .setSynthetic(synthetic)
                .setBody(body)
                .setBodySchemaVersion(1)
                .setRedactedPaths(List.of())
                .build();
    }

    /** Claims of the replayed type, real and untagged, one a second from {@code start}. */
    static List<Envelope> claims(Instant start, int count, String ssn) {
        List<Envelope> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(envelope(TYPE, start.plusSeconds(i), List.of(), false, claim("NEW", ssn)));
        }
        return events;
    }

    /** The replay wrote each written event, and each once. */
    static void assertEachOnce(List<Replayed> replayed, List<Written> written) {
        assertThat(replayed).extracting(Replayed::eventId).doesNotHaveDuplicates();
        assertThat(replayed.stream().map(Replayed::eventId).collect(java.util.stream.Collectors.toSet()))
                .isEqualTo(written.stream().map(Written::eventId).collect(java.util.stream.Collectors.toSet()));
    }

    static String claim(String status, String ssn) {
        return "{\"claimId\":\"C-1\",\"status\":\"" + status + "\",\"member\":{\"id\":\"M-1\",\"ssn\":\"" + ssn
                + "\"}}";
    }

    /** Writes the events to the firehose, Kafka timestamp = receivedAt, and stores each as the sink would. */
    List<Written> publish(List<Envelope> events) throws Exception {
        SchemaRegistryClient registry = api.context().getBean(SchemaRegistryClient.class);
        AvroWireSerializer<Envelope> serializer = new AvroWireSerializer<>(registry, true);
        Map<String, EventType> types = new java.util.HashMap<>();
        api.context()
                .getBean(EventTypeService.class)
                .list()
                .forEach(t -> types.put(t.name().toString(), t));
        List<Written> written = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                kafka.clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            int i = 0;
            for (Envelope e : events) {
                String key = "member-" + (i++ % 7);
                byte[] value = serializer.serialize(firehose, e);
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(
                        firehose,
                        null,
                        e.getMetadata().getReceivedAt().toEpochMilli(),
                        key.getBytes(StandardCharsets.UTF_8),
                        value);
                r.headers().add("traceparent", ("00-trace-" + e.getEventId()).getBytes(StandardCharsets.UTF_8));
                RecordMetadata m = producer.send(r).get(30, TimeUnit.SECONDS);
                written.add(new Written(
                        e.getEventId(),
                        e.getEventType(),
                        e.getMetadata().getReceivedAt(),
                        e.getTags(),
                        m.partition(),
                        m.offset(),
                        value,
                        key));
                byte[] doc = StoreDocument.build(e, types.get(e.getEventType()), firehose, m.partition(), m.offset())
                        .orElseThrow();
                mongo.events().insertOne(Document.parse(new String(doc, StandardCharsets.UTF_8)));
            }
        }
        return written;
    }

    String replay(String body) {
        AdminApiServer.Response r = api.post("/v1/replays", body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String id = r.json().path("id").asString();
        assertThat(r.header("Location")).isEqualTo("/v1/replays/" + id);
        return id;
    }

    long read(String id) {
        return api.get("/v1/replays/" + id).json().path("read").asLong();
    }

    static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within);
            }
            Thread.sleep(50);
        }
    }

    /** Deletes the firehose's records before the given offset of each partition, as retention does. */
    void retain(Map<Integer, Long> firstRetained) throws Exception {
        Map<TopicPartition, RecordsToDelete> delete = new java.util.HashMap<>();
        firstRetained.forEach((partition, offset) ->
                delete.put(new TopicPartition(firehose, partition), RecordsToDelete.beforeOffset(offset)));
        try (var admin = kafka.admin()) {
            admin.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The phase of the replay's progress as admin-api last read it; null before its first batch. */
    ReplayProgress.Phase phase(String id) {
        return api.context()
                .getBean(ReplayViews.class)
                .progress
                .get(id)
                .map(ReplayProgress::phase)
                .orElse(null);
    }

    /** What the replay topic holds for a replay id, read_committed, in offset order per partition. */
    List<Replayed> replayed(String replayId) {
        Map<String, Object> config = kafka.clientConfig(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false));
        List<Replayed> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(ReplayWorker.REPLAY_TOPIC, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            // Read without a registry (admin-api may be stopped): every envelope here is written in its own schema.
            var reader = new org.apache.avro.specific.SpecificDatumReader<Envelope>(Envelope.class);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (!replayId.equals(header(r, ReplayWorker.HEADER_REPLAY))) {
                        continue;
                    }
                    Envelope e;
                    try {
                        e = reader.read(
                                null,
                                org.apache.avro.io.DecoderFactory.get()
                                        .binaryDecoder(r.value(), 5, r.value().length - 5, null));
                    } catch (java.io.IOException x) {
                        throw new java.io.UncheckedIOException(x);
                    }
                    out.add(new Replayed(
                            e.getEventId(),
                            r.partition(),
                            header(r, ReplayWorker.HEADER_SOURCE),
                            header(r, ReplayWorker.HEADER_SUBSCRIPTION),
                            r.value(),
                            new String(r.key(), StandardCharsets.UTF_8),
                            header(r, "traceparent"),
                            e.getRedactedPaths(),
                            e.getBody(),
                            r.timestamp()));
                }
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Writes what the router writes for a replay's counts. */
    void counts(String replayId, long delivered, long skipped) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                kafka.clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            ReplayCounts.TOPIC,
                            0,
                            replayId.getBytes(StandardCharsets.UTF_8),
                            RegistryTopics.JSON.writeValueAsBytes(new ReplayCounts(replayId, delivered, skipped))))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        mongo.close();
    }
}
