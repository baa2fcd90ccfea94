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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event store on the jar survives {@code kill -9}: every event the intake acknowledged before the kill is a
 * document once the platform is started again on the same data directory, and none is there twice. The events go the
 * whole way: intake, firehose, router (the store record in its transaction), Kafka Connect's MongoDB sink, the store.
 */
class StoreDurabilityIT {
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldKeepEveryAcknowledgedEventOnceWhenKilledMidLoad() throws Exception {
        try (StandaloneProcess platform = new StandaloneProcess(dataDir)) {
            platform.start();
            String producerToken = register(platform);
            Publisher publisher = new Publisher(platform, producerToken);
            publisher.awaitFirstBatch();
            awaitTrue("the store's sink connector runs", () -> sinkRunning(platform));
            try (MongoClient client = MongoClients.create(platform.store())) {
                MongoCollection<Document> events =
                        client.getDatabase("eventing").getCollection("events");

                publisher.start();
                awaitTrue("the sink writes while events are still coming", () -> events.countDocuments() >= 500);
                platform.kill();
                publisher.stopAndWait();
            }
            platform.start();
            Set<String> acknowledged = publisher.acknowledged();
            try (MongoClient client = MongoClients.create(platform.store())) {
                MongoCollection<Document> events =
                        client.getDatabase("eventing").getCollection("events");
                awaitTrue(
                        "every acknowledged event stored",
                        () -> events.countDocuments(new Document("_id", new Document("$in", List.copyOf(acknowledged))))
                                == acknowledged.size());
                List<String> stored = new ArrayList<>();
                events.find().forEach(d -> stored.add(d.getString("_id")));

                assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(500);
                assertThat(stored).containsAll(acknowledged).doesNotHaveDuplicates();
                // At most the batch under way at the kill, written to the firehose but never answered.
                assertThat(stored.size() - acknowledged.size()).isBetween(0, Publisher.PER_BATCH);
                assertThat(events.countDocuments(new Document("body.member.ssn", "123-45-6789")))
                        .isZero();
            }
            assertThat(platform.stop()).isIn(0, 143);
        }
    }

    /** Registers the event type and a producer app; answers the app's token. */
    private static String register(StandaloneProcess platform) throws Exception {
        String adminToken = platform.adminToken();
        HttpResponse<String> type = platform.post(platform.admin() + "/v1/event-types", adminToken, """
                {"noun": "Claim", "verb": "Submitted", "object": "Durable", "owner": "claims",
                 "schema": {"type": "object", "required": ["claimId"],
                            "properties": {"claimId": {"type": "string"},
                                           "member": {"type": "object",
                                                      "properties": {"ssn": {"type": "string"}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """);
        assertThat(type.statusCode()).as(type.body()).isEqualTo(201);
        HttpResponse<String> app = platform.post(platform.admin() + "/v1/apps", adminToken, """
                {"id": "durable-portal", "team": "claims", "publish": ["Claim.*.*"],
                 "rateLimit": {"eventsPerSecond": 100000, "burst": 100000}}
                """);
        assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
        return JSON.readTree(app.body()).get("token").asString();
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

    /** Publishes batches through the intake's REST API and remembers the event ids each answer acknowledged. */
    static final class Publisher {
        static final int PER_BATCH = 50;

        private final StandaloneProcess platform;
        private final String token;
        private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private volatile boolean stopped;
        private Thread thread;

        Publisher(StandaloneProcess platform, String token) {
            this.platform = platform;
            this.token = token;
        }

        /** The intake takes the app's events once it has read the registry: until then, batches are refused. */
        void awaitFirstBatch() throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> ids;
            while ((ids = publishBatch(0)).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the intake never took an event of the new app");
                }
                Thread.sleep(250);
            }
            acknowledged.addAll(ids);
        }

        void start() {
            thread = new Thread(this::run, "publisher");
            thread.start();
        }

        private void run() {
            try {
                for (int batch = 1; !stopped; batch++) {
                    acknowledged.addAll(publishBatch(batch));
                }
            } catch (Exception platformGone) {
                // the platform was killed: what was acknowledged before is what counts
            }
        }

        /** One batch; answers the ids of the events the intake acknowledged (none when it refused the request). */
        List<String> publishBatch(int batch) throws Exception {
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < PER_BATCH; i++) {
                events.append(i == 0 ? "" : ",").append("""
                                {"noun": "Claim", "verb": "Submitted", "object": "Durable",
                                 "metadata": {"transactionId": "tx-%d-%d"},
                                 "body": {"claimId": "C-%d-%d", "member": {"ssn": "123-45-6789"}}}
                                """.formatted(batch, i, batch, i));
            }
            HttpResponse<String> r =
                    platform.post(platform.intake() + "/v1/events/batch", token, "{\"events\": [" + events + "]}");
            List<String> ids = new ArrayList<>();
            if (r.statusCode() == 200) {
                for (JsonNode result : JSON.readTree(r.body()).get("results")) {
                    if (result.has("eventId")) {
                        ids.add(result.get("eventId").asString());
                    }
                }
            }
            return ids;
        }

        void stopAndWait() throws InterruptedException {
            stopped = true;
            thread.join(60_000);
        }

        Set<String> acknowledged() {
            return Set.copyOf(acknowledged);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        StandaloneProcess.awaitTrue(what, WAIT, condition);
    }
}
