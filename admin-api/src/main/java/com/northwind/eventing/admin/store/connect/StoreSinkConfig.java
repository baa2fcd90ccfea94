package com.northwind.eventing.admin.store.connect;

import com.mongodb.ConnectionString;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;

/**
 * The MongoDB sink connector's configuration, as admin-api puts it into Connect: every record of {@code
 * eventing.store} (a JSON object, MongoDB Extended JSON, whose {@code _id} is the event id) replaces the document
 * with that {@code _id}, or inserts it, so a record delivered again changes nothing; the records of {@code
 * eventing.ledger} the same way, into the deliveries collection.
 *
 * <p>Errors: a record the sink cannot write for a reason of its own (not JSON, no {@code _id}, refused by MongoDB)
 * goes to {@code eventing.store.deadletter} with Connect's error context in {@code __connect.errors.*} headers, and
 * the sink goes on; an outage of MongoDB ({@code mongo.errors.tolerance=data}) fails the task instead, so that its
 * records stay unconsumed rather than all going to the dead-letter topic. Nothing is logged per record: the
 * connector would log the record, body included.
 */
record StoreSinkConfig(Map<String, String> config, Map<String, String> loggable) {
    static final String TOPIC = "eventing.store";
    /** The router's delivery ledger, upserted by event id into its own collection (docs/replay-and-ledger.md). */
    static final String LEDGER_TOPIC = "eventing.ledger";

    static final String DEAD_LETTER_TOPIC = "eventing.store.deadletter";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    static StoreSinkConfig of(StoreConnectProperties properties, Environment environment) {
        String uri = properties.connectionUri() != null
                ? properties.connectionUri()
                : environment.getProperty("eventing.store.uri", "mongodb://127.0.0.1:27017");
        ConnectionString parsed = StoreConnectProperties.connectionString(
                properties.connectionUri() != null ? "eventing.store.connect.connection-uri" : "eventing.store.uri",
                uri);
        String database = name(environment, "eventing.store.database", "eventing");
        String collection = name(environment, "eventing.store.collection", "events");
        String deliveries = name(environment, "eventing.store.deliveries-collection", "deliveries");
        Map<String, String> c = new TreeMap<>();
        c.put("connector.class", "com.mongodb.kafka.connect.MongoSinkConnector");
        c.put("tasks.max", String.valueOf(properties.tasksMax()));
        c.put("topics", TOPIC + "," + LEDGER_TOPIC);
        c.put("connection.uri", uri);
        c.put("database", database);
        c.put("collection", collection);
        // Everything else (id strategy, write model, errors) is the same for both topics.
        c.put("topic.override." + LEDGER_TOPIC + ".collection", deliveries);
        // The value is parsed by the connector (BsonDocument.parse), Extended JSON included: {"$date": ..} is a date.
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("document.id.strategy", "com.mongodb.kafka.connect.sink.processor.id.strategy.ProvidedInValueStrategy");
        // The provided _id "overwrites" itself; without this the connector logs a warning for every record.
        c.put("document.id.strategy.overwrite.existing", "true");
        c.put("writemodel.strategy", "com.mongodb.kafka.connect.sink.writemodel.strategy.ReplaceOneDefaultStrategy");
        c.put("errors.tolerance", "all");
        c.put("mongo.errors.tolerance", "data");
        c.put("errors.deadletterqueue.topic.name", DEAD_LETTER_TOPIC);
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        c.put("errors.deadletterqueue.topic.replication.factor", String.valueOf(properties.replicationFactor()));
        c.put("errors.log.enable", "false");
        c.put("errors.log.include.messages", "false");
        c.put("mongo.errors.log.enable", "false");
        // Only what the router committed: a record of an aborted transaction is never stored.
        c.put("consumer.override.isolation.level", "read_committed");
        Map<String, String> loggable = new TreeMap<>(c);
        loggable.put("connection.uri", masked(parsed));
        return new StoreSinkConfig(Map.copyOf(c), Collections.unmodifiableMap(loggable));
    }

    /** The connection string's scheme and hosts only: its user, password and options may be secrets. */
    static String masked(ConnectionString uri) {
        String scheme = uri.isSrvProtocol() ? "mongodb+srv://" : "mongodb://";
        return scheme + (uri.getUsername() != null ? "***@" : "") + String.join(",", uri.getHosts()) + "/...";
    }

    private static String name(Environment environment, String key, String fallback) {
        String value = environment.getProperty(key, fallback);
        value = value.isBlank() ? fallback : value;
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(key + " must be 1 to 63 of A-Z a-z 0-9 _ -");
        }
        return value;
    }
}
