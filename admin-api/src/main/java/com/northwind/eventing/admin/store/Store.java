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

    private final MongoClient client;
    private final MongoCollection<Document> events;
    private final long queryTimeoutMillis;
    private volatile boolean indexed;

    Store(MongoClient storeMongoClient, StoreProperties properties) {
        this.client = storeMongoClient;
        this.events = storeMongoClient.getDatabase(properties.database()).getCollection(properties.collection());
        this.queryTimeoutMillis = properties.queryTimeout().toMillis();
    }

    MongoCollection<Document> events() {
        return events;
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
            create(keys, new IndexOptions());
        }
        // On a real MongoDB the TTL monitor deletes expired events; admin-api's sweeper does it as well.
        if (!create(Indexes.ascending(EXPIRES_AT), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS))) {
            create(Indexes.ascending(EXPIRES_AT), new IndexOptions());
        }
        indexed = true;
        log.info("Event store indexes are in place on {}", events.getNamespace());
    }

    private boolean create(Bson keys, IndexOptions options) {
        try {
            events.createIndex(keys, options);
            return true;
        } catch (MongoCommandException e) {
            log.warn(
                    "The event store refused the index {} {}: {} ({}); going on without it",
                    keys.toBsonDocument().toJson(),
                    options,
                    e.getErrorCodeName(),
                    e.getErrorCode());
            return false;
        }
    }
}
