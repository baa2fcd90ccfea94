package com.northwind.eventing.admin.audit;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.northwind.eventing.admin.store.StoreProperties;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The audit collection of the event store: one document per entry, {@code _id} = the entry's id, its searchable
 * members at the top level and the entry itself, as written to the topic, in {@code entry} (docs/audit.md).
 */
@Component
class AuditStore {
    private static final Logger log = LoggerFactory.getLogger(AuditStore.class);

    static final String AT = "at";
    static final String ACTOR = "actor";
    static final String ACTION = "action";
    static final String RESOURCE_TYPE = "resourceType";
    static final String RESOURCE_ID = "resourceId";
    /** The entry's offset on the audit topic: where the copy starts again after a restart. */
    static final String OFFSET = "offset";

    static final String ENTRY = "entry";

    private final MongoCollection<Document> collection;
    private final long queryTimeoutMillis;
    private volatile boolean indexed;

    AuditStore(MongoClient storeMongoClient, StoreProperties store, AuditProperties properties) {
        this.collection = storeMongoClient.getDatabase(store.database()).getCollection(properties.collection());
        this.queryTimeoutMillis = store.queryTimeout().toMillis();
    }

    MongoCollection<Document> collection() {
        return collection;
    }

    long queryTimeout(TimeUnit unit) {
        return unit.convert(queryTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The indexes the searches need, each created idempotently; one MongoDB refuses is logged and left out (searching
     * works without it, only slower). Throws while the store is unreachable, to be tried again.
     */
    void ensureIndexes() {
        if (indexed) {
            return;
        }
        List<Bson> indexes = List.of(
                Indexes.compoundIndex(Indexes.descending(AT), Indexes.descending("_id")),
                Indexes.compoundIndex(
                        Indexes.ascending(RESOURCE_TYPE, RESOURCE_ID),
                        Indexes.descending(AT),
                        Indexes.descending("_id")),
                Indexes.compoundIndex(Indexes.ascending(ACTOR), Indexes.descending(AT), Indexes.descending("_id")),
                Indexes.compoundIndex(Indexes.ascending(ACTION), Indexes.descending(AT), Indexes.descending("_id")),
                Indexes.descending(OFFSET));
        for (Bson keys : indexes) {
            try {
                collection.createIndex(keys, new IndexOptions());
            } catch (MongoCommandException e) {
                log.warn(
                        "The event store refused the index {} on {}: {}; going on without it",
                        keys.toBsonDocument().toJson(),
                        collection.getNamespace(),
                        e.getErrorCodeName());
            }
        }
        indexed = true;
    }
}
