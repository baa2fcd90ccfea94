package com.northwind.eventing.router;

import com.northwind.eventing.common.kafka.NativeLz4;
import com.northwind.eventing.router.config.RouterProperties;
import com.northwind.eventing.router.topology.RouterTopology;
import com.northwind.eventing.router.topology.StreamFailures;
import com.northwind.eventing.router.topology.TopicRecordLimits;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
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
 * Runs the router topology for the life of the application context: makes sure the dead-letter topic exists, starts
 * Kafka Streams, and closes it (committing the open transactions) when the context stops. Its health is the Streams
 * state.
 */
@Component
class RouterStreams implements SmartLifecycle, HealthIndicator {
    private static final Logger log = LoggerFactory.getLogger(RouterStreams.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 30;
    /** How long a subscription topic's max.message.bytes is trusted before it is read again. */
    private static final Duration LIMITS_REFRESH = Duration.ofMinutes(1);

    private final RouterProperties properties;
    private volatile KafkaStreams streams;
    private Admin limitsAdmin;

    RouterStreams(RouterProperties properties) {
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        createDeadLetterTopic();
        NativeLz4.load(); // the firehose is lz4: native, not lz4-java's Java fallback, inside a Spring Boot jar
        RouterProperties.Router router = properties.router();
        Properties config = RouterTopology.properties(
                properties.kafka().bootstrapServers(), router.applicationId(), router.stateDir());
        config.putAll(properties.kafka().properties());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, router.numStreamThreads());
        limitsAdmin = Admin.create(adminConfig());
        KafkaStreams s = new KafkaStreams(
                RouterTopology.build(
                        properties.schemaRegistry().client(),
                        new TopicRecordLimits(limitsAdmin, maxRequestSize(config), LIMITS_REFRESH)),
                config);
        // Poison records are dead-lettered by the topology; what still escapes is an outage, replaced and retried
        // from the last committed transaction, or a failure a retry would meet again, which stops the router.
        s.setUncaughtExceptionHandler(new StreamFailures());
        s.setStateListener((now, before) -> log.info("Router state {} -> {}", before, now));
        s.start();
        streams = s;
        log.info(
                "Router {} started: {} stream thread(s), state in {}",
                router.applicationId(),
                router.numStreamThreads(),
                router.stateDir());
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

    private void createDeadLetterTopic() {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(List.of(new NewTopic(RouterTopology.DEADLETTER, Optional.empty(), Optional.empty())))
                    .all()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("Created the dead-letter topic {}", RouterTopology.DEADLETTER);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "could not create the dead-letter topic " + RouterTopology.DEADLETTER + ": "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "could not create the dead-letter topic " + RouterTopology.DEADLETTER + ": Kafka at "
                            + properties.kafka().bootstrapServers() + " did not answer within "
                            + ADMIN_TIMEOUT_SECONDS + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the dead-letter topic", e);
        }
    }

    @Override
    public void stop() {
        KafkaStreams s;
        Admin admin;
        synchronized (this) {
            s = streams;
            streams = null;
            admin = limitsAdmin;
            limitsAdmin = null;
        }
        if (s == null) {
            return;
        }
        try {
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
