package com.northwind.eventing.admin.store.connect;

import com.mongodb.ConnectionString;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Kafka Connect sink that fills the event store from {@code eventing.store} ({@code eventing.store.connect.*}),
 * checked at start.
 *
 * @param url Kafka Connect's REST URL ({@code http://host:8083}); none: admin-api configures no connector
 * @param connectorName the connector's name in Connect
 * @param connectionUri the MongoDB connection string as the Connect worker reaches it; none: {@code
 *     eventing.store.uri}. Never logged whole: it may carry a password
 * @param tasksMax how many sink tasks Connect may run (at most one per partition of {@code eventing.store})
 * @param replicationFactor replication of the dead-letter topic {@code eventing.store.deadletter} when Connect
 *     creates it; -1 for the broker's default
 * @param maxBackoff the longest wait between two attempts to reach Connect at start
 * @param requestTimeout how long one call to Connect's REST API may take
 */
@ConfigurationProperties(prefix = "eventing.store.connect")
record StoreConnectProperties(
        URI url,
        String connectorName,
        String connectionUri,
        Integer tasksMax,
        Short replicationFactor,
        Duration maxBackoff,
        Duration requestTimeout) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    StoreConnectProperties {
        connectorName = connectorName == null || connectorName.isBlank() ? "eventing-store-sink" : connectorName;
        connectionUri = connectionUri == null || connectionUri.isBlank() ? null : connectionUri;
        tasksMax = tasksMax == null ? 1 : tasksMax;
        replicationFactor = replicationFactor == null ? -1 : replicationFactor;
        maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
        if (url != null) {
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                    || url.getHost() == null
                    || url.getRawUserInfo() != null
                    || url.getRawQuery() != null
                    || url.getRawFragment() != null) {
                throw new IllegalArgumentException(
                        "eventing.store.connect.url must be an http(s) URL with a host and no user, query or fragment,"
                                + " such as http://127.0.0.1:8083");
            }
        }
        if (!NAME.matcher(connectorName).matches()) {
            // It goes into the REST API's paths as it is.
            throw new IllegalArgumentException(
                    "eventing.store.connect.connector-name must be 1 to 100 of A-Z a-z 0-9 . _ -, starting with a"
                            + " letter or digit");
        }
        if (connectionUri != null) {
            connectionString("eventing.store.connect.connection-uri", connectionUri);
        }
        if (tasksMax < 1 || tasksMax > 100) {
            throw new IllegalArgumentException("eventing.store.connect.tasks-max must be 1 to 100");
        }
        if (replicationFactor == 0 || replicationFactor < -1) {
            throw new IllegalArgumentException("eventing.store.connect.replication-factor must be -1 or 1 and more");
        }
        if (maxBackoff.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("eventing.store.connect.max-backoff must be at least 100ms");
        }
        if (requestTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("eventing.store.connect.request-timeout must be at least 1s");
        }
    }

    /** Checks a connection string without repeating it or the driver's message, which may quote its password. */
    static ConnectionString connectionString(String key, String uri) {
        try {
            return new ConnectionString(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    key + " is not a MongoDB connection string (mongodb://host:port or mongodb+srv://...)");
        }
    }
}
