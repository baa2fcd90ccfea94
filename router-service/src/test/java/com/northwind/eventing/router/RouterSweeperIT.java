package com.northwind.eventing.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.router.config.RouterProperties;
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
 * The router runs its hanging-transaction sweep on a daemon thread of its own while it runs, and ends it when it stops;
 * with the interval at 0 it runs none.
 */
@ExtendWith(KafkaClusterExtension.class)
class RouterSweeperIT {
    private static final String THREAD = "router-hanging-transactions";

    @TempDir
    Path state;

    @BeforeAll
    static void topics(KafkaBroker kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            for (String topic :
                    List.of(RegistryTopics.EVENT_TYPES, RegistryTopics.APPS, RegistryTopics.SUBSCRIPTIONS)) {
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
        RouterStreams router = router(kafka, Duration.ofSeconds(10));

        router.start();
        Optional<Thread> running = sweeperThread(Duration.ofSeconds(10));
        router.stop();

        assertThat(running).hasValueSatisfying(t -> assertThat(t.isDaemon()).isTrue());
        running.get().join(10_000);
        assertThat(running.get().isAlive()).isFalse();
    }

    @Test
    void shouldNotSweepWhenTheIntervalIsZero(KafkaBroker kafka) throws Exception {
        RouterStreams router = router(kafka, Duration.ZERO);

        router.start();
        Optional<Thread> running = sweeperThread(Duration.ofSeconds(3));
        router.stop();

        assertThat(running).isEmpty();
    }

    private RouterStreams router(KafkaBroker kafka, Duration interval) {
        return new RouterStreams(
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
                new SimpleMeterRegistry(),
                Tracing.off());
    }

    private static Optional<Thread> sweeperThread(Duration within) throws InterruptedException {
        return aliveThread(THREAD, within);
    }

    /** The live thread of that name, once there is one within the time; empty if there is none by then. */
    static Optional<Thread> aliveThread(String name, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            Optional<Thread> t = Thread.getAllStackTraces().keySet().stream()
                    .filter(x -> x.getName().equals(name) && x.isAlive())
                    .findFirst();
            if (t.isPresent()) {
                return t;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }
}
