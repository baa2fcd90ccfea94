package com.northwind.eventing.router.config;

import com.northwind.eventing.common.kafka.TopicReplication;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.router.topology.RouterTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * The router's configuration, checked at start.
 *
 * @param kafka how to reach Kafka
 * @param schemaRegistry where firehose schemas are looked up and subscription topic schemas registered
 * @param router the Streams application
 */
@ConfigurationProperties(prefix = "eventing")
public record RouterProperties(Kafka kafka, SchemaRegistry schemaRegistry, Router router) {
    public RouterProperties {
        kafka = kafka == null ? new Kafka(null, null) : kafka;
        schemaRegistry = schemaRegistry == null ? new SchemaRegistry(null, null, null) : schemaRegistry;
        router = router == null ? new Router(null, null, 0, null, null, null, null) : router;
        TopicReplication.checkMinInsyncReplicas(
                kafka.minInsyncReplicas(), "eventing.router.replication-factor", router.replicationFactor());
    }

    /**
     * The replication of the topics the router creates (dead letters, store, ledger, replay, replay counts) and of
     * Kafka Streams' internal topics.
     */
    public TopicReplication topics() {
        return new TopicReplication(router.replicationFactor(), kafka.minInsyncReplicas());
    }

    /**
     * @param properties extra client properties for every Kafka client (security and the like)
     * @param minInsyncReplicas {@code min.insync.replicas} of every topic the router creates; unset for the broker's
     *     default
     */
    public record Kafka(String bootstrapServers, Map<String, String> properties, Integer minInsyncReplicas) {
        @ConstructorBinding
        public Kafka {
            bootstrapServers =
                    bootstrapServers == null || bootstrapServers.isBlank() ? "127.0.0.1:9092" : bootstrapServers;
            properties = properties == null ? Map.of() : Map.copyOf(properties);
            TopicReplication.checkMinInsyncReplicas(minInsyncReplicas);
        }

        /** The broker's default {@code min.insync.replicas}. */
        public Kafka(String bootstrapServers, Map<String, String> properties) {
            this(bootstrapServers, properties, null);
        }
    }

    /**
     * @param url the registry's base URL(s)
     * @param bearerToken sent as {@code Authorization: Bearer} ({@code EVENTING_SCHEMA_REGISTRY_BEARER_TOKEN}): the
     *     platform's service token for the embedded registry, which may write the subscription topics' subjects
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

        /** A client that sends the configured credential; a refusal of it fails the task, never a dead letter. */
        public RestSchemaRegistryClient client() {
            return new RestSchemaRegistryClient(
                    url, RestSchemaRegistryClient.authorization(bearerToken, basicAuthUserInfo));
        }
    }

    /**
     * @param applicationId the Streams application id: consumer group, transactional id prefix, internal topics
     * @param stateDir where Streams keeps its state; under the data directory in standalone
     * @param numStreamThreads stream threads in this instance; one per processor when not set
     * @param closeTimeout how long stop waits for Streams to commit and close
     * @param store the event store's topic, which the router writes
     * @param ledger the delivery ledger's topic, which the router writes
     * @param commitInterval how often Streams commits its transaction: a read_committed consumer sees a copy only
     *     once it is committed, so this bounds the latency the router adds, and each commit costs throughput;
     *     100 ms (Streams' exactly-once default) unless set, 10 ms to 10 s
     * @param hangingTransactions the sweep that ends the router's hanging transactions
     * @param replicationFactor replicas of the topics the router creates and of Kafka Streams' internal topics; -1
     *     (or unset) for the broker's default
     */
    public record Router(
            String applicationId,
            String stateDir,
            int numStreamThreads,
            Duration closeTimeout,
            Store store,
            Ledger ledger,
            Duration commitInterval,
            HangingTransactions hangingTransactions,
            int replicationFactor) {
        // Below 10 ms the transactions' own round trips dominate; above 10 s copies wait that long to be seen.
        private static final Duration MIN_COMMIT_INTERVAL = Duration.ofMillis(10);
        private static final Duration MAX_COMMIT_INTERVAL = Duration.ofSeconds(10);

        /** The broker's default replication. */
        public Router(
                String applicationId,
                String stateDir,
                int numStreamThreads,
                Duration closeTimeout,
                Store store,
                Ledger ledger,
                Duration commitInterval) {
            this(applicationId, stateDir, numStreamThreads, closeTimeout, store, ledger, commitInterval, null, -1);
        }

        @ConstructorBinding
        public Router {
            replicationFactor = replicationFactor == 0 ? -1 : replicationFactor;
            if (replicationFactor < -1 || replicationFactor > Short.MAX_VALUE) {
                throw new IllegalArgumentException("eventing.router.replication-factor must be -1 or 1 to 32767");
            }
            store = store == null ? new Store(null, null) : store;
            hangingTransactions = hangingTransactions == null ? new HangingTransactions(null) : hangingTransactions;
            ledger = ledger == null ? new Ledger(null, null) : ledger;
            applicationId = applicationId == null || applicationId.isBlank() ? "eventing-router" : applicationId;
            stateDir = stateDir == null || stateDir.isBlank()
                    ? Path.of(System.getProperty("java.io.tmpdir"), "eventing-router")
                            .toString()
                    : stateDir;
            numStreamThreads = numStreamThreads == 0 ? RouterTopology.defaultStreamThreads() : numStreamThreads;
            closeTimeout = closeTimeout == null ? Duration.ofSeconds(30) : closeTimeout;
            if (numStreamThreads < 1) {
                throw new IllegalArgumentException("eventing.router.num-stream-threads must be 1 or more");
            }
            if (closeTimeout.isNegative() || closeTimeout.isZero()) {
                throw new IllegalArgumentException("eventing.router.close-timeout must be positive");
            }
            commitInterval = commitInterval == null ? RouterTopology.DEFAULT_COMMIT_INTERVAL : commitInterval;
            if (commitInterval.compareTo(MIN_COMMIT_INTERVAL) < 0
                    || commitInterval.compareTo(MAX_COMMIT_INTERVAL) > 0) {
                throw new IllegalArgumentException(
                        "eventing.router.commit-interval must be 10ms to 10s, not " + commitInterval.toMillis() + "ms");
            }
        }
    }

    /**
     * @param enabled whether the router writes each event's store document to {@code eventing.store}; on unless set
     *     to false
     * @param retention the {@code retention.ms} the router gives {@code eventing.store} when it creates it: how long a
     *     record waits there for the store's sink connector
     */
    public record Store(Boolean enabled, Duration retention) {
        public Store {
            enabled = enabled == null || enabled;
            retention = retention == null ? Duration.ofDays(7) : retention;
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("eventing.router.store.retention must be positive");
            }
        }
    }

    /**
     * @param enabled whether the router writes each event's delivery ledger record to {@code eventing.ledger}; on
     *     unless set to false
     * @param retention the {@code retention.ms} the router gives {@code eventing.ledger} when it creates it: how long a
     *     record waits there for the store's sink connector
     */
    public record Ledger(Boolean enabled, Duration retention) {
        public Ledger {
            enabled = enabled == null || enabled;
            retention = retention == null ? Duration.ofDays(7) : retention;
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("eventing.router.ledger.retention must be positive");
            }
        }
    }

    /**
     * @param interval how often the router looks for, and aborts, its hanging transactions (transactions a partition
     *     holds open that no coordinator counts any more, which stop every read_committed reader of it): once at
     *     start and then every interval; 1 minute unless set, 0 turns it off, else 10 s to 1 h
     */
    public record HangingTransactions(Duration interval) {
        // A sweep takes its two looks a few seconds apart, so a shorter interval only repeats it; past an hour, a
        // router blocked by one would wait that long after Streams gave up on its task.
        private static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
        private static final Duration MAX_INTERVAL = Duration.ofHours(1);

        public HangingTransactions {
            interval = interval == null ? Duration.ofMinutes(1) : interval;
            if (!interval.isZero() && (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0)) {
                throw new IllegalArgumentException(
                        "eventing.router.hanging-transactions.interval must be 0 (off) or 10s to 1h, not "
                                + interval.toMillis() + "ms");
            }
        }

        /** Whether the sweep runs at all. */
        public boolean enabled() {
            return !interval.isZero();
        }
    }
}
