package com.northwind.eventing.admin.store;

import com.mongodb.ConnectionString;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the event store is and how admin-api searches and expires it ({@code eventing.store.*}), checked at start.
 * The Connect sink's own keys ({@code eventing.store.connect.*}) are bound elsewhere.
 *
 * @param uri the MongoDB connection string; never logged (it may carry credentials)
 * @param database the database
 * @param collection the collection the sink writes
 * @param sweepInterval how often expired events are deleted
 * @param serverSelectionTimeout how long a call waits for a reachable MongoDB before the store routes answer 503
 * @param queryTimeout the longest a search, lookup or count may run in MongoDB
 * @param defaultRange the time range a search or count covers when it names no {@code from}
 * @param maxRange the longest time range a search or count may cover
 * @param metricsInterval how often the store's size and the sink's lag are measured for the gauges
 * @param deliveriesCollection the collection the sink writes the delivery ledger ({@code eventing.ledger}) to
 * @param ledgerOffsetScan the most records of a subscription topic partition read to find a delivered copy's offset
 * @param backtest how far a backtest reads the store
 */
@ConfigurationProperties(prefix = "eventing.store")
public record StoreProperties(
        String uri,
        String database,
        String collection,
        Duration sweepInterval,
        Duration serverSelectionTimeout,
        Duration queryTimeout,
        Duration defaultRange,
        Duration maxRange,
        Duration metricsInterval,
        String deliveriesCollection,
        Integer ledgerOffsetScan,
        Backtest backtest) {
    static final int MAX_LEDGER_OFFSET_SCAN = 1_000_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    public StoreProperties {
        uri = uri == null || uri.isBlank() ? "mongodb://127.0.0.1:27017" : uri;
        database = database == null || database.isBlank() ? "eventing" : database;
        collection = collection == null || collection.isBlank() ? "events" : collection;
        sweepInterval = sweepInterval == null ? Duration.ofMinutes(1) : sweepInterval;
        serverSelectionTimeout = serverSelectionTimeout == null ? Duration.ofSeconds(2) : serverSelectionTimeout;
        queryTimeout = queryTimeout == null ? Duration.ofSeconds(10) : queryTimeout;
        defaultRange = defaultRange == null ? Duration.ofDays(1) : defaultRange;
        maxRange = maxRange == null ? Duration.ofDays(31) : maxRange;
        metricsInterval = metricsInterval == null ? Duration.ofSeconds(30) : metricsInterval;
        deliveriesCollection =
                deliveriesCollection == null || deliveriesCollection.isBlank() ? "deliveries" : deliveriesCollection;
        ledgerOffsetScan = ledgerOffsetScan == null ? 10_000 : ledgerOffsetScan;
        backtest = backtest == null ? new Backtest(null) : backtest;
        connectionString(uri);
        if (!NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("eventing.store.database must be 1 to 63 of A-Z a-z 0-9 _ -");
        }
        if (!NAME.matcher(collection).matches()) {
            throw new IllegalArgumentException("eventing.store.collection must be 1 to 63 of A-Z a-z 0-9 _ -");
        }
        if (!NAME.matcher(deliveriesCollection).matches()) {
            throw new IllegalArgumentException(
                    "eventing.store.deliveries-collection must be 1 to 63 of A-Z a-z 0-9 _ -");
        }
        if (deliveriesCollection.equals(collection)) {
            throw new IllegalArgumentException(
                    "eventing.store.deliveries-collection must differ from eventing.store.collection (" + collection
                            + "): the ledger's documents have the events' ids");
        }
        if (ledgerOffsetScan < 0 || ledgerOffsetScan > MAX_LEDGER_OFFSET_SCAN) {
            throw new IllegalArgumentException(
                    "eventing.store.ledger-offset-scan must be 0 (no offset lookup) to " + MAX_LEDGER_OFFSET_SCAN);
        }
        atLeast("eventing.store.sweep-interval", sweepInterval, Duration.ofSeconds(1));
        atLeast("eventing.store.server-selection-timeout", serverSelectionTimeout, Duration.ofMillis(100));
        atLeast("eventing.store.query-timeout", queryTimeout, Duration.ofMillis(100));
        atLeast("eventing.store.default-range", defaultRange, Duration.ofMinutes(1));
        atLeast("eventing.store.metrics-interval", metricsInterval, Duration.ofSeconds(1));
        if (maxRange.compareTo(defaultRange) < 0) {
            throw new IllegalArgumentException(
                    "eventing.store.max-range must be at least eventing.store.default-range (" + defaultRange + ")");
        }
    }

    /**
     * {@code eventing.store.backtest.*}.
     *
     * @param maxExamined the most stored events one backtest reads; past that it answers what it counted, truncated
     */
    record Backtest(Integer maxExamined) {
        static final int MAX = 10_000_000;

        Backtest {
            maxExamined = maxExamined == null ? 100_000 : maxExamined;
            if (maxExamined < 1 || maxExamined > MAX) {
                throw new IllegalArgumentException("eventing.store.backtest.max-examined must be 1 to " + MAX);
            }
        }
    }

    ConnectionString connectionString() {
        return connectionString(uri);
    }

    private static ConnectionString connectionString(String uri) {
        try {
            return new ConnectionString(uri);
        } catch (RuntimeException e) {
            // Neither the string nor the driver's message (which may quote it) is repeated: it may hold a password.
            throw new IllegalArgumentException(
                    "eventing.store.uri is not a MongoDB connection string (mongodb://host:port or mongodb+srv://...)");
        }
    }

    private static void atLeast(String key, Duration value, Duration least) {
        if (value.compareTo(least) < 0) {
            throw new IllegalArgumentException(key + " must be at least " + least);
        }
    }
}
