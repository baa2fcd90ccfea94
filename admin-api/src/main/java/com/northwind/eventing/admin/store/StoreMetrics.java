package com.northwind.eventing.admin.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The store's gauges, measured every {@code eventing.store.metrics-interval} rather than per scrape:
 * {@code eventing.store.documents} (MongoDB's estimated count of the collection) and {@code eventing.store.sink.lag}
 * (records on {@code eventing.store} the Connect sink has not committed yet: its consumer group's lag, summed over the
 * partitions). The lag is the honest measure of "how far behind is the store": the age of the newest stored event
 * says nothing when no events come. Each gauge is NaN until measured and while it cannot be.
 */
@Component
class StoreMetrics {
    static final String TOPIC = "eventing.store";
    private static final Logger log = LoggerFactory.getLogger(StoreMetrics.class);
    private static final long KAFKA_TIMEOUT_SECONDS = 10;

    private final Store store;
    private final Admin kafka;
    private final String group;
    private volatile double documents = Double.NaN;
    private volatile double lag = Double.NaN;

    StoreMetrics(Store store, Admin kafkaAdmin, Environment environment, MeterRegistry registry) {
        this.store = store;
        this.kafka = kafkaAdmin;
        // Connect names a sink connector's consumer group connect-<connector name>.
        this.group =
                "connect-" + environment.getProperty("eventing.store.connect.connector-name", "eventing-store-sink");
        Gauge.builder("eventing.store.documents", this, m -> m.documents)
                .description("Events in the store (MongoDB's estimated count)")
                .register(registry);
        Gauge.builder("eventing.store.sink.lag", this, m -> m.lag)
                .description("Records on " + TOPIC + " the store's sink connector has not committed yet")
                .baseUnit("records")
                .register(registry);
    }

    String group() {
        return group;
    }

    double documents() {
        return documents;
    }

    double lag() {
        return lag;
    }

    /** Measures both; a part that fails leaves its gauge NaN and is logged, the other is still measured. */
    void refresh() {
        try {
            documents = store.events()
                    .estimatedDocumentCount(new com.mongodb.client.model.EstimatedDocumentCountOptions()
                            .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS));
        } catch (RuntimeException e) {
            documents = Double.NaN;
            log.debug("Could not count the store's documents: {}", e.getClass().getSimpleName());
        }
        try {
            lag = sinkLag();
        } catch (Exception e) {
            lag = Double.NaN;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("Could not measure the store sink's lag: {}", e.getClass().getSimpleName());
        }
    }

    /** The sink's lag: end offsets less its committed offsets (all of a partition it has not committed on). */
    long sinkLag() throws Exception {
        List<TopicPartition> partitions = kafka
                .describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .get(TOPIC)
                .partitions()
                .stream()
                .map(p -> new TopicPartition(TOPIC, p.partition()))
                .toList();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        kafka.listOffsets(latest)
                .all()
                .get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((p, r) -> ends.put(p, r.offset()));
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long total = 0;
        for (TopicPartition p : partitions) {
            OffsetAndMetadata c = committed.get(p);
            total += Math.max(0, ends.getOrDefault(p, 0L) - (c == null ? 0 : c.offset()));
        }
        return total;
    }
}
