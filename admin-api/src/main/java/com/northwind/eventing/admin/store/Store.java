package com.northwind.eventing.admin.store;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.connection.ServerDescription;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The collection the sink writes, and the indexes admin-api keeps on it (docs/event-store.md, "Indexes"). */
@Component("eventStore")
class Store {
    private static final Logger log = LoggerFactory.getLogger(Store.class);

    static final String RECEIVED_AT = "metadata.receivedAt";
    static final String EXPIRES_AT = "expiresAt";
    /** A ledger document's time: the event's receivedAt, at the top level (docs/replay-and-ledger.md). */
    static final String LEDGER_RECEIVED_AT = "receivedAt";

    static final String LEDGER_SUBSCRIPTION = "deliveries.subscription";
    static final String LEDGER_OUTCOME = "deliveries.outcome";

    private final MongoClient client;
    private final MongoCollection<Document> events;
    private final MongoCollection<Document> deliveries;
    private final long queryTimeoutMillis;
    private volatile boolean indexed;

    Store(MongoClient storeMongoClient, StoreProperties properties) {
        this.client = storeMongoClient;
        this.events = storeMongoClient.getDatabase(properties.database()).getCollection(properties.collection());
        this.deliveries =
                storeMongoClient.getDatabase(properties.database()).getCollection(properties.deliveriesCollection());
        this.queryTimeoutMillis = properties.queryTimeout().toMillis();
    }

    MongoCollection<Document> events() {
        return events;
    }

    /** The delivery ledger: one document per routed event, {@code _id} = the event id. */
    MongoCollection<Document> deliveries() {
        return deliveries;
    }

    /** Bounds a search or count in MongoDB itself, so that no request keeps the server busy for longer. */
    long queryTimeout(TimeUnit unit) {
        return unit.convert(queryTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Whether the driver's monitor last reached a MongoDB server; never waits. */
    boolean reachable() {
        return client.getClusterDescription().getServerDescriptions().stream().anyMatch(ServerDescription::isOk);
    }

    boolean indexed() {
        return indexed;
    }

    /**
     * Creates the contract's indexes, each idempotently (MongoDB keeps an identical index as it is). An index MongoDB
     * refuses (an emulator without TTL, an index of the same keys with other options made by hand) is logged and left
     * as it is: searching works without it, only slower. Throws while the store is unreachable, to be tried again.
     */
    void ensureIndexes() {
        if (indexed) {
            return;
        }
        List<Bson> plain = List.of(
                Indexes.compoundIndex(
                        Indexes.ascending("eventType"), Indexes.descending(RECEIVED_AT), Indexes.descending("_id")),
                Indexes.compoundIndex(Indexes.descending(RECEIVED_AT), Indexes.descending("_id")),
                Indexes.ascending("metadata.transactionId", RECEIVED_AT),
                Indexes.ascending("metadata.userId"),
                Indexes.ascending("tags"),
                Indexes.ascending("searchTerms"));
        for (Bson keys : plain) {
            create(events, keys, new IndexOptions());
        }
        expiring(events);
        create(
                deliveries,
                Indexes.compoundIndex(
                        Indexes.ascending(LEDGER_SUBSCRIPTION),
                        Indexes.descending(LEDGER_RECEIVED_AT),
                        Indexes.descending("_id")),
                new IndexOptions());
        // GET /v1/deliveries?outcome=DEAD_LETTERED across subscriptions, newest first.
        create(
                deliveries,
                Indexes.compoundIndex(
                        Indexes.ascending(LEDGER_OUTCOME),
                        Indexes.descending(LEDGER_RECEIVED_AT),
                        Indexes.descending("_id")),
                new IndexOptions());
        expiring(deliveries);
        indexed = true;
        log.info("Event store indexes are in place on {} and {}", events.getNamespace(), deliveries.getNamespace());
    }

    /** On a real MongoDB the TTL monitor deletes expired documents; admin-api's sweeper does it as well. */
    private static void expiring(MongoCollection<Document> collection) {
        if (!create(collection, Indexes.ascending(EXPIRES_AT), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS))) {
            create(collection, Indexes.ascending(EXPIRES_AT), new IndexOptions());
        }
    }

    private static boolean create(MongoCollection<Document> collection, Bson keys, IndexOptions options) {
        try {
            collection.createIndex(keys, options);
            return true;
        } catch (MongoCommandException e) {
            log.warn(
                    "The event store refused the index {} {} on {}: {} ({}); going on without it",
                    keys.toBsonDocument().toJson(),
                    options,
                    collection.getNamespace(),
                    e.getErrorCodeName(),
                    e.getErrorCode());
            return false;
        }
    }
}
