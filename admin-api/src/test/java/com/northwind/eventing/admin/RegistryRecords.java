package com.northwind.eventing.admin;

import com.northwind.eventing.common.testing.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a single-partition registry topic holds, read straight from the broker. */
public final class RegistryRecords {
    private RegistryRecords() {}

    /** Every value written under {@code key}, oldest first; a tombstone reads as "<tombstone>". */
    public static List<String> recordsOf(KafkaBroker kafka, String topic, String key) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                kafka.clientConfig(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID())),
                new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        values.add(r.value() == null ? "<tombstone>" : r.value());
                    }
                }
            }
        }
        return values;
    }
}
