package com.northwind.eventing.intake.support;

import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.schema.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads {@code eventing.firehose} as a consumer would: end offsets, and the records written after a snapshot. */
public final class Firehose {
    public static final String TOPIC = "eventing.firehose";

    private Firehose() {}

    /** End offset per partition now. */
    public static Map<TopicPartition, Long> endOffsets(KafkaBroker kafka) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(kafka)) {
            List<TopicPartition> partitions = c.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition()))
                    .toList();
            return new HashMap<>(c.endOffsets(partitions));
        }
    }

    /** Raw records written since {@code from} (as returned by {@link #endOffsets}). */
    public static List<ConsumerRecord<String, byte[]>> since(KafkaBroker kafka, Map<TopicPartition, Long> from) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                kafka.clientConfig(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>(from.keySet());
            c.assign(partitions);
            from.forEach(c::seek);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 60_000;
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("could not read the firehose to its end");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    records.add(r);
                }
            }
        }
        return records;
    }

    /** A deserializer of the envelope through the schema registry at {@code registryUrl}. */
    public static AvroWireDeserializer<Envelope> envelopes(String registryUrl) {
        return new AvroWireDeserializer<>(new RestSchemaRegistryClient(registryUrl), Envelope.getClassSchema(), true);
    }

    public static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker kafka) {
        return new KafkaConsumer<>(
                kafka.clientConfig(Map.of()), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
