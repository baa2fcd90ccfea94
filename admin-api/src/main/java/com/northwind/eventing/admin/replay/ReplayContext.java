package com.northwind.eventing.admin.replay;

import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.admin.config.KafkaClients;
import com.northwind.eventing.admin.eventtype.EventTypeService;
import com.northwind.eventing.admin.kafka.FirehoseProperties;
import com.northwind.eventing.admin.store.StoreQueries;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** What every replay worker shares: clients, views, the store, and whether admin-api is stopping. */
@Component
class ReplayContext {
    private static final Logger log = LoggerFactory.getLogger(ReplayContext.class);
    private static final long TIMEOUT_MILLIS = 30_000;

    private final KafkaClients clients;
    private final Admin admin;
    private final AdminProperties adminProperties;
    private final FirehoseProperties firehose;
    private final ReplayProperties properties;
    private final ReplayViews views;
    private final StoreQueries store;
    private final EventTypeService eventTypes;
    private final SchemaRegistryClient registry;
    private final Clock clock;
    private final Object sleeper = new Object();
    private volatile boolean stopping;
    private volatile boolean replayTopicExists;

    ReplayContext(
            KafkaClients clients,
            Admin admin,
            AdminProperties adminProperties,
            FirehoseProperties firehose,
            ReplayProperties properties,
            ReplayViews views,
            StoreQueries store,
            EventTypeService eventTypes,
            SchemaRegistryClient registry,
            Clock clock) {
        this.clients = clients;
        this.admin = admin;
        this.adminProperties = adminProperties;
        this.firehose = firehose;
        this.properties = properties;
        this.views = views;
        this.store = store;
        this.eventTypes = eventTypes;
        this.registry = registry;
        this.clock = clock;
    }

    /** A fresh, mutable copy of the Kafka client settings. */
    Map<String, Object> clientConfig() {
        return new HashMap<>(clients.config(Map.of()));
    }

    Admin admin() {
        return admin;
    }

    String firehoseTopic() {
        return firehose.topic();
    }

    ReplayProperties properties() {
        return properties;
    }

    CompactedTopic<Replay> replays() {
        return views.replays;
    }

    CompactedTopic<Subscription> subscriptions() {
        return views.subscriptions;
    }

    StoreQueries store() {
        return store;
    }

    EventTypeService eventTypes() {
        return eventTypes;
    }

    SchemaRegistryClient registry() {
        return registry;
    }

    Clock clock() {
        return clock;
    }

    boolean stopping() {
        return stopping;
    }

    /** Stops every worker before its next batch and wakes those that wait. */
    void stop() {
        stopping = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    /** Waits, unless admin-api stops meanwhile. */
    void sleep(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (sleeper) {
            long left = millis;
            while (left > 0 && !stopping) {
                try {
                    sleeper.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
            }
        }
    }

    /**
     * Creates the replay topic if it is missing, with the firehose's partition count and retention, so that a
     * firehose record keeps its partition on the replay topic.
     */
    void ensureReplayTopic() {
        if (replayTopicExists) {
            return;
        }
        try {
            TopicDescription d = admin.describeTopics(List.of(firehose.topic()))
                    .allTopicNames()
                    .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .get(firehose.topic());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, firehose.topic());
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .get(resource);
            String retention = config.get(TopicConfig.RETENTION_MS_CONFIG).value();
            NewTopic topic = adminProperties
                    .registryTopics()
                    .newTopic(
                            ReplayWorker.REPLAY_TOPIC,
                            Optional.of(d.partitions().size()),
                            Map.of(TopicConfig.RETENTION_MS_CONFIG, retention));
            admin.createTopics(List.of(topic)).all().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            log.info(
                    "Created {} with {} partitions, retention.ms {}",
                    ReplayWorker.REPLAY_TOPIC,
                    d.partitions().size(),
                    retention);
            replayTopicExists = true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                replayTopicExists = true;
            } else if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                // A missing firehose fails the replay when it begins; anything else is tried again.
                throw new KafkaException("could not create " + ReplayWorker.REPLAY_TOPIC, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new KafkaException("Kafka did not create " + ReplayWorker.REPLAY_TOPIC + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted");
        }
    }
}
