package com.northwind.eventing.admin.kafka;

import static com.northwind.eventing.admin.Fixtures.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code eventing.kafka.min-insync-replicas} on the topics admin-api creates, read back from the broker. The test
 * broker has one node, so the only value it can hold is 1, its default too: what shows the setting is that the topic
 * carries it as its own (a topic-level override) rather than inheriting the broker's.
 */
@ExtendWith(KafkaClusterExtension.class)
class MinInsyncReplicasIT {
    @Test
    void shouldGiveSubscriptionAndRegistryTopicsTheMinInsyncReplicasWhenItIsConfigured(KafkaBroker kafka)
            throws Exception {
        // given
        try (AdminApiServer api = new AdminApiServer(
                        kafka,
                        "--eventing.kafka.min-insync-replicas=1",
                        "--eventing.schema-registry.topic=misr-configured-schemas")
                .start()) {
            api.post("/v1/apps", app("misr-configured", "", ""));

            // when
            int created = api.post("/v1/subscriptions", subscription("misr-configured-sub", "misr-configured"))
                    .status();

            // then
            assertThat(created).isEqualTo(201);
            assertThat(minInsyncReplicas(kafka, "eventing.sub.misr-configured-sub"))
                    .isEqualTo("1 (DYNAMIC_TOPIC_CONFIG)");
            assertThat(minInsyncReplicas(kafka, "misr-configured-schemas")).isEqualTo("1 (DYNAMIC_TOPIC_CONFIG)");
        }
    }

    @Test
    void shouldLeaveTheBrokersDefaultWhenMinInsyncReplicasIsNotConfigured(KafkaBroker kafka) throws Exception {
        // given
        try (AdminApiServer api =
                new AdminApiServer(kafka, "--eventing.schema-registry.topic=misr-default-schemas").start()) {
            api.post("/v1/apps", app("misr-default", "", ""));

            // when
            int created = api.post("/v1/subscriptions", subscription("misr-default-sub", "misr-default"))
                    .status();

            // then the topics inherit the broker's value (the test broker sets its default dynamically)
            assertThat(created).isEqualTo(201);
            assertThat(minInsyncReplicas(kafka, "eventing.sub.misr-default-sub"))
                    .isEqualTo("1 (DYNAMIC_DEFAULT_BROKER_CONFIG)");
            assertThat(minInsyncReplicas(kafka, "misr-default-schemas")).isEqualTo("1 (DYNAMIC_DEFAULT_BROKER_CONFIG)");
        }
    }

    @Test
    void shouldRefuseToStartWhenMinInsyncReplicasExceedsTheReplicationFactor(KafkaBroker kafka) throws Exception {
        // given the registry's and the subscriptions' replication factor 1 (AdminApiServer's)
        AdminApiServer api = new AdminApiServer(
                kafka,
                "--eventing.kafka.min-insync-replicas=2",
                "--eventing.schema-registry.topic=misr-refused-schemas");

        // when
        Throwable thrown = catchThrowable(api::start);

        // then
        assertThat(thrown)
                .rootCause()
                .hasMessage("eventing.kafka.min-insync-replicas (2) must not exceed"
                        + " eventing.registry.replication-factor (1): Kafka would refuse every write to those topics");
        assertThat(topics(kafka)).doesNotContain("misr-refused-schemas");
    }

    @Test
    void shouldRefuseToStartWhenMinInsyncReplicasIsZero(KafkaBroker kafka) {
        // given
        AdminApiServer api = new AdminApiServer(kafka, "--eventing.kafka.min-insync-replicas=0");

        // when
        Throwable thrown = catchThrowable(api::start);

        // then
        assertThat(thrown).rootCause().hasMessage("eventing.kafka.min-insync-replicas must be 1 or more, not 0");
    }

    private static String subscription(String id, String app) {
        return """
                {"id": "%s", "app": "%s", "eventTypes": ["Claim.*.*"]}
                """.formatted(id, app);
    }

    /** The topic's min.insync.replicas as the broker describes it, with where the value comes from. */
    private static String minInsyncReplicas(KafkaBroker kafka, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = kafka.admin()) {
            ConfigEntry entry = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource)
                    .get("min.insync.replicas");
            return entry.value() + " (" + entry.source() + ")";
        }
    }

    private static java.util.Set<String> topics(KafkaBroker kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
