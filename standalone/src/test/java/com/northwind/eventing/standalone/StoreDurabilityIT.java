package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event store on the jar survives {@code kill -9}: every record acknowledged to its writer before the kill is a
 * document once the platform is started again on the same data directory, and none is there twice.
 */
class StoreDurabilityIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldKeepEveryAcknowledgedRecordOnceWhenKilledMidStream() throws Exception {
        try (StandaloneProcess platform = new StandaloneProcess(dataDir)) {
            platform.start();
            StoreWriter writer = new StoreWriter(platform.bootstrapServers());
            awaitTrue("the store's sink connector runs", () -> sinkRunning(platform));
            try (MongoClient client = MongoClients.create(platform.store())) {
                MongoCollection<Document> events =
                        client.getDatabase("eventing").getCollection("events");

                writer.start();
                awaitTrue("the sink writes while records are still coming", () -> events.countDocuments() >= 500);
                platform.kill();
                writer.stopAndWait();
            }
            platform.start();
            awaitTrue("the store's sink connector runs again", () -> sinkRunning(platform));
            Set<String> acknowledged = writer.acknowledged();
            try (MongoClient client = MongoClients.create(platform.store())) {
                MongoCollection<Document> events =
                        client.getDatabase("eventing").getCollection("events");
                awaitTrue(
                        "every acknowledged record stored",
                        () -> events.countDocuments(new Document("_id", new Document("$in", List.copyOf(acknowledged))))
                                == acknowledged.size());
                List<String> stored = new ArrayList<>();
                events.find().forEach(d -> stored.add(d.getString("_id")));

                assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(500);
                assertThat(stored).containsAll(acknowledged).doesNotHaveDuplicates();
                // At most the one transaction under way at the kill, if the broker committed it unacknowledged.
                assertThat(stored.size() - acknowledged.size()).isBetween(0, StoreWriter.PER_TRANSACTION);
            }
            assertThat(platform.stop()).isIn(0, 143);
        }
    }

    private boolean sinkRunning(StandaloneProcess platform) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(platform.connect() + "/connectors/eventing-store-sink/status"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200
                    && r.body().matches(".*\"connector\":\\{\"state\":\"RUNNING\".*")
                    && r.body().matches(".*\"tasks\":\\[\\{\"id\":0,\"state\":\"RUNNING\".*");
        } catch (Exception notYet) {
            return false;
        }
    }

    /**
     * Writes store records to {@code eventing.store} as the router does, in transactions, and remembers those whose
     * transaction Kafka acknowledged. (Once the router writes store records, publishing through the intake and
     * remembering the accepted event ids is the same test.)
     */
    static final class StoreWriter {
        static final int PER_TRANSACTION = 50;

        private final Map<String, Object> config = new HashMap<>();
        private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private volatile boolean stopped;
        private Thread thread;

        StoreWriter(String bootstrapServers) throws Exception {
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "store-durability-it");
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                admin.createTopics(List.of(new NewTopic("eventing.store", 3, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }

        void start() {
            thread = new Thread(this::run, "store-writer");
            thread.start();
        }

        private void run() {
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                for (int tx = 0; !stopped; tx++) {
                    List<String> ids = new ArrayList<>();
                    producer.beginTransaction();
                    for (int i = 0; i < PER_TRANSACTION; i++) {
                        String id = "evt-%06d".formatted(tx * PER_TRANSACTION + i);
                        producer.send(new ProducerRecord<>("eventing.store", id, storeRecord(id)));
                        ids.add(id);
                    }
                    producer.commitTransaction();
                    acknowledged.addAll(ids);
                }
            } catch (RuntimeException brokerGone) {
                // the platform was killed: what was acknowledged before is what counts
            }
        }

        void stopAndWait() throws InterruptedException {
            stopped = true;
            thread.join(60_000);
        }

        Set<String> acknowledged() {
            return Set.copyOf(acknowledged);
        }

        private static String storeRecord(String id) {
            return """
                    {"_id": "%s", "eventId": "%s", "eventType": "Claim.Submitted.Reconsideration",
                     "metadata": {"transactionId": "tx-1", "receivedAt": {"$date": "2026-12-05T10:15:30.456Z"}},
                     "body": {"claimId": "C-1", "status": "NEW"}, "storePolicy": "REDACT",
                     "expiresAt": {"$date": "2027-01-04T10:15:30.456Z"}}
                    """.formatted(id, id);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + WAIT + ": " + what);
    }
}
