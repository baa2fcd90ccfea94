package com.northwind.eventing.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hanging transactions made for real, on a broker of its own that does not verify transactional writes (so that a
 * write its coordinator never hears of can be made, as an older client's could): the sweeper ends the router's, and a
 * read_committed reader that stopped before one reads past it; it leaves another's alone, and one that a live
 * transaction of the same producer joins between its two looks.
 */
class HangingTransactionsIT {
    private static final String APPLICATION_ID = "hang-router";
    private static final Duration CONFIRM = Duration.ofSeconds(1);

    private static KafkaClusterTestKit cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "5")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "3")
                .setConfigProp("transaction.partition.verification.enable", "false")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
        // Without verification, a producer of transaction version 2 would have its partitions added by nobody; on
        // version 1 it adds them itself, and keeps its epoch from one transaction to the next, as older clients do.
        admin.updateFeatures(
                        Map.of(
                                "transaction.version",
                                new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                        new UpdateFeaturesOptions())
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldAbortTheRoutersHangingTransactionWhenNoCoordinatorCountsIt() throws Exception {
        String topic = topic();
        TopicPartition tp = new TopicPartition(topic, 0);
        String transactionalId = APPLICATION_ID + "-" + UUID.randomUUID() + "-1";
        try (KafkaProducer<String, String> dead = transactional(transactionalId);
                KafkaProducer<String, String> plain = plain()) {
            dead.initTransactions();
            TransactionDescription d = describe(transactionalId);
            plain.send(new ProducerRecord<>(topic, 0, null, "before")).get();
            new OrphanWrites(cluster.bootstrapServers())
                    .produce(transactionalId, d.producerId(), (short) d.producerEpoch(), 0, topic, 0, "hanging");
            plain.send(new ProducerRecord<>(topic, 0, null, "after")).get();
        }
        assertThat(stableEnd(tp)).isEqualTo(1L);
        HangingTransactions sweeper = new HangingTransactions(admin, APPLICATION_ID, CONFIRM);

        HangingTransactions.Sweep sweep = sweeper.sweep();

        assertThat(sweep.aborted())
                .extracting(HangingTransactions.Open::partition, HangingTransactions.Open::startOffset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(tp, 1L));
        assertThat(stableEnd(tp)).isEqualTo(4L);
        assertThat(readCommitted(tp, 2)).containsExactly("before", "after");
    }

    @Test
    void shouldAbortTheRoutersHangingOffsetCommitWhenNoCoordinatorCountsIt() throws Exception {
        String topic = topic();
        TopicPartition tp = new TopicPartition(topic, 0);
        String transactionalId = APPLICATION_ID + "-" + UUID.randomUUID() + "-1";
        try (KafkaConsumer<String, String> committer = consumer(APPLICATION_ID)) {
            committer.assign(List.of(tp));
            committer.commitSync(Map.of(tp, new OffsetAndMetadata(7)));
        }
        try (KafkaProducer<String, String> dead = transactional(transactionalId)) {
            dead.initTransactions();
            TransactionDescription d = describe(transactionalId);
            new OrphanWrites(cluster.bootstrapServers())
                    .commitOffset(
                            transactionalId, d.producerId(), (short) d.producerEpoch(), APPLICATION_ID, topic, 0, 9);
        }
        try (KafkaConsumer<String, String> router = consumer(APPLICATION_ID)) {
            assertThatThrownBy(() -> router.committed(Set.of(tp), Duration.ofSeconds(3)))
                    .isInstanceOf(TimeoutException.class);
        }
        HangingTransactions sweeper = new HangingTransactions(admin, APPLICATION_ID, CONFIRM);

        HangingTransactions.Sweep sweep = sweeper.sweep();

        assertThat(sweep.aborted()).extracting(o -> o.partition().topic()).containsExactly("__consumer_offsets");
        try (KafkaConsumer<String, String> router = consumer(APPLICATION_ID)) {
            assertThat(router.committed(Set.of(tp), Duration.ofSeconds(10))
                            .get(tp)
                            .offset())
                    .isEqualTo(7L);
        }
    }

    @Test
    void shouldLeaveAHangingTransactionAloneWhenItsProducerIsNotTheRouters() throws Exception {
        String topic = topic();
        TopicPartition tp = new TopicPartition(topic, 0);
        String transactionalId = "another-app-" + UUID.randomUUID();
        try (KafkaProducer<String, String> other = transactional(transactionalId)) {
            other.initTransactions();
            TransactionDescription d = describe(transactionalId);
            new OrphanWrites(cluster.bootstrapServers())
                    .produce(transactionalId, d.producerId(), (short) d.producerEpoch(), 0, topic, 0, "theirs");
        }
        HangingTransactions sweeper = new HangingTransactions(admin, APPLICATION_ID, CONFIRM);

        HangingTransactions.Sweep first = sweeper.sweep();
        HangingTransactions.Sweep second = sweeper.sweep();

        assertThat(first.aborted()).isEmpty();
        assertThat(second.aborted()).isEmpty();
        assertThat(first.foreign()).isEmpty();
        assertThat(second.foreign())
                .extracting(HangingTransactions.Open::partition)
                .containsExactly(tp);
        assertThat(stableEnd(tp)).isEqualTo(0L);
    }

    @Test
    void shouldNotAbortWhenTheProducersLiveTransactionTakesThePartitionInBetweenTheLooks() throws Exception {
        String topic = topic();
        TopicPartition tp = new TopicPartition(topic, 0);
        String transactionalId = APPLICATION_ID + "-" + UUID.randomUUID() + "-1";
        try (KafkaProducer<String, String> live = transactional(transactionalId)) {
            live.initTransactions();
            TransactionDescription d = describe(transactionalId);
            new OrphanWrites(cluster.bootstrapServers())
                    .produce(
                            transactionalId,
                            d.producerId(),
                            (short) d.producerEpoch(),
                            Integer.MAX_VALUE, // so that the live producer's first sequence, 0, follows it
                            topic,
                            0,
                            "early");
            HangingTransactions sweeper = new HangingTransactions(admin, APPLICATION_ID, CONFIRM, pause -> {
                live.beginTransaction();
                live.send(new ProducerRecord<>(topic, 0, null, "live"));
                live.flush();
            });

            HangingTransactions.Sweep sweep = sweeper.sweep();
            live.commitTransaction();

            assertThat(sweep.aborted()).isEmpty();
        }
        assertThat(readCommitted(tp, 2)).containsExactly("early", "live");
    }

    private static String topic() throws Exception {
        String name = "hang-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        return name;
    }

    private static TransactionDescription describe(String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId))
                .description(transactionalId)
                .get(30, TimeUnit.SECONDS);
    }

    /** The end offset a read_committed reader sees: the first offset of the oldest open transaction, if any. */
    private static long stableEnd(TopicPartition tp) {
        try (KafkaConsumer<String, String> c = consumer("hang-reader-" + UUID.randomUUID())) {
            return c.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
        }
    }

    private static List<String> readCommitted(TopicPartition tp, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer("hang-reader-" + UUID.randomUUID())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            // One more poll: nothing past the expected values may come.
            c.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
        return values;
    }

    private static KafkaProducer<String, String> transactional(String transactionalId) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        cluster.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        transactionalId,
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        60_000),
                new StringSerializer(),
                new StringSerializer());
    }

    private static KafkaProducer<String, String> plain() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String groupId) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        cluster.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        groupId,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new StringDeserializer());
    }
}
