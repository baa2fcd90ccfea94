package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store benchmark's seeding and its driver-side queries against an in-process mongo-java-server (memory backend).
 * admin-api is not started here: the HTTP half of the mode is measured on the platform itself.
 */
class StoreQueryIT {
    private MongoServer server;
    private MongoClient client;
    private String uri;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        uri = "mongodb://127.0.0.1:" + address.getPort();
        client = MongoClients.create(uri);
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void shouldSeedDocumentsOfTheProductionShapeOnceWhenSeededTwice() throws Exception {
        MongoCollection<RawBsonDocument> events =
                client.getDatabase("eventing").getCollection("events", RawBsonDocument.class);
        Instant now = Instant.now();

        long first = StoreQuery.seed(events, 2000, 300, now);
        long second = StoreQuery.seed(events, 2000, 300, now);

        assertThat(first).isEqualTo(2000);
        assertThat(second).isEqualTo(0);
        List<Document> all =
                client.getDatabase("eventing").getCollection("events").find().into(new ArrayList<>());
        assertThat(all).hasSize(2000);
        Map<String, Integer> perTransaction = new HashMap<>();
        for (Document d : all) {
            assertThat(SeedEvents.TYPES).contains(d.getString("eventType"));
            assertThat(d.getString("_id")).isEqualTo(d.getString("eventId"));
            assertThat(d.getList("tags", String.class).get(0)).matches("state:[A-Z]{2}");
            assertThat(d.get("body", Document.class)
                            .get("member", Document.class)
                            .getString("ssn"))
                    .isEqualTo("***REDACTED***");
            assertThat(d.getList("redactedPaths", String.class)).containsExactly("/member/ssn");
            Document metadata = d.get("metadata", Document.class);
            Instant received = metadata.getDate("receivedAt").toInstant();
            assertThat(received).isBetween(now.minus(Duration.ofHours(24)), now);
            assertThat(metadata.getString("sourceSystem")).isEqualTo("load-tool-seed");
            perTransaction.merge(metadata.getString("transactionId"), 1, Integer::sum);
        }
        assertThat(perTransaction.values()).allSatisfy(n -> assertThat(n).isBetween(2, 5));
        assertThat(perTransaction).hasSizeGreaterThan(2000 / 5);
    }

    @Test
    void shouldTimeTheDriverQueriesAndFindWhatTheFilterMeansWhenRunAsTheModeWithoutAdminApi() throws Exception {
        StoreQuery.Options options = StoreQuery.Options.of(Map.of(
                "admin", "http://127.0.0.1:" + closedPort(),
                "store-uri", uri,
                "documents", "2000",
                "lookups", "5",
                "searches", "5",
                "warmup", "1"));

        List<StoreQuery.Series> series = new StoreQuery(options, "an-admin-token-of-the-test").run();

        StoreQuery.Series httpLookups = series.get(0);
        StoreQuery.Series driverLookups = series.get(1);
        StoreQuery.Series driverSearches = series.get(3);
        assertThat(httpLookups.ran()).isEqualTo(5);
        assertThat(httpLookups.failures).containsOnlyKeys("ConnectException");
        assertThat(driverLookups.latencies.count()).isEqualTo(5);
        // Every looked-up transaction is a seeded one: 2 to 5 events each.
        assertThat(driverLookups.items).isBetween(10L, 25L);
        assertThat(driverSearches.latencies.count()).isEqualTo(5);
        assertThat(driverSearches.items).isBetween(0L, 5L * (StoreQuery.PAGE + 1));
    }

    @Test
    void shouldFindExactlyTheRealEventsOfTheTypeWithTheTagInTheRangeWhenSearchingThroughTheDriver() throws Exception {
        MongoCollection<RawBsonDocument> raw =
                client.getDatabase("eventing").getCollection("events", RawBsonDocument.class);
        Instant now = Instant.now();
        StoreQuery.seed(raw, 2000, 300, now);
        MongoCollection<Document> events = raw.withDocumentClass(Document.class);
        Instant from = now.minus(Duration.ofHours(6));
        String type = "Claim.Submitted.Reconsideration";

        List<Document> found =
                events.find(StoreQuery.searchFilter(type, from, now)).into(new ArrayList<>());

        long expected = events.find().into(new ArrayList<>()).stream()
                .filter(d -> d.getString("eventType").equals(type))
                .filter(d -> d.getList("tags", String.class).contains("state:TX"))
                .filter(d -> !d.getBoolean("synthetic"))
                .filter(d -> {
                    Instant at = d.get("metadata", Document.class)
                            .getDate("receivedAt")
                            .toInstant();
                    return !at.isBefore(from) && at.isBefore(now);
                })
                .count();
        assertThat(expected).isPositive();
        assertThat(found).hasSize((int) expected);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
