package com.northwind.eventing.router.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The aggregator on the test broker, exactly-once: rules on the registry topic, events on a three-partition firehose,
 * and the outputs read back from the firehose read_committed, exactly one per completed key and per key whose
 * expected event never came.
 */
@ExtendWith(KafkaClusterExtension.class)
class AggregatorIT {
    private static final String SUBMITTED = "Aggit.Submitted.Claim";
    private static final String PRICED = "Aggit.Priced.Claim";
    private static final String APPROVED = "Aggit.Approved.Claim";
    private static final String COMPLETED = "Aggit.Completed.Claim";
    private static final String REQUESTED = "Aggit.Requested.Reconsideration";
    private static final String ACKNOWLEDGED = "Aggit.Acknowledged.Reconsideration";
    private static final String OVERDUE = "Aggit.Overdue.Reconsideration";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
    private KafkaBroker kafka;
    private final List<KafkaStreams> running = new ArrayList<>();

    @BeforeEach
    void topics(KafkaBroker broker) throws Exception {
        kafka = broker;
        create(new NewTopic(AggregatorTopology.FIREHOSE, Optional.of(3), Optional.empty()));
        for (String registry : List.of(RegistryTopics.AGGREGATIONS, RegistryTopics.EVENT_TYPES)) {
            create(new NewTopic(registry, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
    }

    @AfterEach
    void stop() {
        running.forEach(s -> s.close(Duration.ofSeconds(10)));
    }

    @Test
    void shouldWriteExactlyOneOutputPerRuleInstanceWhenRunOnTheBroker() throws Exception {
        // given
        String run = Long.toString(System.nanoTime(), 36);
        registerRules("it-complete-" + run, List.of(SUBMITTED, PRICED, APPROVED), "it-overdue-" + run, "PT3S");
        start("aggregator-it-" + run);

        // when
        Instant now = Instant.now();
        try (KafkaProducer<String, Envelope> events = eventProducer()) {
            for (int i = 0; i < 20; i++) {
                for (String type : List.of(APPROVED, SUBMITTED, PRICED)) {
                    send(events, type, run + "-C" + i, now);
                }
            }
            for (int i = 0; i < 5; i++) {
                send(events, REQUESTED, run + "-R" + i, now);
            }
            for (int i = 0; i < 3; i++) {
                send(events, ACKNOWLEDGED, run + "-R" + i, now);
            }
            events.flush();
        }

        // then
        List<Envelope> completed = new ArrayList<>();
        List<Envelope> overdue = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while ((completed.size() < 20 || overdue.size() < 2) && System.nanoTime() < deadline) {
            completed = outputs(COMPLETED, run);
            overdue = outputs(OVERDUE, run);
        }
        Thread.sleep(5_000); // long enough for a duplicate, or a wrong absence output, to show
        completed = outputs(COMPLETED, run);
        overdue = outputs(OVERDUE, run);
        assertThat(completed.stream().map(e -> key(e.getBody())).sorted().toList())
                .hasSize(20)
                .doesNotHaveDuplicates();
        assertThat(overdue.stream().map(e -> key(e.getBody())).sorted().toList())
                .containsExactly(run + "-R3", run + "-R4");
        assertThat(completed).allMatch(e -> e.getMetadata().getProducerApp().equals("eventing-aggregator"));
    }

    @Test
    void shouldWriteEachOutputOnceAndLoseNoDeadlineWhenAnotherInstanceTakesOverFromAHungOne() throws Exception {
        // given
        String run = Long.toString(System.nanoTime(), 36);
        registerRules("crash-complete-" + run, List.of(SUBMITTED, PRICED), "crash-overdue-" + run, "PT20S");
        String applicationId = "aggregator-crash-" + run;
        // The first instance's stream thread stops for good inside its third output's transaction, as a thread that
        // hangs or a process frozen mid-commit: what it wrote in that transaction must never be read.
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger outputsOfFirst = new AtomicInteger();
        start(applicationId, stateDir.resolve("first"), new HangingMetrics(outputsOfFirst, 3, release));
        try {
            Instant now = Instant.now();
            try (KafkaProducer<String, Envelope> events = eventProducer()) {
                for (int i = 0; i < 3; i++) {
                    send(events, REQUESTED, run + "-R" + i, now);
                }
                events.flush();
                Thread.sleep(3_000); // the starts' state and deadlines are committed by the first instance
                for (int i = 0; i < 10; i++) {
                    send(events, SUBMITTED, run + "-C" + i, now);
                    send(events, PRICED, run + "-C" + i, now);
                }
                events.flush();
            }
            long hungBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (outputsOfFirst.get() < 3 && System.nanoTime() < hungBy) {
                Thread.sleep(100);
            }
            assertThat(outputsOfFirst.get())
                    .as("the first instance hung on its third output")
                    .isEqualTo(3);

            // when
            start(applicationId, stateDir.resolve("second"), AggregatorMetrics.NONE);

            // then
            List<Envelope> completed = new ArrayList<>();
            List<Envelope> overdue = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while ((completed.size() < 10 || overdue.size() < 3) && System.nanoTime() < deadline) {
                completed = outputs(COMPLETED, run);
                overdue = outputs(OVERDUE, run);
            }
            Thread.sleep(5_000);
            completed = outputs(COMPLETED, run);
            overdue = outputs(OVERDUE, run);
            assertThat(completed.stream().map(e -> key(e.getBody())).toList())
                    .hasSize(10)
                    .doesNotHaveDuplicates();
            assertThat(overdue.stream().map(e -> key(e.getBody())).sorted().toList())
                    .containsExactly(run + "-R0", run + "-R1", run + "-R2");
        } finally {
            release.countDown();
        }
    }

    /** Counts outputs, and from the {@code hangAt}-th on blocks the stream thread until released. */
    private record HangingMetrics(AtomicInteger outputs, int hangAt, CountDownLatch release)
            implements AggregatorMetrics {
        @Override
        public void emitted(String rule, String kind) {
            if (outputs.incrementAndGet() >= hangAt) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void skipped(String rule, String reason) {}

        @Override
        public void deadLettered(String rule) {}

        @Override
        public void openKeys(String rule, long delta) {}
    }

    /**
     * Registers every test type, a combine rule over {@code inputs} keyed by claimId within an hour, and an absence
     * rule of a request not acknowledged within {@code deadline}.
     */
    private void registerRules(String combineId, List<String> inputs, String absenceId, String deadline) {
        try (KafkaProducer<String, byte[]> registry = registryProducer()) {
            for (String type : List.of(SUBMITTED, PRICED, APPROVED, COMPLETED, REQUESTED, ACKNOWLEDGED, OVERDUE)) {
                registry.send(new ProducerRecord<>(RegistryTopics.EVENT_TYPES, type, eventType(type)));
            }
            List<String> listed = inputs.stream()
                    .map(t -> "{\"eventType\":\"" + t + "\",\"key\":\"/claimId\"}")
                    .toList();
            registry.send(rule("{\"id\":\"" + combineId + "\",\"kind\":\"combine\",\"inputs\":["
                    + String.join(",", listed) + "],\"window\":\"PT1H\",\"output\":\"" + COMPLETED + "\"}"));
            registry.send(rule("{\"id\":\"" + absenceId + "\",\"kind\":\"absence\","
                    + "\"start\":{\"eventType\":\"" + REQUESTED + "\",\"key\":\"/claimId\"},"
                    + "\"expected\":{\"eventType\":\"" + ACKNOWLEDGED + "\",\"key\":\"/claimId\"},"
                    + "\"deadline\":\"" + deadline + "\",\"output\":\"" + OVERDUE + "\"}"));
            registry.flush();
        }
    }

    private void start(String applicationId) throws InterruptedException {
        start(applicationId, stateDir, AggregatorMetrics.NONE);
    }

    private void start(String applicationId, Path dir, AggregatorMetrics metrics) throws InterruptedException {
        Properties config = AggregatorTopology.properties(kafka.bootstrapServers(), applicationId, dir.toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // A hung instance leaves the group, and its open transaction is aborted, within seconds.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 10_000);
        KafkaStreams streams = new KafkaStreams(AggregatorTopology.build(schemas, metrics, Tracing.off()), config);
        streams.start();
        running.add(streams);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    private static String key(String body) {
        return JSON.readTree(body).path("key").asString();
    }

    /** The aggregator's outputs of a type for this run, read committed from the start of the firehose. */
    private List<Envelope> outputs(String type, String run) {
        AvroWireDeserializer<Envelope> envelopes = new AvroWireDeserializer<>(schemas, Envelope.getClassSchema(), true);
        List<Envelope> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                kafka.clientConfig(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(AggregatorTopology.FIREHOSE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader(AggregatorTopology.HEADER_AGGREGATION);
                    if (h == null || !new String(h.value(), StandardCharsets.UTF_8).endsWith(run)) {
                        continue;
                    }
                    Envelope e = envelopes.deserialize(r.topic(), r.value());
                    if (e.getEventType().equals(type)) {
                        out.add(e);
                    }
                }
            }
        }
        return out;
    }

    private void send(KafkaProducer<String, Envelope> producer, String type, String claimId, Instant at) {
        String[] parts = type.split("\\.");
        String id = UuidV7.next(at.toEpochMilli()).toString();
        Envelope e = Envelope.newBuilder()
                .setEventId(id)
                .setNoun(parts[0])
                .setVerb(parts[1])
                .setObject(parts[2])
                .setEventType(type)
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId(id)
                        .setOccurredAt(at)
                        .setReceivedAt(at)
                        .setProducerApp("claims")
                        .build())
                .setTags(List.of())
                .setSynthetic(false)
                .setBody("{\"claimId\":\"" + claimId + "\"}")
                .setBodySchemaVersion(1)
                .build();
        // Keyed by event id, as the intake keys by transaction id: one key's events spread over the partitions.
        producer.send(new ProducerRecord<>(AggregatorTopology.FIREHOSE, null, at.toEpochMilli(), id, e));
    }

    private static byte[] eventType(String name) {
        String[] parts = name.split("\\.");
        return RegistryTopics.JSON.writeValueAsBytes(new EventType(
                parts[0],
                parts[1],
                parts[2],
                "aggregator test",
                "team",
                30,
                null,
                List.of(new EventTypeVersion(1, JSON.readTree("{\"type\":\"object\"}"), List.of(), Instant.EPOCH)),
                Instant.EPOCH,
                Instant.EPOCH));
    }

    private static ProducerRecord<String, byte[]> rule(String json) {
        Aggregation a = RegistryTopics.JSON.readValue(json, Aggregation.class);
        return new ProducerRecord<>(RegistryTopics.AGGREGATIONS, a.id(), RegistryTopics.JSON.writeValueAsBytes(a));
    }

    private KafkaProducer<String, byte[]> registryProducer() {
        return new KafkaProducer<>(
                kafka.clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private KafkaProducer<String, Envelope> eventProducer() {
        return new KafkaProducer<>(
                kafka.clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(),
                new AvroWireSerializer<>(schemas, true));
    }

    private void create(NewTopic topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
