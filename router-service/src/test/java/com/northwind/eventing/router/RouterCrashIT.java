package com.northwind.eventing.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiApplication;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.store.LedgerRecord;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.router.topology.RouterTopology;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exactly-once across a crash: the router runs in its own JVM, is killed with SIGKILL while it routes a stream of
 * events, and is started again with the same application id and state directory. Every subscription topic then
 * holds, read committed, each event exactly once: none lost, none duplicated; and so do the event store's topic and
 * the delivery ledger. Killed while it copies a replay, it copies and counts each replayed record exactly once too.
 */
@ExtendWith(KafkaClusterExtension.class)
class RouterCrashIT {
    private static final String ADMIN_TOKEN = "router-crash-admin-token-42";
    /** The platform services' registry credential: the only one that may write eventing.* subjects. */
    private static final String SERVICE_TOKEN = "crash-test-service-token-0123456789abcdef";

    private static final int EVENTS = 10_000;
    /** Replayed records: three in four reach the subscription, the rest its tag filter leaves out. */
    private static final int REPLAYS = 6_000;

    private static final int BATCH = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path stateDir;

    private static KafkaBroker kafka;
    private static ConfigurableApplicationContext admin;
    private static String adminUrl;
    private final List<Process> routers = new ArrayList<>();

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        admin = AdminApiApplication.builder()
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--eventing.admin-token=" + ADMIN_TOKEN,
                        "--eventing.schema-registry.service-token=" + SERVICE_TOKEN,
                        "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--eventing.registry.replication-factor=1",
                        "--eventing.subscriptions.replication-factor=1");
        adminUrl = "http://127.0.0.1:"
                + ((WebServerApplicationContext) admin).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            // Other router tests share the broker: their routers must not route this test's 10,000 events again.
            for (String id : new String[] {"care-crash", "analytics-crash", "replay-crash"}) {
                send(HttpRequest.newBuilder(URI.create(adminUrl + "/v1/subscriptions/" + id))
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .DELETE());
            }
            admin.close();
        }
    }

    @AfterEach
    void killRouters() throws InterruptedException {
        for (Process p : routers) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldDeliverEveryEventExactlyOnceWhenTheRouterIsKilledMidStream() throws Exception {
        adminPost("/v1/event-types", """
                {"noun": "Crash", "verb": "Submitted", "object": "Claim", "owner": "claims",
                 "schema": {"type": "object", "properties": {"member": {"type": "object"}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """);
        adminPost("/v1/apps", """
                {"id": "crash-care", "team": "care", "publish": [], "read": ["PHI"]}
                """);
        adminPost("/v1/apps", """
                {"id": "crash-analytics", "team": "data", "publish": [], "read": []}
                """);
        String cleared = topic(adminPost("/v1/subscriptions", """
                {"id": "care-crash", "app": "crash-care", "eventTypes": ["Crash.Submitted.*"]}
                """));
        String redacted = topic(adminPost("/v1/subscriptions", """
                {"id": "analytics-crash", "app": "crash-analytics", "eventTypes": ["Crash.*.*"]}
                """));
        List<String> subscriptionTopics = List.of(cleared, redacted);
        createFirehose();

        Set<String> produced = new HashSet<>();
        long copiesAtKill;
        try (KafkaProducer<String, Envelope> producer = producer()) {
            Process first = startRouter("first");
            // A first batch, then wait until the router routes it: from here on it is up and processing.
            produce(producer, BATCH, produced);
            await(
                    "the first router to deliver copies",
                    Duration.ofSeconds(180),
                    () -> subscriptionTopics.stream().allMatch(t -> endOffsets(t) > 0));
            // Keep producing while it routes, and kill it mid-stream once it has written a good share of copies.
            while (produced.size() < EVENTS && minEndOffset(subscriptionTopics) <= 1_000) {
                produce(producer, BATCH, produced);
                sleep(50);
            }
            await(
                    "the first router to write over 1000 copies",
                    Duration.ofSeconds(120),
                    () -> minEndOffset(subscriptionTopics) > 1_000);
            first.destroyForcibly();
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            copiesAtKill = minEndOffset(subscriptionTopics);
            // The rest of the stream arrives while no router runs.
            while (produced.size() < EVENTS) {
                produce(producer, BATCH, produced);
            }
        }
        assertThat(produced).hasSize(EVENTS);
        assertThat(committedCount(cleared) + committedCount(redacted))
                .as("the crash happened mid-stream (%d copies written when killed)", copiesAtKill)
                .isLessThan(2L * EVENTS);

        Process second = startRouter("second");
        await(
                "both subscription topics to hold " + EVENTS + " committed copies",
                Duration.ofSeconds(180),
                () -> subscriptionTopics.stream().allMatch(t -> committedCount(t) >= EVENTS));
        second.destroy();
        if (!second.waitFor(60, TimeUnit.SECONDS)) {
            second.destroyForcibly();
        }

        for (String t : subscriptionTopics) {
            List<String> ids =
                    readCommitted(t).stream().map(Envelope::getEventId).toList();
            assertThat(ids).as("copies in %s", t).hasSize(EVENTS).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids)).as("event ids in %s", t).isEqualTo(produced);
        }
        // The store records went in the copies' transactions: once each, the member's SSN redacted (the default).
        List<ConsumerRecord<byte[], byte[]>> stored = readCommittedRecords(StoreDocument.TOPIC).stream()
                .filter(r -> produced.contains(new String(r.key(), StandardCharsets.UTF_8)))
                .toList();
        List<String> storedIds = stored.stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .toList();
        assertThat(storedIds).as("store records").hasSize(EVENTS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(storedIds))
                .as("event ids in the store records")
                .isEqualTo(produced);
        assertThat(stored)
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .allSatisfy(doc ->
                        assertThat(doc).contains("\"ssn\":\"***REDACTED***\"").doesNotContain("123-45-6789"));
        // So did the ledger records: once each.
        List<String> ledgered = readCommittedRecords(LedgerRecord.TOPIC).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .filter(produced::contains)
                .toList();
        assertThat(ledgered).as("ledger records").hasSize(EVENTS).doesNotHaveDuplicates();
    }

    @Test
    void shouldCopyAndCountEveryReplayedRecordExactlyOnceWhenTheRouterIsKilledMidReplay() throws Exception {
        adminPost("/v1/event-types", """
                {"noun": "Crash", "verb": "Replayed", "object": "Claim", "owner": "claims",
                 "schema": {"type": "object", "properties": {"member": {"type": "object"}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """);
        adminPost("/v1/apps", """
                {"id": "crash-replay-reader", "team": "data", "publish": [], "read": []}
                """);
        String target = topic(adminPost("/v1/subscriptions", """
                {"id": "replay-crash", "app": "crash-replay-reader", "eventTypes": ["Crash.Replayed.*"],
                 "tags": {"noneOf": ["skip"]}}
                """));
        createFirehose();
        createTopic(RouterTopology.REPLAY);

        Set<String> replayed = new HashSet<>();
        Set<String> wanted = new HashSet<>();
        try (KafkaProducer<String, Envelope> producer = producer()) {
            Process first = startRouter("replay-first");
            replay(producer, BATCH, replayed, wanted);
            await("the first router to copy replayed records", Duration.ofSeconds(180), () -> endOffsets(target) > 0);
            while (replayed.size() < REPLAYS && endOffsets(target) <= 1_000) {
                replay(producer, BATCH, replayed, wanted);
                sleep(50);
            }
            await(
                    "the first router to copy over 1000 records",
                    Duration.ofSeconds(120),
                    () -> endOffsets(target) > 1_000);
            first.destroyForcibly();
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            while (replayed.size() < REPLAYS) {
                replay(producer, BATCH, replayed, wanted);
            }
        }
        assertThat(replayed).hasSize(REPLAYS);
        assertThat(committedCount(target)).as("the crash happened mid-replay").isLessThan(wanted.size());

        Process second = startRouter("replay-second");
        await(
                "the replay's counts to add up to " + REPLAYS,
                Duration.ofSeconds(180),
                () -> counts("rpl_crash")
                                .map(c -> c.path("delivered").asLong()
                                        + c.path("skipped").asLong())
                                .orElse(0L)
                        >= REPLAYS);
        second.destroy();
        if (!second.waitFor(60, TimeUnit.SECONDS)) {
            second.destroyForcibly();
        }

        AvroWireDeserializer<Envelope> envelopes =
                new AvroWireDeserializer<>(new RestSchemaRegistryClient(adminUrl), Envelope.getClassSchema(), true);
        List<ConsumerRecord<byte[], byte[]>> copies = readCommittedRecords(target);
        List<String> ids = copies.stream()
                .map(r -> envelopes.deserialize(r.topic(), r.value()).getEventId())
                .toList();
        assertThat(wanted).hasSize(4_500);
        assertThat(ids).as("replayed copies").hasSize(4_500).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(wanted);
        assertThat(copies).allSatisfy(r -> {
            Header h = r.headers().lastHeader("eventing-replay");
            assertThat(new String(h.value(), StandardCharsets.UTF_8)).isEqualTo("rpl_crash");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("123-45-6789");
        });
        assertThat(counts("rpl_crash").orElseThrow().toString())
                .isEqualTo("{\"id\":\"rpl_crash\",\"delivered\":4500,\"skipped\":1500}");
        assertThat(readCommittedRecords(LedgerRecord.TOPIC))
                .as("ledger records of replayed events")
                .noneMatch(r -> replayed.contains(new String(r.key(), StandardCharsets.UTF_8)));
    }

    /**
     * Writes up to {@code count} new replay records as admin-api does, for subscription replay-crash; every fourth is
     * tagged so that the subscription leaves it out. Waits until the broker has them all.
     */
    private static void replay(
            KafkaProducer<String, Envelope> producer, int count, Set<String> replayed, Set<String> wanted)
            throws InterruptedException, ExecutionException {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < count && replayed.size() < REPLAYS; i++) {
            String eventId = UUID.randomUUID().toString();
            boolean skip = replayed.size() % 4 == 3;
            Envelope envelope = envelope(eventId, "Replayed", skip ? List.of("skip") : List.of());
            RecordHeaders headers = new RecordHeaders();
            headers.add("eventing-replay", "rpl_crash".getBytes(StandardCharsets.UTF_8));
            headers.add("eventing-replay-subscription", "replay-crash".getBytes(StandardCharsets.UTF_8));
            headers.add("eventing-replay-source", "firehose".getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(
                    new ProducerRecord<>(RouterTopology.REPLAY, null, "tx-" + eventId, envelope, headers)));
            replayed.add(eventId);
            if (!skip) {
                wanted.add(eventId);
            }
        }
        producer.flush();
        for (java.util.concurrent.Future<?> f : sent) {
            f.get();
        }
    }

    /** The last committed counts of a replay. */
    private static Optional<tools.jackson.databind.JsonNode> counts(String replayId) {
        tools.jackson.databind.JsonNode last = null;
        for (ConsumerRecord<byte[], byte[]> r : readCommittedRecords(RouterTopology.REPLAY_COUNTS)) {
            if (replayId.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                last = JSON.readTree(r.value());
            }
        }
        return Optional.ofNullable(last);
    }

    private static void createFirehose() throws InterruptedException {
        createTopic(RouterTopology.FIREHOSE);
    }

    /** Creates the topic with 3 partitions, unless it exists. */
    private static void createTopic(String topic) throws InterruptedException {
        try (Admin a = kafka.admin()) {
            a.createTopics(List.of(new NewTopic(topic, Optional.of(3), Optional.empty())))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + topic, e);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create " + topic, e);
        }
    }

    private static KafkaProducer<String, Envelope> producer() {
        return new KafkaProducer<>(
                kafka.clientConfig(Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        120_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        30_000)),
                new StringSerializer(),
                new AvroWireSerializer<>(new RestSchemaRegistryClient(adminUrl, "Bearer " + SERVICE_TOKEN), true));
    }

    /** Produces up to {@code count} new envelopes and waits until the broker has them all. */
    private static void produce(KafkaProducer<String, Envelope> producer, int count, Set<String> produced)
            throws InterruptedException, ExecutionException {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < count && produced.size() < EVENTS; i++) {
            String eventId = UUID.randomUUID().toString();
            Envelope envelope = envelope(eventId, "Submitted", List.of());
            sent.add(producer.send(new ProducerRecord<>(RouterTopology.FIREHOSE, "tx-" + eventId, envelope)));
            produced.add(eventId);
        }
        producer.flush();
        for (java.util.concurrent.Future<?> f : sent) {
            f.get();
        }
    }

    /** A Crash.{verb}.Claim event whose member's SSN is sensitive. */
    private static Envelope envelope(String eventId, String verb, List<String> tags) {
        Instant now = Instant.now();
        return Envelope.newBuilder()
                .setEventId(eventId)
                .setNoun("Crash")
                .setVerb(verb)
                .setObject("Claim")
                .setEventType("Crash." + verb + ".Claim")
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId("tx-" + eventId)
                        .setOccurredAt(now)
                        .setReceivedAt(now)
                        .setProducerApp("claims-intake")
                        .build())
                .setTags(tags)
                .setSynthetic(false)
                .setBody("{\"member\": {\"ssn\": \"123-45-6789\", \"name\": \"Ann Example\"}}")
                .setBodySchemaVersion(1)
                .build();
    }

    /** A router in its own JVM, so that it can be killed without any shutdown; its output goes under target. */
    private Process startRouter(String name) throws IOException {
        Path log = Path.of("target", "router-crash-" + name + ".log");
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        RouterApplication.class.getName(),
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--eventing.schema-registry.url=" + adminUrl,
                        "--eventing.schema-registry.bearer-token=" + SERVICE_TOKEN,
                        "--eventing.router.state-dir=" + stateDir.resolve("router"),
                        "--eventing.router.application-id=crash-router")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        routers.add(p);
        return p;
    }

    /** The end offsets summed over partitions, as a read_uncommitted reader sees them: copies written, markers too. */
    private static long endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read_uncommitted")) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    private static long minEndOffset(List<String> topics) {
        return topics.stream().mapToLong(RouterCrashIT::endOffsets).min().orElse(0);
    }

    /** How many records a read_committed reader finds in the topic now. */
    private static long committedCount(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read_committed")) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For read_committed, the end offsets are the last stable offsets: read up to them.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!caughtUp(consumer, ends) && System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** Every envelope in the topic, read committed from the start, with the project's deserializer. */
    private static List<Envelope> readCommitted(String topic) {
        AvroWireDeserializer<Envelope> envelopes =
                new AvroWireDeserializer<>(new RestSchemaRegistryClient(adminUrl), Envelope.getClassSchema(), true);
        return readCommittedRecords(topic).stream()
                .map(r -> envelopes.deserialize(r.topic(), r.value()))
                .toList();
    }

    /** Every record in the topic, read committed from the start. */
    private static List<ConsumerRecord<byte[], byte[]>> readCommittedRecords(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read_committed")) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!caughtUp(consumer, ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
            }
            // Anything beyond would be a duplicate: give it a moment to show.
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                out.add(r);
            }
        }
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        return new KafkaConsumer<>(
                kafka.clientConfig(Map.of(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        isolation,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        2_000)),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }

    private static String topic(String subscriptionJson) {
        return JSON.readTree(subscriptionJson).path("topic").asString();
    }

    private static String adminPost(String path, String json) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(adminUrl + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            sleep(200);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
