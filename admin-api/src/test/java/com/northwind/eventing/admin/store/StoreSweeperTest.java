package com.northwind.eventing.admin.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sweeper and the indexes on a MongoDB wire-protocol server in memory, through the driver admin-api uses. */
class StoreSweeperTest {
    private InMemoryMongo mongo;
    private MongoClient client;
    private Store store;

    @BeforeEach
    void start() {
        mongo = new InMemoryMongo();
        client = MongoClients.create(mongo.uri());
        store = new Store(client, properties(mongo.uri()));
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    @Test
    void shouldDeleteExactlyTheExpiredEventsWhenTheClockHasMovedPastThem() {
        // given 500 events received over 100 days, each kept 30 days
        Corpus corpus = new Corpus(3);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        corpus.add(mongo.events(), "ev-", 500, start, Duration.ofDays(100));
        Instant now = Instant.parse("2026-03-15T12:00:00Z");
        StoreSweeper sweeper = new StoreSweeper(store, Clock.fixed(now, ZoneOffset.UTC));

        // when
        long deleted = sweeper.sweep();

        // then
        Set<String> expectedLeft = new HashSet<>();
        corpus.events().stream().filter(e -> e.expiresAt().isAfter(now)).forEach(e -> expectedLeft.add(e.eventId()));
        List<String> left = new ArrayList<>();
        mongo.events().find().forEach(d -> left.add(d.getString("_id")));
        assertThat(deleted).isEqualTo(500 - expectedLeft.size());
        assertThat(deleted).isPositive();
        assertThat(left).containsExactlyInAnyOrderElementsOf(expectedLeft);
    }

    @Test
    void shouldDeleteAnEventWhenItsExpiryIsExactlyNow() {
        // given
        Instant expiry = Instant.parse("2026-02-01T00:00:00Z");
        mongo.events().insertOne(new Document("_id", "at").append("expiresAt", java.util.Date.from(expiry)));
        mongo.events()
                .insertOne(new Document("_id", "after").append("expiresAt", java.util.Date.from(expiry.plusMillis(1))));
        StoreSweeper sweeper = new StoreSweeper(store, Clock.fixed(expiry, ZoneOffset.UTC));

        // when
        long deleted = sweeper.sweep();

        // then
        assertThat(deleted).isEqualTo(1);
        assertThat(mongo.events().find().first().getString("_id")).isEqualTo("after");
    }

    @Test
    void shouldCreateTheContractsIndexesOnceWhenAskedTwice() {
        // given
        store.ensureIndexes();
        Store again = new Store(client, properties(mongo.uri()));

        // when
        again.ensureIndexes();

        // then
        List<String> keys = new ArrayList<>();
        mongo.events()
                .listIndexes()
                .forEach(i -> keys.add(i.get("key", Document.class).toJson()));
        assertThat(keys)
                .containsExactlyInAnyOrder(
                        "{\"_id\": 1}",
                        "{\"eventType\": 1, \"metadata.receivedAt\": -1, \"_id\": -1}",
                        "{\"metadata.receivedAt\": -1, \"_id\": -1}",
                        "{\"metadata.transactionId\": 1, \"metadata.receivedAt\": 1}",
                        "{\"metadata.userId\": 1}",
                        "{\"tags\": 1}",
                        "{\"searchTerms\": 1}",
                        "{\"expiresAt\": 1}");
        assertThat(again.indexed()).isTrue();
        List<String> ledgerKeys = new ArrayList<>();
        deliveries()
                .listIndexes()
                .forEach(i -> ledgerKeys.add(i.get("key", Document.class).toJson()));
        assertThat(ledgerKeys)
                .containsExactlyInAnyOrder(
                        "{\"_id\": 1}",
                        "{\"deliveries.subscription\": 1, \"receivedAt\": -1, \"_id\": -1}",
                        "{\"deliveries.outcome\": 1, \"receivedAt\": -1, \"_id\": -1}",
                        "{\"expiresAt\": 1}");
    }

    @Test
    void shouldDeleteExpiredLedgerDocumentsWhenTheirEventsExpire() {
        // given a ledger document that expired a millisecond ago, one that expires now, and one that has a while left
        Instant now = Instant.parse("2026-02-01T00:00:00Z");
        deliveries()
                .insertOne(new Document("_id", "gone").append("expiresAt", java.util.Date.from(now.minusMillis(1))));
        deliveries().insertOne(new Document("_id", "now").append("expiresAt", java.util.Date.from(now)));
        deliveries()
                .insertOne(new Document("_id", "kept").append("expiresAt", java.util.Date.from(now.plusSeconds(60))));
        mongo.events()
                .insertOne(new Document("_id", "gone").append("expiresAt", java.util.Date.from(now.minusMillis(1))));
        StoreSweeper sweeper = new StoreSweeper(store, Clock.fixed(now, ZoneOffset.UTC));

        // when
        long deleted = sweeper.sweep();

        // then
        List<String> left = new ArrayList<>();
        deliveries().find().forEach(d -> left.add(d.getString("_id")));
        assertThat(deleted).isEqualTo(3);
        assertThat(left).containsExactly("kept");
        assertThat(mongo.events().countDocuments()).isZero();
    }

    private com.mongodb.client.MongoCollection<Document> deliveries() {
        return client.getDatabase("eventing").getCollection("deliveries");
    }

    private static StoreProperties properties(String uri) {
        return new StoreProperties(uri, null, null, null, null, null, null, null, null, null, null, null);
    }
}
