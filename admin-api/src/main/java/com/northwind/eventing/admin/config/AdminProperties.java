package com.northwind.eventing.admin.config;

import com.northwind.eventing.common.kafka.TopicReplication;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * admin-api's configuration, checked at start so a bad value stops it with a message rather than at first use.
 *
 * @param adminToken the bearer token admins use ({@code EVENTING_ADMIN_TOKEN}); at least 16 characters
 * @param kafka how to reach Kafka
 * @param registry the compacted registry topics
 * @param subscriptions defaults for subscription topics
 * @param schemaRegistry the embedded schema registry, or the external one that replaces it
 */
@ConfigurationProperties(prefix = "eventing")
public record AdminProperties(
        String adminToken, Kafka kafka, Registry registry, Subscriptions subscriptions, SchemaRegistry schemaRegistry) {
    public AdminProperties {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException(
                    "eventing.admin-token is not set: set EVENTING_ADMIN_TOKEN to the token admins will use");
        }
        if (adminToken.length() < 16) {
            throw new IllegalArgumentException("eventing.admin-token must be at least 16 characters");
        }
        kafka = kafka == null ? new Kafka(null, null, null) : kafka;
        registry = registry == null ? new Registry(null, null, null, null) : registry;
        subscriptions = subscriptions == null ? new Subscriptions(0, 0) : subscriptions;
        TopicReplication.checkMinInsyncReplicas(
                kafka.minInsyncReplicas(), "eventing.registry.replication-factor", registry.replicationFactor());
        TopicReplication.checkMinInsyncReplicas(
                kafka.minInsyncReplicas(),
                "eventing.subscriptions.replication-factor",
                subscriptions.replicationFactor());
        schemaRegistry = schemaRegistry == null ? new SchemaRegistry(null, null, null, false) : schemaRegistry;
        if (adminToken.equals(schemaRegistry.serviceToken())) {
            throw new IllegalArgumentException(
                    "eventing.schema-registry.service-token must not be the admin token: it may write the platform's"
                            + " subjects, which the admin token may not");
        }
    }

    /** The replication admin-api gives the registry topics, the schemas topic and the replay topic it creates. */
    public TopicReplication registryTopics() {
        return new TopicReplication(registry.replicationFactor(), kafka.minInsyncReplicas());
    }

    /** The replication admin-api gives the subscription topics it creates. */
    public TopicReplication subscriptionTopics() {
        return new TopicReplication(subscriptions.replicationFactor(), kafka.minInsyncReplicas());
    }

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param properties extra client properties (security settings and the like), passed to every client
     * @param minInsyncReplicas {@code min.insync.replicas} of every topic admin-api creates; unset for the broker's
     *     default
     */
    public record Kafka(String bootstrapServers, Map<String, String> properties, Integer minInsyncReplicas) {
        public Kafka {
            bootstrapServers =
                    bootstrapServers == null || bootstrapServers.isBlank() ? "127.0.0.1:9092" : bootstrapServers;
            properties = properties == null ? Map.of() : Map.copyOf(properties);
            TopicReplication.checkMinInsyncReplicas(minInsyncReplicas);
        }
    }

    /**
     * @param replicationFactor replication of the registry topics; -1 for the broker's default
     * @param startTimeout how long start may take to read the registry topics to their end
     * @param writeTimeout how long a write waits for Kafka's acknowledgement and for its own record to be visible
     * @param maxStaleness how far behind a registry topic admin-api's view may fall, measured against end offsets it
     *     asks Kafka for, before admin-api is not ready: 30 s by default
     */
    public record Registry(
            Short replicationFactor,
            Duration startTimeout,
            Duration writeTimeout,
            String topicPrefix,
            Duration maxStaleness) {
        @ConstructorBinding
        public Registry {
            replicationFactor = replicationFactor == null ? -1 : replicationFactor;
            startTimeout = startTimeout == null ? Duration.ofSeconds(60) : startTimeout;
            writeTimeout = writeTimeout == null ? Duration.ofSeconds(15) : writeTimeout;
            topicPrefix = topicPrefix == null ? "eventing.registry." : topicPrefix;
            maxStaleness = maxStaleness == null ? Duration.ofSeconds(30) : maxStaleness;
            if (replicationFactor == 0 || replicationFactor < -1) {
                throw new IllegalArgumentException("eventing.registry.replication-factor must be -1 or 1 and more");
            }
            if (maxStaleness.compareTo(Duration.ofSeconds(2)) < 0) {
                // The followers ask for end offsets every second: less would flap.
                throw new IllegalArgumentException("eventing.registry.max-staleness must be at least 2s");
            }
        }

        /** The same with the default greatest staleness. */
        public Registry(Short replicationFactor, Duration startTimeout, Duration writeTimeout, String topicPrefix) {
            this(replicationFactor, startTimeout, writeTimeout, topicPrefix, null);
        }
    }

    /**
     * @param defaultPartitions partitions of a subscription topic when the request names none
     * @param replicationFactor replication of subscription topics; -1 for the broker's default
     */
    public record Subscriptions(int defaultPartitions, int replicationFactor) {
        public Subscriptions {
            defaultPartitions = defaultPartitions == 0 ? 3 : defaultPartitions;
            replicationFactor = replicationFactor == 0 ? -1 : replicationFactor;
            if (defaultPartitions < 1 || defaultPartitions > 1000) {
                throw new IllegalArgumentException("eventing.subscriptions.default-partitions must be 1 to 1000");
            }
        }
    }

    /**
     * @param url an external Confluent Schema Registry; when set, the embedded one is off
     * @param topic the compacted topic the embedded registry keeps schemas in
     * @param serviceToken the token the platform's own services write with ({@code
     *     EVENTING_SCHEMA_REGISTRY_SERVICE_TOKEN}); the only credential that may write the platform's subjects
     *     ({@code eventing.*}). At least 32 characters; none by default, and then nothing may write them
     * @param openWrites whether user subjects take writes without a credential, as Confluent's registry does by
     *     default; platform subjects and the global config keep needing theirs
     */
    public record SchemaRegistry(String url, String topic, String serviceToken, boolean openWrites) {
        public SchemaRegistry {
            url = url == null || url.isBlank() ? null : url;
            topic = topic == null || topic.isBlank() ? "_schemas" : topic;
            serviceToken = serviceToken == null || serviceToken.isBlank() ? null : serviceToken;
            if (serviceToken != null && serviceToken.length() < 32) {
                throw new IllegalArgumentException(
                        "eventing.schema-registry.service-token must be at least 32 characters");
            }
        }

        public boolean embedded() {
            return url == null;
        }
    }
}
