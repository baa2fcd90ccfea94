package com.northwind.eventing.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A live transaction of one of the router's transactional ids, on a broker as production runs it (transactional
 * writes verified): its records are on the partition and its offsets sent to the group, so every sweep finds it
 * open, and none may abort it, since its coordinator counts it.
 */
@ExtendWith(KafkaClusterExtension.class)
class LiveTransactionsIT {
    private static final String APPLICATION_ID = "live-router";

    @Test
    void shouldNeverAbortALiveTransactionWhenItsCoordinatorCountsIt(KafkaBroker kafka) throws Exception {
        String topic = "live-" + UUID.randomUUID();
        TopicPartition tp = new TopicPartition(topic, 0);
        List<HangingTransactions.Sweep> sweeps = new ArrayList<>();
        try (Admin admin = kafka.admin();
                KafkaProducer<String, String> router = new KafkaProducer<>(
                        kafka.clientConfig(Map.of(
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                APPLICATION_ID + "-" + UUID.randomUUID() + "-1",
                                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                                60_000)),
                        new StringSerializer(),
                        new StringSerializer());
                KafkaConsumer<String, String> group = consumer(kafka, APPLICATION_ID)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            router.initTransactions();
            router.beginTransaction();
            for (String v : List.of("one", "two", "three")) {
                router.send(new ProducerRecord<>(topic, 0, null, v));
            }
            router.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(3)), group.groupMetadata());
            router.flush();
            HangingTransactions sweeper = new HangingTransactions(admin, APPLICATION_ID, Duration.ofSeconds(1));

            for (int i = 0; i < 3; i++) {
                sweeps.add(sweeper.sweep());
            }
            router.commitTransaction();
        }

        assertThat(sweeps)
                .allSatisfy(s -> assertThat(s.open())
                        .extracting(HangingTransactions.Open::partition)
                        .contains(tp));
        assertThat(sweeps).allSatisfy(s -> assertThat(s.aborted()).isEmpty());
        try (KafkaConsumer<String, String> reader = consumer(kafka, APPLICATION_ID)) {
            assertThat(reader.committed(Set.of(tp), Duration.ofSeconds(10))
                            .get(tp)
                            .offset())
                    .isEqualTo(3L);
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (values.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            assertThat(values).containsExactly("one", "two", "three");
        }
    }

    private static KafkaConsumer<String, String> consumer(KafkaBroker kafka, String groupId) {
        return new KafkaConsumer<>(
                kafka.clientConfig(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        groupId,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false)),
                new StringDeserializer(),
                new StringDeserializer());
    }
}
