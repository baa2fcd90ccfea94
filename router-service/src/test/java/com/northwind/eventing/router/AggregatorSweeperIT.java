package com.northwind.eventing.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.router.config.AggregatorProperties;
import com.northwind.eventing.router.config.RouterProperties;
import com.northwind.eventing.router.topology.RouterTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator runs the hanging-transaction sweep for its own application id on a daemon thread of its own while it
 * runs, and ends it when it stops; with the router's interval at 0, or the aggregator disabled, it runs none.
 */
@ExtendWith(KafkaClusterExtension.class)
class AggregatorSweeperIT {
    private static final String THREAD = "aggregator-hanging-transactions";

    @TempDir
    Path state;

    @BeforeAll
    static void topics(KafkaBroker kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            for (String topic : List.of(RouterTopology.FIREHOSE, RegistryTopics.EVENT_TYPES)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Test
    void shouldSweepOnADaemonThreadWhileRunningAndEndItWhenStopped(KafkaBroker kafka) throws Exception {
        AggregatorStreams aggregator = aggregator(kafka, Duration.ofSeconds(10), true);

        aggregator.start();
        Optional<Thread> running = sweeperThread(Duration.ofSeconds(10));
        aggregator.stop();

        assertThat(running).hasValueSatisfying(t -> assertThat(t.isDaemon()).isTrue());
        running.get().join(10_000);
        assertThat(running.get().isAlive()).isFalse();
    }

    @Test
    void shouldNotSweepWhenTheIntervalIsZero(KafkaBroker kafka) throws Exception {
        AggregatorStreams aggregator = aggregator(kafka, Duration.ZERO, true);

        aggregator.start();
        Optional<Thread> running = sweeperThread(Duration.ofSeconds(3));
        aggregator.stop();

        assertThat(running).isEmpty();
    }

    @Test
    void shouldNotSweepWhenTheAggregatorIsDisabled(KafkaBroker kafka) throws Exception {
        AggregatorStreams aggregator = aggregator(kafka, Duration.ofSeconds(10), false);

        aggregator.start();
        Optional<Thread> running = sweeperThread(Duration.ofSeconds(3));
        aggregator.stop();

        assertThat(running).isEmpty();
    }

    private AggregatorStreams aggregator(KafkaBroker kafka, Duration interval, boolean enabled) {
        return new AggregatorStreams(
                new RouterProperties(
                        new RouterProperties.Kafka(kafka.bootstrapServers(), Map.of()),
                        null,
                        new RouterProperties.Router(
                                "sweeper-router",
                                state.toString(),
                                1,
                                Duration.ofSeconds(10),
                                null,
                                null,
                                null,
                                new RouterProperties.HangingTransactions(interval),
                                -1)),
                new AggregatorProperties(enabled, "sweeper-aggregator", null, 1, Duration.ofSeconds(10)),
                new SimpleMeterRegistry(),
                Tracing.off());
    }

    private static Optional<Thread> sweeperThread(Duration within) throws InterruptedException {
        return RouterSweeperIT.aliveThread(THREAD, within);
    }
}
