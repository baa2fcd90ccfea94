package com.northwind.eventing.router;

import com.northwind.eventing.common.kafka.NativeLz4;
import com.northwind.eventing.common.kafka.TopicReplication;
import com.northwind.eventing.common.store.LedgerRecord;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.router.config.RouterProperties;
import com.northwind.eventing.router.topology.RouterMeters;
import com.northwind.eventing.router.topology.RouterTopology;
import com.northwind.eventing.router.topology.StreamFailures;
import com.northwind.eventing.router.topology.TopicRecordLimits;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the router topology for the life of the application context: makes sure the dead-letter and store topics
 * exist, starts Kafka Streams, and closes it (committing the open transactions) when the context stops. Its health is
 * the Streams state.
 */
@Component
class RouterStreams implements SmartLifecycle, HealthIndicator {
    private static final Logger log = LoggerFactory.getLogger(RouterStreams.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 30;
    /** How long a subscription topic's max.message.bytes is trusted before it is read again. */
    private static final Duration LIMITS_REFRESH = Duration.ofMinutes(1);
    /** How long the replay topic keeps what admin-api wrote to it, when the router creates it. */
    private static final Duration REPLAY_RETENTION = Duration.ofDays(7);

    /** How far apart the hanging-transaction sweep takes its two looks: well past a commit, well inside a minute. */
    static final Duration HANGING_CONFIRM_AFTER = Duration.ofSeconds(5);

    private final RouterProperties properties;
    private final Tracing tracing;
    private volatile KafkaStreams streams;
    private Admin limitsAdmin;
    private ScheduledExecutorService sweeper;

    private final MeterRegistry meters;

    RouterStreams(RouterProperties properties, MeterRegistry meters, Tracing tracing) {
        this.properties = properties;
        this.meters = meters;
        this.tracing = tracing;
        // 1 while the router routes (or rebalances to route again), 0 otherwise: what a "router stopped" alert reads,
        // since the process, and its scrape, can outlive its stream threads.
        Gauge.builder("eventing.router.running", this, r -> r.isRouting() ? 1 : 0)
                .description("1 while the router's Kafka Streams client is running or rebalancing, else 0")
                .register(meters);
    }

    private boolean isRouting() {
        KafkaStreams s = streams;
        return s != null && s.state().isRunningOrRebalancing();
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        RouterProperties.Router router = properties.router();
        createTopics(router);
        NativeLz4.load(); // the firehose is lz4: native, not lz4-java's Java fallback, inside a Spring Boot jar
        Properties config = streamsConfig(properties);
        limitsAdmin = Admin.create(adminConfig());
        KafkaStreams s = new KafkaStreams(
                RouterTopology.build(
                        properties.schemaRegistry().client(),
                        new TopicRecordLimits(limitsAdmin, maxRequestSize(config), LIMITS_REFRESH),
                        new RouterTopology.Topics(
                                RouterTopology.FIREHOSE,
                                router.store().enabled() ? StoreDocument.TOPIC : null,
                                router.ledger().enabled() ? LedgerRecord.TOPIC : null,
                                RouterTopology.REPLAY,
                                RouterTopology.REPLAY_COUNTS),
                        new RouterMeters(meters),
                        tracing),
                config);
        // Poison records are dead-lettered by the topology; what still escapes is an outage, replaced and retried
        // from the last committed transaction, or a failure a retry would meet again, which stops the router.
        s.setUncaughtExceptionHandler(new StreamFailures());
        s.setStateListener((now, before) -> log.info("Router state {} -> {}", before, now));
        s.start();
        streams = s;
        sweeper = startSweeper(router);
        log.info(
                "Router {} started: {} stream thread(s), state in {}, {}, {}",
                router.applicationId(),
                router.numStreamThreads(),
                router.stateDir(),
                router.store().enabled() ? "storing events in " + StoreDocument.TOPIC : "storing no events",
                router.ledger().enabled() ? "ledgering deliveries in " + LedgerRecord.TOPIC : "keeping no ledger");
    }

    /** Sweeps for the router's hanging transactions while it runs, unless the interval is 0. */
    private ScheduledExecutorService startSweeper(RouterProperties.Router router) {
        RouterProperties.HangingTransactions config = router.hangingTransactions();
        if (!config.enabled()) {
            log.info("Router {} does not look for hanging transactions", router.applicationId());
            return null;
        }
        return new HangingTransactions(limitsAdmin, "router", router.applicationId(), HANGING_CONFIRM_AFTER)
                .schedule(config.interval());
    }

    /**
     * The topology's Streams configuration with this instance's settings; {@code eventing.kafka.properties.*} wins
     * over the commit interval, as over the topology's other client settings, but not over the stream threads.
     */
    static Properties streamsConfig(RouterProperties properties) {
        RouterProperties.Router router = properties.router();
        Properties config = RouterTopology.properties(
                properties.kafka().bootstrapServers(), router.applicationId(), router.stateDir());
        config.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, router.commitInterval().toMillis());
        // Streams' internal topics (the replays' tallies and counts) get the replication of the router's own.
        TopicReplication topics = properties.topics();
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, topics.factor());
        if (topics.minInsyncReplicas() != null) {
            config.put(
                    StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                    topics.minInsyncReplicas().toString());
        }
        config.putAll(properties.kafka().properties());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, router.numStreamThreads());
        return config;
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>(properties.kafka().properties());
        config.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.kafka().bootstrapServers());
        return config;
    }

    /** The producer's max.request.size as Streams will configure it: a producer. prefix wins over the plain key. */
    private static int maxRequestSize(Properties config) {
        Object v = config.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (v == null) {
            v = config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        return v == null ? 1024 * 1024 : Integer.parseInt(v.toString());
    }

    /**
     * Creates, where missing, the dead-letter topic, the store's and the ledger's when the router writes them, the
     * replay topic (admin-api creates it too, alike, and whichever comes second finds it there) and the replays'
     * counts; an existing topic is left as it is. All get {@code eventing.router.replication-factor} and
     * {@code eventing.kafka.min-insync-replicas} (the broker's defaults unless set).
     */
    private void createTopics(RouterProperties.Router router) {
        TopicReplication replication = properties.topics();
        try (Admin admin = Admin.create(adminConfig())) {
            createTopic(admin, replication.newTopic(RouterTopology.DEADLETTER, Optional.empty(), Map.of()));
            // As many partitions as the firehose: the records keep its spread, and the sinks and the router its pace.
            Optional<Integer> partitions = firehosePartitions(admin);
            if (router.store().enabled()) {
                createTopic(
                        admin,
                        deleting(
                                replication,
                                StoreDocument.TOPIC,
                                partitions,
                                router.store().retention()));
            }
            if (router.ledger().enabled()) {
                createTopic(
                        admin,
                        deleting(
                                replication,
                                LedgerRecord.TOPIC,
                                partitions,
                                router.ledger().retention()));
            }
            createTopic(admin, deleting(replication, RouterTopology.REPLAY, partitions, REPLAY_RETENTION));
            createTopic(
                    admin,
                    replication.newTopic(
                            RouterTopology.REPLAY_COUNTS,
                            Optional.of(1),
                            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
    }

    private static NewTopic deleting(
            TopicReplication replication, String name, Optional<Integer> partitions, Duration retention) {
        return replication.newTopic(
                name,
                partitions,
                Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(retention.toMillis())));
    }

    private Optional<Integer> firehosePartitions(Admin admin) {
        try {
            return Optional.of(admin.describeTopics(List.of(RouterTopology.FIREHOSE))
                    .allTopicNames()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(RouterTopology.FIREHOSE)
                    .partitions()
                    .size());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw failed("describe " + RouterTopology.FIREHOSE, e);
            }
            log.warn(
                    "{} does not exist yet, so the router's topics get the broker's default partition count",
                    RouterTopology.FIREHOSE);
            return Optional.empty();
        } catch (TimeoutException e) {
            throw timedOut("describe " + RouterTopology.FIREHOSE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + RouterTopology.FIREHOSE, e);
        }
    }

    private void createTopic(Admin admin, NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("Created topic {}", topic.name());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw failed("create " + topic.name(), e);
            }
        } catch (TimeoutException e) {
            throw timedOut("create " + topic.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic.name(), e);
        }
    }

    private static IllegalStateException failed(String what, ExecutionException e) {
        return new IllegalStateException(
                "could not " + what + ": " + e.getCause().getMessage(), e.getCause());
    }

    private IllegalStateException timedOut(String what, TimeoutException e) {
        return new IllegalStateException(
                "could not " + what + ": Kafka at " + properties.kafka().bootstrapServers() + " did not answer within "
                        + ADMIN_TIMEOUT_SECONDS + " s",
                e);
    }

    @Override
    public void stop() {
        KafkaStreams s;
        Admin admin;
        ScheduledExecutorService executor;
        synchronized (this) {
            s = streams;
            streams = null;
            admin = limitsAdmin;
            limitsAdmin = null;
            executor = sweeper;
            sweeper = null;
        }
        if (s == null) {
            return;
        }
        try {
            if (executor != null) {
                executor.shutdownNow(); // interrupts a sweep between its looks; an abort under way is one request
            }
            closeStreams(s);
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
    }

    private void closeStreams(KafkaStreams s) {
        // Leave the group: a restarted router (standalone, a redeploy) then joins at once instead of waiting out the
        // old member's session, and a close during that wait does not hang.
        if (!s.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(properties.router().closeTimeout()))) {
            log.warn("Router did not close within {}", properties.router().closeTimeout());
        } else {
            log.info("Router stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    @Override
    public Health health() {
        KafkaStreams s = streams;
        if (s == null) {
            return Health.down().withDetail("state", "STOPPED").build();
        }
        KafkaStreams.State state = s.state();
        Health.Builder health =
                state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED ? Health.up() : Health.down();
        return health.withDetail("state", state.name()).build();
    }

    /** The Streams instance while running, for tests and tools; null when stopped. */
    KafkaStreams streams() {
        return streams;
    }
}
