package com.northwind.eventing.admin.store.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The store's hydration on real parts: admin-api configures MongoDB's sink connector in a Connect worker (distributed
 * mode, on the test broker) at start, and the connector upserts what reaches {@code eventing.store} into a MongoDB
 * wire-protocol server (mongo-java-server, in memory), read back with the official driver.
 */
@ExtendWith(KafkaClusterExtension.class)
class StoreHydrationIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static MongoServer mongo;
    private static ConnectWorker connect;
    private static String mongoUri;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(KafkaBroker kafka) throws Exception {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        mongoUri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
        kafka.admin()
                .createTopics(List.of(
                        new NewTopic("eventing.store", 3, (short) 1), new NewTopic("eventing.ledger", 3, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        connect = new ConnectWorker(kafka.bootstrapServers(), "it-store-connect");
    }

    /** Leaves the shared broker as found: other tests create eventing.store and read the sink's group. */
    @AfterAll
    static void stop(KafkaBroker kafka) throws Exception {
        if (connect != null) {
            connect.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
        kafka.admin()
                .deleteConsumerGroups(List.of("connect-eventing-store-sink"))
                .all()
                .get(30, TimeUnit.SECONDS);
        kafka.admin()
                .deleteTopics(List.of("eventing.store", "eventing.ledger", "eventing.store.deadletter"))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldStoreEachRecordOnceWithBsonDatesWhenRecordsAreRedeliveredAndAdminApiRestarts(KafkaBroker kafka)
            throws Exception {
        try (AdminApiServer api = new AdminApiServer(kafka, adminArgs()).start();
                MongoClient client = MongoClients.create(mongoUri);
                KafkaProducer<String, String> producer = producer(kafka)) {
            MongoCollection<Document> events = client.getDatabase("eventing").getCollection("events");
            awaitTrue("the connector and its task run", () -> running(api));

            for (int i = 0; i < 300; i++) {
                producer.send(new ProducerRecord<>("eventing.store", id(i), storeRecord(i, "NEW")));
            }
            // Delivered again, as after a crash of the router before its offsets were committed.
            for (int i = 0; i < 300; i += 3) {
                producer.send(new ProducerRecord<>("eventing.store", id(i), storeRecord(i, "NEW")));
            }
            producer.flush();
            awaitTrue("300 documents", () -> stored(events) == 300);
            // Once the tasks run on the current configuration: Connect writes task configurations after a change.
            long configRecordsBefore = endOffsets(kafka, "it-store-connect.configs");
            api.restart();
            awaitTrue("the connector and its task run after the restart", () -> running(api));
            long configRecordsAfter = endOffsets(kafka, "it-store-connect.configs");
            for (int i = 300; i < 310; i++) {
                producer.send(new ProducerRecord<>("eventing.store", id(i), storeRecord(i, "NEW")));
            }
            producer.flush();
            awaitTrue("310 documents", () -> stored(events) == 310);
            Document first = events.find(new Document("_id", id(0))).first();
            Set<String> ids = new TreeSet<>();
            events.find(EVT).forEach(d -> ids.add(d.getString("_id")));

            assertThat(stored(events)).isEqualTo(310);
            assertThat(ids).hasSize(310).contains("evt-000", "evt-299", "evt-309");
            assertThat(first.get("metadata", Document.class).get("receivedAt"))
                    .isInstanceOf(Date.class)
                    .isEqualTo(Date.from(java.time.Instant.parse("2026-12-05T10:15:30.456Z")));
            assertThat(first.get("expiresAt")).isInstanceOf(Date.class);
            assertThat(first.getString("eventId")).isEqualTo("evt-000");
            assertThat(first.get("body", Document.class).getString("status")).isEqualTo("NEW");
            assertThat(configRecordsAfter).isEqualTo(configRecordsBefore);
            assertThat(health(api).getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void shouldDeadLetterARecordWithContextWhenTheSinkCannotWriteIt(KafkaBroker kafka) throws Exception {
        try (AdminApiServer api = new AdminApiServer(kafka, adminArgs()).start();
                MongoClient client = MongoClients.create(mongoUri);
                KafkaProducer<String, String> producer = producer(kafka)) {
            MongoCollection<Document> events = client.getDatabase("eventing").getCollection("events");
            awaitTrue("the connector and its task run", () -> running(api));

            producer.send(new ProducerRecord<>("eventing.store", "bad-json", "{not json"));
            producer.send(new ProducerRecord<>("eventing.store", "no-id", "{\"eventId\": \"no-id\"}"));
            producer.send(new ProducerRecord<>("eventing.store", "after-bad", storeRecord("after-bad", "NEW")));
            producer.flush();
            List<ConsumerRecord<String, String>> deadLetters = readDeadLetters(kafka, 2);

            awaitTrue(
                    "the record after the bad ones",
                    () -> events.countDocuments(new Document("_id", "after-bad")) == 1);

            // Connect's dead-letter queue is at least once: a record may be reported twice.
            assertThat(deadLetters).extracting(ConsumerRecord::key).containsOnly("bad-json", "no-id");
            assertThat(deadLetters)
                    .allSatisfy(r -> assertThat(r.headers()
                                    .lastHeader("__connect.errors.topic")
                                    .value())
                            .asString(StandardCharsets.UTF_8)
                            .isEqualTo("eventing.store"));
            assertThat(deadLetters)
                    .allSatisfy(r -> assertThat(r.headers().lastHeader("__connect.errors.exception.class.name"))
                            .isNotNull());
            assertThat(events.countDocuments(new Document("_id", "no-id"))).isZero();
            assertThat(health(api).getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void shouldUpsertEachLedgerRecordIntoDeliveriesByEventIdWhenRedelivered(KafkaBroker kafka) throws Exception {
        try (AdminApiServer api = new AdminApiServer(kafka, adminArgs()).start();
                MongoClient client = MongoClients.create(mongoUri);
                KafkaProducer<String, String> producer = producer(kafka)) {
            MongoCollection<Document> deliveries =
                    client.getDatabase("eventing").getCollection("deliveries");
            MongoCollection<Document> events = client.getDatabase("eventing").getCollection("events");
            awaitTrue("the connector and its task run", () -> running(api));

            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>("eventing.ledger", "led-" + i, ledgerRecord("led-" + i)));
            }
            for (int i = 0; i < 20; i += 2) {
                producer.send(new ProducerRecord<>("eventing.ledger", "led-" + i, ledgerRecord("led-" + i)));
            }
            producer.flush();
            awaitTrue("20 ledger documents", () -> deliveries.countDocuments(LED) == 20);
            Document first = deliveries.find(new Document("_id", "led-0")).first();

            assertThat(deliveries.countDocuments(LED)).isEqualTo(20);
            assertThat(events.countDocuments(LED)).isZero();
            assertThat(first.getString("eventId")).isEqualTo("led-0");
            assertThat(first.get("receivedAt"))
                    .isEqualTo(Date.from(java.time.Instant.parse("2026-12-05T10:15:30.456Z")));
            assertThat(first.getList("deliveries", Document.class))
                    .extracting(d -> d.getString("subscription") + ":" + d.getString("outcome"))
                    .containsExactly("billing-claims:DELIVERED", "tx-only:FILTERED");
            assertThat(first.getList("deliveries", Document.class).get(0).getInteger("partition"))
                    .isEqualTo(2);
        }
    }

    private static final Document LED = new Document("_id", new Document("$regex", "^led-"));

    /** A ledger record as the router writes it: Extended JSON (relaxed), {@code _id} = the event id. */
    private static String ledgerRecord(String id) {
        return """
                {"_id": "%s", "eventId": "%s", "eventType": "Claim.Submitted.Reconsideration",
                 "receivedAt": {"$date": "2026-12-05T10:15:30.456Z"},
                 "expiresAt": {"$date": "2027-01-04T10:15:30.456Z"}, "synthetic": false,
                 "deliveries": [
                   {"subscription": "billing-claims", "app": "billing", "outcome": "DELIVERED",
                    "topic": "eventing.sub.billing-claims", "partition": 2, "redactedPaths": ["/member/ssn"]},
                   {"subscription": "tx-only", "app": "analytics", "outcome": "FILTERED", "reason": "tags"}]}
                """.formatted(id, id);
    }

    private static String[] adminArgs() {
        return new String[] {
            "--eventing.store.connect.url=" + connect.url(),
            "--eventing.store.uri=" + mongoUri,
            "--eventing.store.connect.replication-factor=1",
            "--eventing.store.connect.max-backoff=1s"
        };
    }

    /** This test's documents; the other's share the collection. */
    private static final Document EVT = new Document("_id", new Document("$regex", "^evt-"));

    private static long stored(MongoCollection<Document> events) {
        return events.countDocuments(EVT);
    }

    private static String id(int i) {
        return "evt-%03d".formatted(i);
    }

    private static String storeRecord(int i, String status) {
        return storeRecord(id(i), status);
    }

    /** A record as the router writes it: Extended JSON (relaxed), {@code _id} = the event id. */
    private static String storeRecord(String id, String status) {
        return """
                {"_id": "%s", "eventId": "%s", "eventType": "Claim.Submitted.Reconsideration",
                 "noun": "Claim", "verb": "Submitted", "object": "Reconsideration", "subObject": null,
                 "metadata": {"transactionId": "tx-42", "userId": "u-7",
                              "occurredAt": {"$date": "2026-12-05T10:15:30.123Z"},
                              "receivedAt": {"$date": "2026-12-05T10:15:30.456Z"}},
                 "tags": ["state:TX"], "synthetic": false,
                 "body": {"claimId": "C-1", "status": "%s", "member": {"ssn": "***REDACTED***"}},
                 "storePolicy": "REDACT", "redactedPaths": ["/member/ssn"],
                 "expiresAt": {"$date": "2027-01-04T10:15:30.456Z"}}
                """.formatted(id, id, status);
    }

    private boolean running(AdminApiServer api) {
        JsonNode status = connectGet("/connectors/eventing-store-sink/status");
        return "RUNNING".equals(status.at("/connector/state").asString(""))
                && "RUNNING".equals(status.at("/tasks/0/state").asString(""))
                && Status.UP.equals(health(api).getStatus());
    }

    private JsonNode connectGet(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(connect.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.missingNode();
        } catch (Exception e) {
            return JSON.missingNode();
        }
    }

    /** The connector's health as admin-api reports it in {@code /actuator/health}. */
    private static Health health(AdminApiServer api) {
        return api.context().getBean(StoreConnectorHealthIndicator.class).health();
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(
                kafka.clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(),
                new StringSerializer());
    }

    private static long endOffsets(KafkaBroker kafka, String topic) throws Exception {
        Map<String, TopicDescription> d =
                kafka.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
        List<TopicPartition> partitions = d.get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(kafka.clientConfig(Map.of()), new StringDeserializer(), new StringDeserializer())) {
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** Reads the dead-letter topic until it has records of {@code count} keys. */
    private static List<ConsumerRecord<String, String>> readDeadLetters(KafkaBroker kafka, int count)
            throws InterruptedException {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                kafka.clientConfig(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(),
                new StringDeserializer())) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.stream().map(ConsumerRecord::key).distinct().count() < count
                    && System.nanoTime() < deadline) {
                if (consumer.subscription().isEmpty()) {
                    try {
                        consumer.assign(List.of(new TopicPartition("eventing.store.deadletter", 0)));
                        consumer.seekToBeginning(consumer.assignment());
                    } catch (RuntimeException notYet) {
                        Thread.sleep(200);
                        continue;
                    }
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + WAIT + ": " + what);
    }
}
