package com.northwind.eventing.benchmarks;

import com.northwind.eventing.common.kafka.NativeLz4;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.AppToken;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.RateLimit;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.intake.auth.AppDirectory;
import com.northwind.eventing.intake.auth.RateLimiter;
import com.northwind.eventing.intake.publish.EventTypeCatalog;
import com.northwind.eventing.intake.publish.Firehose;
import com.northwind.eventing.intake.publish.KafkaFirehose;
import com.northwind.eventing.intake.publish.PublishMetrics;
import com.northwind.eventing.intake.publish.PublishRequest;
import com.northwind.eventing.intake.publish.Publisher;
import com.northwind.eventing.intake.publish.Receipt;
import com.northwind.eventing.schema.Envelope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The intake's publish core ({@link Publisher#publish}: JSON parsing by its request reader, grant, validation against the JSON Schema, rate
 * limit, envelope, Avro, the firehose producer) against a real in-process broker, beside its baseline
 * {@link #rawProducer}: a plain {@code KafkaProducer<byte[], byte[]>} with the firehose's settings sending a fixed
 * 450-byte value (about an envelope of a 300-byte body) to the same topic on the same kind of broker.
 *
 * <p>Both send asynchronously with at most {@link InFlight#PERMITS} sends unacknowledged, so the rate is the one Kafka
 * sustains; both key records alike (1,024 keys over the 6 partitions). JMH runs each benchmark in its own fork, with
 * its own broker. A trial in which any send failed fails.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@Threads(2)
public class PublishPerf {
    static final String TYPE = "Bench.Published.Event";
    static final String APP = "bench-producer";
    static final int BODY_BYTES = 300;
    static final int VALUE_BYTES = 450;
    static final int KEYS = 1024;
    static final String TOKEN = "evt_benchmark-token-not-a-secret";
    /** When the registry was last read to its end, as the intake's followers keep it: read by every publish. */
    private static volatile long registryCaughtUpAt = System.currentTimeMillis();

    private static final Duration DRAIN = Duration.ofSeconds(60);

    /** The baseline: the same broker, topic and producer settings, no intake. */
    @Benchmark
    public Future<RecordMetadata> rawProducer(RawProducer state, Cursor cursor) throws InterruptedException {
        state.inFlight.acquire();
        try {
            return state.producer.send(
                    new ProducerRecord<>(FirehoseBroker.TOPIC, state.keys[cursor.next()], state.value), state.inFlight);
        } catch (RuntimeException e) {
            state.inFlight.done(e);
            throw e;
        }
    }

    /** One event as REST receives it: its JSON parsed, then published; the stage completes on Kafka's answer. */
    @Benchmark
    public CompletionStage<Receipt> publish(Intake state, Cursor cursor) throws InterruptedException {
        state.inFlight.acquire();
        try {
            byte[] json = state.requests[cursor.next()];
            PublishRequest request = state.publisher.requests().event(json);
            return state.publisher
                    .publish(state.app, request, null)
                    .whenComplete((receipt, error) -> state.inFlight.done(error));
        } catch (RuntimeException e) {
            state.inFlight.done(e);
            throw e;
        }
    }

    /** Each thread's walk over the keys (and requests), so that records spread over the partitions alike. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        int next() {
            next = (next + 1) & (KEYS - 1);
            return next;
        }
    }

    @State(Scope.Benchmark)
    public static class RawProducer {
        final InFlight inFlight = new InFlight();
        final byte[][] keys = keys();
        final byte[] value = randomLetters(VALUE_BYTES);
        FirehoseBroker broker;
        KafkaProducer<byte[], byte[]> producer;

        @Setup(Level.Trial)
        public void start() {
            System.out.println("# Baseline: a raw KafkaProducer<byte[], byte[]>, " + VALUE_BYTES + "-byte values to "
                    + FirehoseBroker.TOPIC + " with the firehose's producer settings");
            broker = FirehoseBroker.start();
            NativeLz4.load(); // as KafkaFirehose does
            producer = new KafkaProducer<>(
                    KafkaFirehose.producerConfig(broker.clientConfig("bench-raw-producer")),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            try {
                inFlight.awaitAll(DRAIN);
            } finally {
                producer.close(Duration.ofSeconds(10));
                broker.close();
            }
            inFlight.check("rawProducer");
        }
    }

    @State(Scope.Benchmark)
    public static class Intake {
        final InFlight inFlight = new InFlight();
        final byte[][] requests = requests();
        FirehoseBroker broker;
        KafkaFirehose firehose;
        Publisher publisher;
        App app;

        /** Wires the publish core as the intake's IntakeConfig does, with the registry applied as its followers do. */
        @Setup(Level.Trial)
        public void start() {
            broker = FirehoseBroker.start();
            InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
            schemas.register(FirehoseBroker.TOPIC + "-value", Envelope.getClassSchema());
            firehose = new KafkaFirehose(FirehoseBroker.TOPIC, broker.clientConfig("eventing-intake"), schemas);

            publisher = publisher(firehose);
            app = publisher.authenticate(TOKEN);
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            try {
                inFlight.awaitAll(DRAIN);
            } finally {
                firehose.close();
                broker.close();
            }
            inFlight.check("publish");
        }
    }

    /** The publish core as the intake's IntakeConfig wires it, the registry applied as its followers do. */
    static Publisher publisher(Firehose firehose) {
        Instant now = Instant.now();
        EventTypeCatalog types = new EventTypeCatalog();
        types.apply(TYPE, Optional.of(eventType(now)));
        AppDirectory apps = new AppDirectory();
        apps.apply(
                APP,
                Optional.of(new App(
                        APP,
                        "bench",
                        List.of("Bench.*.*"),
                        List.of(),
                        List.of(new AppToken("tok_bench", AppToken.sha256Of(TOKEN), now)),
                        // As high as an app's limit goes: the benchmark measures the core, not the bucket's
                        // refusals.
                        new RateLimit(RateLimit.MAX_RATE, RateLimit.MAX_RATE),
                        now,
                        now)));
        return new Publisher(
                apps,
                new RateLimiter(new RateLimit(5_000, 10_000), System::nanoTime),
                types,
                firehose,
                Clock.systemUTC(),
                new PublishMetrics(
                        new SimpleMeterRegistry(), name -> types.find(name).isPresent()),
                Publisher.Limits.DEFAULT,
                // As the followers' views answer it (a volatile read and a comparison); a run never lasts a day.
                nowMillis -> nowMillis - registryCaughtUpAt <= TimeUnit.DAYS.toMillis(1));
    }

    /** A type whose body is {@code {id: integer, payload: string}}, as the load tool's. */
    static EventType eventType(Instant now) {
        EventTypeVersion v1 = new EventTypeVersion(
                1,
                RegistryTopics.JSON.readTree("{\"type\": \"object\", \"required\": [\"id\", \"payload\"],"
                        + " \"properties\": {\"id\": {\"type\": \"integer\"}, \"payload\": {\"type\": \"string\"}}}"),
                List.of(),
                now);
        return new EventType(
                "Bench",
                "Published",
                "Event",
                "Events the benchmarks publish",
                "bench",
                1,
                null,
                List.of(v1),
                now,
                now);
    }

    /** The record key of request {@code i}: its transaction id, as the intake keys an event without a key. */
    static String transactionId(int i) {
        return "bench-" + i;
    }

    private static byte[][] keys() {
        byte[][] keys = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = transactionId(i).getBytes(StandardCharsets.UTF_8);
        }
        return keys;
    }

    /** Publish requests as a producer posts them (UTF-8, as REST reads them), each with a body of 300 bytes. */
    static byte[][] requests() {
        byte[][] requests = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            String json = "{\"noun\": \"Bench\", \"verb\": \"Published\", \"object\": \"Event\","
                    + " \"metadata\": {\"transactionId\": \"" + transactionId(i) + "\", \"userId\": \"u-7\","
                    + " \"timestamp\": \"2026-11-22T10:15:30Z\", \"transactionType\": \"ONLINE\","
                    + " \"sourceSystem\": \"portal\"}, \"tags\": [\"state:TX\"], \"body\": " + body(i) + "}";
            requests[i] = json.getBytes(StandardCharsets.UTF_8);
        }
        return requests;
    }

    /** {@code {"id": i, "payload": "xx..."}}, exactly {@link #BODY_BYTES} long. */
    static String body(int id) {
        String empty = "{\"id\": " + id + ", \"payload\": \"\"}";
        return "{\"id\": " + id + ", \"payload\": \"" + "x".repeat(BODY_BYTES - empty.length()) + "\"}";
    }

    /** Random capital letters, as Kafka's ProducerPerformance fills its records; the same on every run. */
    private static byte[] randomLetters(int size) {
        Random random = new Random(42);
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = (byte) ('A' + random.nextInt(26));
        }
        return value;
    }
}
