package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.router.aggregation.AggregatorTopology;
import com.northwind.eventing.router.topology.RouterTopology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --mode=aggregator} on the test broker with a small segment: it runs to its end, and what it counts is what
 * the seeded events must make, so that the mode cannot rot unnoticed.
 */
@ExtendWith(KafkaClusterExtension.class)
class AggregatorBenchIT {
    @Test
    void shouldMakeOneOutputPerCombineRuleAndCompletedKeyAndRouteEveryEventWhenRunOverSmallSegments(KafkaBroker broker)
            throws Exception {
        // given
        createPlatformTopics(broker);
        AggregatorBench.Options options = AggregatorBench.Options.of(Map.of(
                "bootstrap", broker.bootstrapServers(),
                "events", "400",
                "open-keys", "200",
                "warmup", "1",
                "trials", "2"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        // when
        AggregatorBench.Report report = new AggregatorBench(
                        options,
                        new LookupFirstRegistry(new InMemorySchemaRegistryClient()),
                        new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run();

        // then
        System.out.print(printed.toString(StandardCharsets.UTF_8));
        List<AggregatorBench.Segment> segments = report.segments();
        assertThat(segments)
                .extracting(AggregatorBench.Segment::name)
                .containsExactly("opening", "warm-up 1 of 1", "trial 1 of 2", "trial 2 of 2");
        // Each of the 7 keyed rules (4 combine, 2 absence, the sla with an end) holds each of the 200 keys open.
        assertThat(segments.get(0).openKeys()).isEqualTo(1400);
        assertThat(segments.get(0).outputs()).containsEntry("combine", 0L).containsEntry("absence", 0L);
        for (AggregatorBench.Segment s : segments.subList(1, 4)) {
            // A block of 20 keys per segment (400 events / 20), each completing each of the 4 combine rules once.
            assertThat(s.expectedCombine()).isEqualTo(80);
            assertThat(s.outputs()).containsEntry("combine", 80L).containsEntry("absence", 0L);
            assertThat(s.deadLettered()).isZero();
            assertThat(s.copies()).isEqualTo(800);
            assertThat(s.router().perSecond(s.events())).isPositive();
            assertThat(s.aggregator().perSecond(s.events())).isPositive();
        }
        AggregatorBench.StateSize state = report.state();
        // The 60 completed keys lost up to their 7 rules' state, some of it opened again by a later repeat.
        assertThat(state.openKeys()).isBetween(1400L - 7 * 60, 1400L);
        assertThat(state.openKeys()).isEqualTo(segments.get(3).openKeys());
        assertThat(state.bytesPerOpenKey()).isGreaterThan(300);
        assertThat(state.sstBytes()).isPositive();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("medians of 2 trials: aggregator")
                .doesNotContain("!!");
    }

    private static void createPlatformTopics(KafkaBroker broker) throws Exception {
        create(broker, new NewTopic(AggregatorTopology.FIREHOSE, Optional.of(3), Optional.empty()));
        create(broker, new NewTopic(RouterTopology.DEADLETTER, Optional.of(1), Optional.empty()));
        for (String registry : List.of(
                RegistryTopics.EVENT_TYPES,
                RegistryTopics.APPS,
                RegistryTopics.SUBSCRIPTIONS,
                RegistryTopics.AGGREGATIONS)) {
            create(
                    broker,
                    new NewTopic(registry, Optional.of(1), Optional.empty())
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
    }

    private static void create(KafkaBroker broker, NewTopic topic) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
