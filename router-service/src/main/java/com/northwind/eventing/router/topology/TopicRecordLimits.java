package com.northwind.eventing.router.topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Record limits read from the topics' {@code max.message.bytes} (which includes the broker's default), capped by the
 * producer's {@code max.request.size}, and kept for a while: a changed topic limit applies after at most
 * {@code refresh}. Thread-safe; the caller closes the admin client.
 */
public final class TopicRecordLimits implements RecordLimits {
    private static final long DESCRIBE_TIMEOUT_SECONDS = 10;

    private final Admin admin;
    private final int maxRequestSize;
    private final long refreshNanos;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, Known> partitionCounts = new ConcurrentHashMap<>();

    /**
     * @param maxRequestSize the router's producer {@code max.request.size}
     * @param refresh how long a topic's limit is trusted before it is read again
     */
    public TopicRecordLimits(Admin admin, int maxRequestSize, Duration refresh) {
        this.admin = admin;
        this.maxRequestSize = maxRequestSize;
        this.refreshNanos = refresh.toNanos();
    }

    @Override
    public int maxRecordBytes(String topic) {
        long now = System.nanoTime();
        Known k = known.get(topic);
        if (k == null || now - k.readAt > refreshNanos) {
            k = new Known(Math.min(maxRequestSize, describe(topic)), now);
            known.put(topic, k);
        }
        return k.limit;
    }

    /**
     * The topic's partition count as Kafka gives it, read again after {@code refresh}: a kept topic taken again by a
     * subscription keeps the partitions it had, whatever the subscription's {@code partitions} says.
     */
    @Override
    public int partitions(String topic, int declared) {
        long now = System.nanoTime();
        Known k = partitionCounts.get(topic);
        if (k == null || now - k.readAt > refreshNanos) {
            k = new Known(describePartitions(topic), now);
            partitionCounts.put(topic, k);
        }
        return k.limit;
    }

    private int describePartitions(String topic) {
        try {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(DESCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new MissingTopicException("topic " + topic + " does not exist");
            }
            throw new TimeoutException("cannot read the partitions of topic " + topic, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(
                    "Kafka did not give the partitions of topic " + topic + " within " + DESCRIBE_TIMEOUT_SECONDS
                            + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    private int describe(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(DESCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(resource);
            ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null || entry.value() == null ? Integer.MAX_VALUE : Integer.parseInt(entry.value());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                // Sent anyway, the copy would wait for the topic's metadata and time out, retriably, for ever.
                throw new MissingTopicException("topic " + topic + " does not exist");
            }
            throw new TimeoutException("cannot read max.message.bytes of topic " + topic, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(
                    "Kafka did not give max.message.bytes of topic " + topic + " within " + DESCRIBE_TIMEOUT_SECONDS
                            + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    /** A number read from Kafka (a record limit or a partition count) and when. */
    private record Known(int limit, long readAt) {}
}
