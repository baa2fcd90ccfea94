package com.northwind.eventing.benchmarks;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.serde.EnvelopeSerde;
import com.northwind.eventing.router.topology.RecordLimits;
import com.northwind.eventing.router.topology.RouterTopology;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/**
 * The router topology's cost per event in Kafka Streams' {@link TopologyTestDriver}, beside its baseline
 * {@link #passThrough}: a topology that copies {@code eventing.firehose} to one topic, bytes unchanged, under the same
 * Streams settings. Each invocation pipes one prebuilt envelope (a 300-byte body, Confluent wire format) and drains
 * every output topic, checking that each subscription got exactly its one copy.
 *
 * <p>No broker: this is the topology's own work (deserializing, matching, redacting, encoding, the driver's capture of
 * each copy), not Kafka's. Half of the subscriptions belong to an app cleared for PHI, half to one that is not, so half
 * the copies have {@code /member/ssn} redacted.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class RoutePerf {
    static final String TYPE = "Bench.Routed.Event";
    static final String CLEARED = "phi-reader";
    static final String UNCLEARED = "plain-reader";
    static final String SSN = "123-45-6789";
    static final int BODY_BYTES = 300;
    private static final byte[] KEY = "bench-1".getBytes(StandardCharsets.UTF_8);

    /** The baseline: the firehose copied to one topic, nothing decoded. */
    @Benchmark
    public byte[] passThrough(PassThrough state) {
        state.firehose.pipeInput(KEY, state.event);
        return drain(state.copy, "the pass-through copy");
    }

    /** One event routed to every subscription; answers how many copies came out. */
    @Benchmark
    public int route(Router state) {
        state.firehose.pipeInput(KEY, state.event);
        for (int i = 0; i < state.outputs.size(); i++) {
            state.last[i] = drain(state.outputs.get(i), "subscription " + subscriptionId(i));
        }
        return state.outputs.size();
    }

    /** Reads the topic's records; there must be exactly one. */
    private static byte[] drain(TestOutputTopic<byte[], byte[]> topic, String what) {
        List<byte[]> values = topic.readValuesToList();
        if (values.size() != 1) {
            throw new IllegalStateException(what + " got " + values.size() + " records for one event, expected 1");
        }
        return values.get(0);
    }

    @State(Scope.Benchmark)
    public static class PassThrough {
        static final String COPY = "bench.pass-through";

        Path stateDir;
        TopologyTestDriver driver;
        TestInputTopic<byte[], byte[]> firehose;
        TestOutputTopic<byte[], byte[]> copy;
        byte[] event;

        @Setup(Level.Trial)
        public void start() throws IOException {
            System.out.println("# Baseline: a pass-through topology, " + RouterTopology.FIREHOSE + " to " + COPY
                    + ", bytes unchanged, the router's Streams settings");
            stateDir = Files.createTempDirectory("route-perf-");
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(RouterTopology.FIREHOSE, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                    .to(COPY, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
            driver = new TopologyTestDriver(
                    builder.build(),
                    RouterTopology.properties("unused:9092", "pass-through-bench", stateDir.toString()));
            firehose = driver.createInputTopic(
                    RouterTopology.FIREHOSE, new ByteArraySerializer(), new ByteArraySerializer());
            copy = driver.createOutputTopic(COPY, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            event = EnvelopeSerde.create(new InMemorySchemaRegistryClient(), true)
                    .serializer()
                    .serialize(RouterTopology.FIREHOSE, envelope());
        }

        @TearDown(Level.Trial)
        public void stop() {
            driver.close();
            deleteRecursively(stateDir);
        }
    }

    @State(Scope.Benchmark)
    public static class Router {
        @Param({"2", "10"})
        public int subscriptions;

        /**
         * The content filter every subscription has: {@code none}; {@code public}, on {@code /id}, which no plan
         * redacts; or {@code sensitive}, {@code exists} on {@code /member/ssn}, which the uncleared app's filter reads
         * as redacted. Every event passes each of them, so every subscription still gets its one copy.
         */
        @Param({"none", "public", "sensitive"})
        public String filter = "none";

        final InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
        final List<TestOutputTopic<byte[], byte[]>> outputs = new ArrayList<>();
        /** The last copy each subscription got, for the smoke test to look at. */
        byte[][] last;

        Path stateDir;
        TopologyTestDriver driver;
        TestInputTopic<byte[], byte[]> firehose;
        byte[] event;

        /** As RouterTopologyTest: the registry piped into its topics, envelopes written by EnvelopeSerde. */
        @Setup(Level.Trial)
        public void start() throws IOException {
            stateDir = Files.createTempDirectory("route-perf-");
            driver = new TopologyTestDriver(
                    RouterTopology.build(schemas, RecordLimits.NONE),
                    RouterTopology.properties("unused:9092", "router-bench", stateDir.toString()));
            firehose = driver.createInputTopic(
                    RouterTopology.FIREHOSE, new ByteArraySerializer(), new ByteArraySerializer());
            TestInputTopic<String, byte[]> eventTypes = driver.createInputTopic(
                    RegistryTopics.EVENT_TYPES, new StringSerializer(), new ByteArraySerializer());
            TestInputTopic<String, byte[]> apps =
                    driver.createInputTopic(RegistryTopics.APPS, new StringSerializer(), new ByteArraySerializer());
            TestInputTopic<String, byte[]> subs = driver.createInputTopic(
                    RegistryTopics.SUBSCRIPTIONS, new StringSerializer(), new ByteArraySerializer());

            eventTypes.pipeInput(TYPE, json(eventType()));
            apps.pipeInput(CLEARED, json(app(CLEARED, "PHI")));
            apps.pipeInput(UNCLEARED, json(app(UNCLEARED)));
            for (int i = 0; i < subscriptions; i++) {
                String id = subscriptionId(i);
                subs.pipeInput(
                        id,
                        json(new Subscription(
                                id,
                                cleared(i) ? CLEARED : UNCLEARED,
                                List.of(TYPE),
                                null,
                                null,
                                filter(filter),
                                List.of(),
                                "eventing.sub." + id,
                                1,
                                Instant.EPOCH)));
                outputs.add(driver.createOutputTopic(
                        "eventing.sub." + id, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            }
            last = new byte[subscriptions][];
            event = EnvelopeSerde.create(schemas, true).serializer().serialize(RouterTopology.FIREHOSE, envelope());
        }

        @TearDown(Level.Trial)
        public void stop() {
            driver.close();
            deleteRecursively(stateDir);
        }
    }

    static JsonNode filter(String name) {
        return switch (name) {
            case "none" -> null;
            case "public" -> RegistryTopics.JSON.readTree("{\"/id\": [{\"numeric\": [\">\", 0]}]}");
            case "sensitive" -> RegistryTopics.JSON.readTree("{\"/member/ssn\": [{\"exists\": true}]}");
            default -> throw new IllegalArgumentException("filter is none, public or sensitive, not " + name);
        };
    }

    static String subscriptionId(int i) {
        return "bench-" + i;
    }

    /** Even subscriptions belong to the app cleared for PHI, odd ones to the app that is not. */
    static boolean cleared(int i) {
        return i % 2 == 0;
    }

    private static EventType eventType() {
        EventTypeVersion v1 = new EventTypeVersion(
                1,
                RegistryTopics.JSON.readTree("{\"type\": \"object\"}"),
                List.of(new SensitiveField("/member/ssn", "PHI")),
                Instant.EPOCH);
        return new EventType(
                "Bench",
                "Routed",
                "Event",
                "Events the benchmarks route",
                "bench",
                1,
                null,
                List.of(v1),
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private static App app(String id, String... read) {
        return new App(id, "bench", List.of(), List.of(read), List.of(), null, Instant.EPOCH, Instant.EPOCH);
    }

    /** The routed event, as the intake writes it to the firehose: a body of exactly 300 bytes with a PHI field. */
    static Envelope envelope() {
        return Envelope.newBuilder()
                .setEventId("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d")
                .setNoun("Bench")
                .setVerb("Routed")
                .setObject("Event")
                .setEventType(TYPE)
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId("bench-1")
                        .setOccurredAt(Instant.parse("2026-12-01T10:00:00.123Z"))
                        .setReceivedAt(Instant.parse("2026-12-01T10:00:00.125Z"))
                        .setProducerApp("bench-producer")
                        .build())
                .setTags(List.of("state:TX"))
                .setSynthetic(false)
                .setBody(body())
                .setBodySchemaVersion(1)
                .setRedactedPaths(List.of())
                .build();
    }

    static String body() {
        String empty = "{\"id\": 1, \"member\": {\"ssn\": \"" + SSN + "\"}, \"payload\": \"\"}";
        return "{\"id\": 1, \"member\": {\"ssn\": \"" + SSN + "\"}, \"payload\": \""
                + "x".repeat(BODY_BYTES - empty.length()) + "\"}";
    }

    private static byte[] json(Object value) {
        return RegistryTopics.JSON.writeValueAsBytes(value);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
