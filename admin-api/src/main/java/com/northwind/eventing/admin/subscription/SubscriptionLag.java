package com.northwind.eventing.admin.subscription;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.northwind.eventing.common.model.Subscription;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The consumer lag of every subscription, measured every {@code eventing.subscriptions.lag.interval} on a thread of its
 * own rather than per scrape: for each consumer group with committed offsets on a subscription's topic, the records
 * of that topic committed by the router (the last stable offset: a copy is readable once its transaction commits)
 * that the group has not committed yet, summed over the partitions; a partition the group never committed counts
 * whole. Two gauges:
 *
 * <ul>
 *   <li>{@code eventing.subscription.consumer.lag{subscription, group}}, for the first {@code max-groups} groups of a
 *       subscription by name: group names are the consumers' to choose, so their series are capped;
 *   <li>{@code eventing.subscription.lag{subscription}}, the largest lag of any of its groups: what an alert watches.
 * </ul>
 *
 * A subscription nobody has consumed yet has no series. A round that fails leaves the last values and logs why; the
 * rows of deleted subscriptions and of groups that stopped committing go with the next round.
 *
 * <p>The last round's list and its time are kept for {@code GET /v1/subscriptions/{id}/lag}: a request reads them and
 * never asks Kafka, so reading the lag costs the brokers nothing however often it is read.
 */
@Component
@EnableConfigurationProperties(SubscriptionLagProperties.class)
class SubscriptionLag implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionLag.class);
    private static final long KAFKA_TIMEOUT_SECONDS = 10;

    private final SubscriptionService subscriptions;
    private final Admin kafka;
    private final SubscriptionLagProperties properties;
    private final MultiGauge byGroup;
    private final MultiGauge bySubscription;
    private final Clock clock;
    private volatile Round last;
    private ScheduledExecutorService executor;

    SubscriptionLag(
            SubscriptionService subscriptions,
            Admin kafkaAdmin,
            SubscriptionLagProperties properties,
            MeterRegistry registry,
            Clock clock) {
        this.subscriptions = subscriptions;
        this.clock = clock;
        this.kafka = kafkaAdmin;
        this.properties = properties;
        this.byGroup = MultiGauge.builder("eventing.subscription.consumer.lag")
                .description("Copies on a subscription's topic its consumer group has not committed yet")
                .baseUnit("records")
                .register(registry);
        this.bySubscription = MultiGauge.builder("eventing.subscription.lag")
                .description("The largest consumer lag of any consumer group on a subscription's topic")
                .baseUnit("records")
                .register(registry);
    }

    /** One subscription's lag per consumer group, in records. */
    record Lag(String subscription, String group, long records) {}

    /** What one completed round measured, and when it began: each subscription's groups, by group name. */
    private record Round(Instant at, Map<String, List<Lag>> bySubscription) {}

    /**
     * One subscription's lag as the last completed round measured it.
     *
     * @param measured false while measuring is off or no round has completed yet; then {@code measuredAt} is null and
     *     {@code groups} empty
     * @param groups its consumer groups by name, at most {@code max-groups} of them; empty when none has committed
     * @param maxRecords the largest lag of all its groups (those past the cap included); 0 without groups
     */
    record View(
            String subscription,
            String topic,
            boolean measured,
            @JsonInclude(JsonInclude.Include.ALWAYS) Instant measuredAt,
            List<GroupLag> groups,
            boolean groupsTruncated,
            long maxRecords) {}

    /** One consumer group's lag in records. */
    record GroupLag(String group, long records) {}

    /** The last completed round's lag of the subscription; Kafka is not asked. */
    View of(Subscription subscription) {
        Round round = last;
        if (round == null) {
            return new View(subscription.id(), subscription.topic(), false, null, List.of(), false, 0);
        }
        List<Lag> groups = round.bySubscription().getOrDefault(subscription.id(), List.of());
        return new View(
                subscription.id(),
                subscription.topic(),
                true,
                round.at(),
                listed(groups).stream()
                        .map(l -> new GroupLag(l.group(), l.records()))
                        .toList(),
                groups.size() > properties.maxGroups(),
                largest(groups));
    }

    /** The groups a subscription's gauges and answer name: the first {@code max-groups} by name. */
    private List<Lag> listed(List<Lag> groups) {
        return groups.subList(0, Math.min(groups.size(), properties.maxGroups()));
    }

    /** The largest lag of all the groups, those past the cap included; 0 without groups. */
    private static long largest(List<Lag> groups) {
        return groups.stream().mapToLong(Lag::records).max().orElse(0);
    }

    /** Measures every subscription's lag now and publishes it; answers what it measured. */
    List<Lag> refresh() throws Exception {
        Instant at = clock.instant();
        List<Lag> lags = measure();
        Map<String, List<Lag>> perSubscription = new TreeMap<>();
        lags.forEach(l -> perSubscription
                .computeIfAbsent(l.subscription(), s -> new ArrayList<>())
                .add(l));
        List<MultiGauge.Row<?>> groupRows = new ArrayList<>();
        List<MultiGauge.Row<?>> maxRows = new ArrayList<>();
        perSubscription.forEach((subscription, groups) -> {
            for (Lag l : listed(groups)) {
                groupRows.add(
                        MultiGauge.Row.of(Tags.of("subscription", subscription, "group", l.group()), l.records()));
            }
            maxRows.add(MultiGauge.Row.of(Tags.of("subscription", subscription), largest(groups)));
        });
        byGroup.register(groupRows, true);
        bySubscription.register(maxRows, true);
        Map<String, List<Lag>> kept = new TreeMap<>();
        perSubscription.forEach((subscription, groups) -> kept.put(subscription, List.copyOf(groups)));
        last = new Round(at, Collections.unmodifiableMap(kept));
        return lags;
    }

    /** Every (subscription, group) with committed offsets on the subscription's topic, by subscription, then group. */
    private List<Lag> measure() throws Exception {
        Map<String, String> subscriptionOfTopic = new HashMap<>();
        for (Subscription s : subscriptions.list()) {
            subscriptionOfTopic.put(s.topic(), s.id());
        }
        if (subscriptionOfTopic.isEmpty()) {
            return List.of();
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = new TreeMap<>();
        for (GroupListing g : kafka.listGroups(ListGroupsOptions.forConsumerGroups())
                .all()
                .get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            specs.put(g.groupId(), new ListConsumerGroupOffsetsSpec());
        }
        if (specs.isEmpty()) {
            return List.of();
        }
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
                kafka.listConsumerGroupOffsets(specs).all().get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        // The groups on each subscription topic, and the partitions of those topics, from what they committed.
        Map<String, Map<String, Map<TopicPartition, Long>>> groupsOfTopic = new TreeMap<>();
        committed.forEach((group, offsets) -> offsets.forEach((tp, o) -> {
            if (o != null && subscriptionOfTopic.containsKey(tp.topic())) {
                groupsOfTopic
                        .computeIfAbsent(tp.topic(), t -> new TreeMap<>())
                        .computeIfAbsent(group, g -> new HashMap<>())
                        .put(tp, o.offset());
            }
        }));
        if (groupsOfTopic.isEmpty()) {
            return List.of();
        }
        Map<String, List<TopicPartition>> partitions = new HashMap<>();
        kafka.describeTopics(groupsOfTopic.keySet())
                .allTopicNames()
                .get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((topic, d) -> partitions.put(
                        topic,
                        d.partitions().stream()
                                .map(p -> new TopicPartition(topic, p.partition()))
                                .toList()));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.values().forEach(ps -> ps.forEach(p -> latest.put(p, OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        kafka.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((p, r) -> ends.put(p, r.offset()));
        List<Lag> lags = new ArrayList<>();
        groupsOfTopic.forEach((topic, groups) -> groups.forEach((group, offsets) -> {
            long records = 0;
            for (TopicPartition p : partitions.getOrDefault(topic, List.of())) {
                records += Math.max(0, ends.getOrDefault(p, 0L) - offsets.getOrDefault(p, 0L));
            }
            lags.add(new Lag(subscriptionOfTopic.get(topic), group, records));
        }));
        lags.sort((a, b) -> a.subscription().equals(b.subscription())
                ? a.group().compareTo(b.group())
                : a.subscription().compareTo(b.subscription()));
        return lags;
    }

    private void refreshLogged() {
        try {
            refresh();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Expected while Kafka is out of reach: the gauges keep their last values and the next round tries again.
            log.warn(
                    "Subscription lag not measured this round: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public synchronized void start() {
        if (properties.interval().isZero()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventing-subscription-lag");
            t.setDaemon(true);
            return t;
        });
        long every = properties.interval().toMillis();
        executor.scheduleWithFixedDelay(this::refreshLogged, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
