package com.northwind.eventing.router;

import com.northwind.eventing.common.kafka.NativeLz4;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.router.aggregation.AggregatorMeters;
import com.northwind.eventing.router.aggregation.AggregatorTopology;
import com.northwind.eventing.router.config.AggregatorProperties;
import com.northwind.eventing.router.config.RouterProperties;
import com.northwind.eventing.router.topology.StreamFailures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
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
 * Runs the aggregator topology beside the router, as a Kafka Streams application of its own (its application id, its
 * state under the router's state directory), for the life of the application context: makes sure the rules' registry
 * topic exists, starts Streams and the sweep for its hanging transactions, and closes them (committing the open
 * transactions) when the context stops. Its health is the Streams state; with {@code eventing.aggregator.enabled=false}
 * it runs nothing and says so.
 */
@Component
class AggregatorStreams implements SmartLifecycle, HealthIndicator {
    private static final Logger log = LoggerFactory.getLogger(AggregatorStreams.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private final RouterProperties router;
    private final AggregatorProperties properties;
    private final MeterRegistry meters;
    private final Tracing tracing;
    private volatile KafkaStreams streams;
    private Admin sweepAdmin;
    private ScheduledExecutorService sweeper;

    AggregatorStreams(RouterProperties router, AggregatorProperties properties, MeterRegistry meters, Tracing tracing) {
        this.router = router;
        this.properties = properties;
        this.meters = meters;
        this.tracing = tracing;
        Gauge.builder("eventing.aggregator.running", this, a -> a.isAggregating() ? 1 : 0)
                .description("1 while the aggregator's Kafka Streams client is running or rebalancing, else 0")
                .register(meters);
    }

    private boolean isAggregating() {
        KafkaStreams s = streams;
        return s != null && s.state().isRunningOrRebalancing();
    }

    @Override
    public synchronized void start() {
        if (streams != null || !properties.enabled()) {
            if (!properties.enabled()) {
                log.info("Aggregator disabled (eventing.aggregator.enabled=false)");
            }
            return;
        }
        createRulesTopic();
        NativeLz4.load();
        KafkaStreams s = new KafkaStreams(
                AggregatorTopology.build(router.schemaRegistry().client(), new AggregatorMeters(meters), tracing),
                streamsConfig(router, properties));
        s.setUncaughtExceptionHandler(new StreamFailures());
        s.setStateListener((now, before) -> log.info("Aggregator state {} -> {}", before, now));
        s.start();
        streams = s;
        sweeper = startSweeper();
        log.info(
                "Aggregator {} started: {} stream thread(s), state in {}",
                properties.applicationId(),
                properties.numStreamThreads(),
                stateDir(router));
    }

    /**
     * Sweeps for the aggregator's hanging transactions while it runs, as often as for the router's
     * ({@code eventing.router.hanging-transactions.interval}; 0 turns both off): it is exactly-once too, with its own
     * group, transactional ids and internal topics, and it writes the firehose.
     */
    private ScheduledExecutorService startSweeper() {
        RouterProperties.HangingTransactions config = router.router().hangingTransactions();
        if (!config.enabled()) {
            log.info("Aggregator {} does not look for hanging transactions", properties.applicationId());
            return null;
        }
        sweepAdmin = Admin.create(adminConfig());
        return new HangingTransactions(
                        sweepAdmin, "aggregator", properties.applicationId(), RouterStreams.HANGING_CONFIRM_AFTER)
                .schedule(config.interval());
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>(router.kafka().properties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, router.kafka().bootstrapServers());
        return config;
    }

    /**
     * The aggregator's Streams configuration: {@code eventing.kafka.properties.*} wins over the commit interval, as for
     * the router, but not over the application id, the state directory or the stream threads.
     */
    static Properties streamsConfig(RouterProperties router, AggregatorProperties properties) {
        Properties config = AggregatorTopology.properties(
                router.kafka().bootstrapServers(), properties.applicationId(), stateDir(router));
        config.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                properties.commitInterval().toMillis());
        config.putAll(router.kafka().properties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(router));
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.numStreamThreads());
        return config;
    }

    /** Under the router's, so that one data directory holds both, and apart from it. */
    static String stateDir(RouterProperties router) {
        return Path.of(router.router().stateDir(), "aggregator").toString();
    }

    /**
     * Creates the rules' registry topic where missing, compacted with one partition like the other registry topics
     * (admin-api, which writes it, creates it alike; whichever comes second finds it there).
     */
    private void createRulesTopic() {
        NewTopic topic = new NewTopic(RegistryTopics.AGGREGATIONS, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("Created topic {}", topic.name());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "could not create " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "could not create " + topic.name() + ": Kafka at "
                            + router.kafka().bootstrapServers() + " did not answer within " + ADMIN_TIMEOUT_SECONDS
                            + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic.name(), e);
        }
    }

    @Override
    public void stop() {
        KafkaStreams s;
        Admin admin;
        ScheduledExecutorService executor;
        synchronized (this) {
            s = streams;
            streams = null;
            admin = sweepAdmin;
            sweepAdmin = null;
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
            if (!s.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(properties.closeTimeout()))) {
                log.warn("Aggregator did not close within {}", properties.closeTimeout());
            } else {
                log.info("Aggregator stopped");
            }
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    @Override
    public Health health() {
        if (!properties.enabled()) {
            return Health.up().withDetail("state", "DISABLED").build();
        }
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
