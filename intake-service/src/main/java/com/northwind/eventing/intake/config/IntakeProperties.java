package com.northwind.eventing.intake.config;

import com.northwind.eventing.common.kafka.TopicReplication;
import com.northwind.eventing.common.model.RateLimit;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * The intake's configuration, checked at start.
 *
 * @param kafka how to reach Kafka
 * @param firehose the topic accepted events go to
 * @param schemaRegistry where the envelope schema is registered
 * @param limits request limits
 * @param rateLimit the default per-app rate limit, for apps without their own
 * @param grpc the gRPC listener
 * @param registry how current the intake's view of the registry must be
 */
@ConfigurationProperties(prefix = "eventing")
public record IntakeProperties(
        Kafka kafka,
        Firehose firehose,
        SchemaRegistry schemaRegistry,
        Limits limits,
        RateLimit rateLimit,
        Grpc grpc,
        Registry registry) {
    public IntakeProperties {
        kafka = kafka == null ? new Kafka(null, null, null, null) : kafka;
        firehose = firehose == null ? new Firehose(null, 0, 0) : firehose;
        TopicReplication.checkMinInsyncReplicas(
                kafka.minInsyncReplicas(), "eventing.firehose.replication-factor", firehose.replicationFactor());
        schemaRegistry = schemaRegistry == null ? new SchemaRegistry(null, null, null) : schemaRegistry;
        limits = limits == null ? new Limits(0, 0) : limits;
        rateLimit = rateLimit == null ? new RateLimit(5_000, 10_000) : rateLimit;
        grpc = grpc == null ? new Grpc(null, null, 0) : grpc;
        registry = registry == null ? new Registry(null) : registry;
    }

    /**
     * @param properties extra client properties for every Kafka client (security and the like)
     * @param startTimeout how long start may take to read the registry topics
     * @param minInsyncReplicas {@code min.insync.replicas} of the topics the intake creates (the firehose, and a
     *     registry topic it finds missing); unset for the broker's default
     */
    public record Kafka(
            String bootstrapServers, Map<String, String> properties, Duration startTimeout, Integer minInsyncReplicas) {
        public Kafka {
            bootstrapServers =
                    bootstrapServers == null || bootstrapServers.isBlank() ? "127.0.0.1:9092" : bootstrapServers;
            properties = properties == null ? Map.of() : Map.copyOf(properties);
            startTimeout = startTimeout == null ? Duration.ofSeconds(60) : startTimeout;
            TopicReplication.checkMinInsyncReplicas(minInsyncReplicas);
        }
    }

    /** The replication of the firehose, when the intake creates it. */
    public TopicReplication firehoseTopic() {
        return new TopicReplication(firehose.replicationFactor(), kafka.minInsyncReplicas());
    }

    /** The replication of a registry topic the intake finds missing: the broker's default, as admin-api's may differ. */
    public TopicReplication registryTopics() {
        return new TopicReplication(-1, kafka.minInsyncReplicas());
    }

    /** @param partitions partitions when intake creates the topic; replication -1 for the broker default */
    public record Firehose(String topic, int partitions, int replicationFactor) {
        public Firehose {
            topic = topic == null || topic.isBlank() ? "eventing.firehose" : topic;
            partitions = partitions == 0 ? 6 : partitions;
            replicationFactor = replicationFactor == 0 ? -1 : replicationFactor;
            if (partitions < 1) {
                throw new IllegalArgumentException("eventing.firehose.partitions must be 1 or more");
            }
            if (replicationFactor < -1 || replicationFactor > Short.MAX_VALUE) {
                throw new IllegalArgumentException("eventing.firehose.replication-factor must be -1 or 1 to 32767");
            }
        }
    }

    /**
     * @param url the registry's base URL(s)
     * @param bearerToken sent as {@code Authorization: Bearer} ({@code EVENTING_SCHEMA_REGISTRY_BEARER_TOKEN}): the
     *     platform's service token for the embedded registry, which may write the firehose's subject
     * @param basicAuthUserInfo {@code user:password} sent as {@code Authorization: Basic}, instead of a bearer token
     */
    public record SchemaRegistry(String url, String bearerToken, String basicAuthUserInfo) {
        public SchemaRegistry {
            url = url == null || url.isBlank() ? "http://127.0.0.1:8081" : url;
            try {
                RestSchemaRegistryClient.authorization(bearerToken, basicAuthUserInfo);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("eventing.schema-registry: " + e.getMessage(), e);
            }
        }

        /** The Authorization header for the registry, or null. */
        public String authorization() {
            return RestSchemaRegistryClient.authorization(bearerToken, basicAuthUserInfo);
        }
    }

    /**
     * @param maxRequestBytes the largest request body, 1 MiB by default
     * @param maxBatchEvents the most events in one batch, 500 by default
     * @param maxNumberScale the most a number's decimal exponent and its scale may be either way, 1,000 by default:
     *     exact arithmetic on {@code 1e200000} (a JSON Schema's {@code multipleOf}) takes seconds
     * @param maxNestingDepth how deeply objects and arrays may nest in an event's body, 64 levels by default
     * @param maxValidationTime how long checking one event against its JSON Schema may take, 1 s by default
     */
    public record Limits(
            long maxRequestBytes,
            int maxBatchEvents,
            int maxNumberScale,
            int maxNestingDepth,
            Duration maxValidationTime) {
        @ConstructorBinding
        public Limits {
            maxRequestBytes = maxRequestBytes == 0 ? 1024 * 1024 : maxRequestBytes;
            maxBatchEvents = maxBatchEvents == 0 ? 500 : maxBatchEvents;
            maxNumberScale = maxNumberScale == 0 ? 1000 : maxNumberScale;
            maxNestingDepth = maxNestingDepth == 0 ? 64 : maxNestingDepth;
            maxValidationTime = maxValidationTime == null ? Duration.ofSeconds(1) : maxValidationTime;
            if (maxRequestBytes < 1024) {
                throw new IllegalArgumentException("eventing.limits.max-request-bytes must be at least 1024");
            }
            if (maxBatchEvents < 1) {
                throw new IllegalArgumentException("eventing.limits.max-batch-events must be 1 or more");
            }
            if (maxNumberScale < 1 || maxNumberScale > 100_000) {
                throw new IllegalArgumentException("eventing.limits.max-number-scale must be 1 to 100000");
            }
            if (maxNestingDepth < 1 || maxNestingDepth > 400) {
                // Jackson's own limit (500 for a whole request) stays above every body this allows.
                throw new IllegalArgumentException("eventing.limits.max-nesting-depth must be 1 to 400");
            }
            if (maxValidationTime.compareTo(Duration.ofMillis(10)) < 0
                    || maxValidationTime.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("eventing.limits.max-validation-time must be 10ms to 1m");
            }
        }

        /** The request limits with the defaults for the rest. */
        public Limits(long maxRequestBytes, int maxBatchEvents) {
            this(maxRequestBytes, maxBatchEvents, 0, 0, null);
        }
    }

    /**
     * @param address the address gRPC binds to
     * @param port the gRPC port; 9090 by default, 0 for any free port, -1 to turn gRPC off
     * @param maxInFlightPerStream how many events of one stream may await Kafka at once before the server stops
     *     reading from it
     */
    public record Grpc(String address, Integer port, int maxInFlightPerStream) {
        public Grpc {
            address = address == null || address.isBlank() ? "127.0.0.1" : address;
            port = port == null ? 9090 : port;
            maxInFlightPerStream = maxInFlightPerStream == 0 ? 1000 : maxInFlightPerStream;
        }
    }

    /**
     * @param maxStaleness how far behind its registry topics the intake may fall, measured against end offsets it asks
     *     Kafka for, before it stops being ready and answers every publish 503: 30 s by default. A revoked token is
     *     refused once the intake has read the revocation, so this bounds how long an unseen one could still work
     */
    public record Registry(Duration maxStaleness) {
        public Registry {
            maxStaleness = maxStaleness == null ? Duration.ofSeconds(30) : maxStaleness;
            if (maxStaleness.compareTo(Duration.ofSeconds(2)) < 0) {
                // The followers ask for end offsets every second: less would flap.
                throw new IllegalArgumentException("eventing.registry.max-staleness must be at least 2s");
            }
        }
    }
}
