package com.northwind.eventing.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.router.config.AggregatorProperties;
import com.northwind.eventing.router.config.RouterProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class AggregatorStreamsConfigTest {
    @Test
    void shouldKeepItsOwnApplicationIdAndStateDirWhenKafkaPropertiesNameOthers() {
        // given
        RouterProperties router = new RouterProperties(
                new RouterProperties.Kafka(
                        "broker:9092",
                        Map.of(
                                "application.id",
                                "eventing-router",
                                "state.dir",
                                "/elsewhere",
                                "commit.interval.ms",
                                "250")),
                null,
                new RouterProperties.Router("eventing-router", "/data/router", 4, null, null, null, null));
        AggregatorProperties aggregator = new AggregatorProperties(true, null, Duration.ofMillis(20), 2, null);

        // when
        StreamsConfig config = new StreamsConfig(AggregatorStreams.streamsConfig(router, aggregator));

        // then
        assertThat(config.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("eventing-aggregator");
        assertThat(config.getString(StreamsConfig.STATE_DIR_CONFIG))
                .isEqualTo(Path.of("/data/router", "aggregator").toString());
        assertThat(config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
        assertThat(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(250L);
        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldCommitAtTheAggregatorsIntervalWhenKafkaPropertiesSetNone() {
        // given
        RouterProperties router = new RouterProperties(
                new RouterProperties.Kafka("broker:9092", Map.of()),
                null,
                new RouterProperties.Router(null, "/data/router", 1, null, null, null, null));
        AggregatorProperties aggregator = new AggregatorProperties(true, "agg", Duration.ofMillis(20), 0, null);

        // when
        Properties config = AggregatorStreams.streamsConfig(router, aggregator);

        // then
        assertThat(new StreamsConfig(config).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .isEqualTo(20L);
        assertThat(new StreamsConfig(config).getString(StreamsConfig.APPLICATION_ID_CONFIG))
                .isEqualTo("agg");
    }
}
