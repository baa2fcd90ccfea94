package com.northwind.eventing.benchmarks;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * A real in-process KRaft broker (the tests' own) with {@code eventing.firehose} created as the intake creates it: 6
 * partitions, the broker's default replication.
 */
final class FirehoseBroker implements AutoCloseable {
    static final String TOPIC = "eventing.firehose";
    static final int PARTITIONS = 6;

    private final KafkaBroker kafka;

    private FirehoseBroker(KafkaBroker kafka) {
        this.kafka = kafka;
    }

    static FirehoseBroker start() {
        // Kafka's test kit prints how it formats its storage to stdout, which JMH would print inside an iteration's
        // line.
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        KafkaBroker kafka;
        try {
            kafka = KafkaClusterExtension.startBroker();
        } finally {
            System.setOut(out);
        }
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(PARTITIONS), Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            return new FirehoseBroker(kafka);
        } catch (ExecutionException | TimeoutException e) {
            kafka.close();
            throw new IllegalStateException("could not create " + TOPIC, e);
        } catch (InterruptedException e) {
            kafka.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + TOPIC, e);
        }
    }

    /** Client settings that reach this broker. */
    Map<String, Object> clientConfig(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** How many records the firehose holds: the sum of its partitions' end offsets. */
    long records() {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS)
                .boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(TOPIC, p), p -> OffsetSpec.latest()));
        try (Admin admin = kafka.admin()) {
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                    .sum();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the end offsets of " + TOPIC, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end offsets of " + TOPIC, e);
        }
    }

    @Override
    public void close() {
        kafka.close();
    }
}
