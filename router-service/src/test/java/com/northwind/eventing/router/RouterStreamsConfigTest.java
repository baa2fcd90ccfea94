package com.northwind.eventing.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.router.config.RouterProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class RouterStreamsConfigTest {
    @Test
    void shouldPassCommitIntervalToStreamsWhenConfigured() {
        RouterProperties properties = properties(Map.of(), Duration.ofMillis(20));

        Properties config = RouterStreams.streamsConfig(properties);

        assertThat(new StreamsConfig(config).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .isEqualTo(20L);
    }

    @Test
    void shouldCommitEvery100msWhenNothingIsSet() {
        RouterProperties properties = properties(Map.of(), null);

        Properties config = RouterStreams.streamsConfig(properties);

        assertThat(new StreamsConfig(config).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .isEqualTo(100L);
    }

    @Test
    void shouldLetKafkaPropertiesOverrideCommitIntervalWhenBothAreSet() {
        RouterProperties properties = properties(Map.of("commit.interval.ms", "250"), Duration.ofMillis(20));

        Properties config = RouterStreams.streamsConfig(properties);

        assertThat(new StreamsConfig(config).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .isEqualTo(250L);
    }

    @Test
    void shouldGiveStreamsInternalTopicsTheRoutersReplicationWhenSet() {
        // given
        RouterProperties properties = new RouterProperties(
                new RouterProperties.Kafka("broker:9092", Map.of(), 2),
                null,
                new RouterProperties.Router("router", "/tmp/router-state", 1, null, null, null, null, null, 3));

        // when
        Properties config = RouterStreams.streamsConfig(properties);

        // then
        assertThat(new StreamsConfig(config).getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG))
                .isEqualTo(3);
        assertThat(config.get("topic.min.insync.replicas")).isEqualTo("2");
    }

    private static RouterProperties properties(Map<String, String> kafka, Duration commitInterval) {
        return new RouterProperties(
                new RouterProperties.Kafka("broker:9092", kafka),
                null,
                new RouterProperties.Router("router", "/tmp/router-state", 1, null, null, null, commitInterval));
    }
}
