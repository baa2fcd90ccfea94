package com.northwind.eventing.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class RouterPropertiesTest {
    @Test
    void shouldFillDefaultsWhenNothingIsSet() {
        RouterProperties p = new RouterProperties(null, null, null);

        assertThat(p.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(p.kafka().properties()).isEmpty();
        assertThat(p.schemaRegistry().url()).isEqualTo("http://127.0.0.1:8081");
        assertThat(p.router().applicationId()).isEqualTo("eventing-router");
        assertThat(p.router().stateDir())
                .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "eventing-router")
                        .toString());
        assertThat(p.router().numStreamThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(p.router().closeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.router().store().enabled()).isTrue();
        assertThat(p.router().store().retention()).isEqualTo(Duration.ofDays(7));
        assertThat(p.router().commitInterval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void shouldBindCommitIntervalWhenSetInTheEnvironment() {
        Binder env = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("EVENTING_ROUTER_COMMITINTERVAL", "20ms"))));

        RouterProperties p = env.bind("eventing", RouterProperties.class).get();

        assertThat(p.router().commitInterval()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void shouldRefuseStartWhenCommitIntervalIsUnder10ms() {
        Binder config = binder("eventing.router.commit-interval", "9ms");

        assertThatThrownBy(() -> config.bind("eventing", RouterProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("eventing.router.commit-interval must be 10ms to 10s, not 9ms");
    }

    @Test
    void shouldRefuseStartWhenCommitIntervalIsOver10s() {
        Binder config = binder("eventing.router.commit-interval", "10001ms");

        assertThatThrownBy(() -> config.bind("eventing", RouterProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("eventing.router.commit-interval must be 10ms to 10s, not 10001ms");
    }

    @Test
    void shouldAcceptCommitIntervalWhenAtItsBounds() {
        RouterProperties shortest = binder("eventing.router.commit-interval", "10ms")
                .bind("eventing", RouterProperties.class)
                .get();
        RouterProperties longest = binder("eventing.router.commit-interval", "10s")
                .bind("eventing", RouterProperties.class)
                .get();

        assertThat(shortest.router().commitInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(longest.router().commitInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    private static Binder binder(String key, String value) {
        return new Binder(new MapConfigurationPropertySource(Map.of(key, value)));
    }

    @Test
    void shouldRefuseNegativeStreamThreadsWhenConfigured() {
        assertThatThrownBy(() -> new RouterProperties.Router("r", "/tmp/r", -2, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventing.router.num-stream-threads must be 1 or more");
    }

    @Test
    void shouldRefuseZeroCloseTimeoutWhenConfigured() {
        assertThatThrownBy(() -> new RouterProperties.Router("r", "/tmp/r", 1, Duration.ZERO, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventing.router.close-timeout must be positive");
    }

    @Test
    void shouldRefuseZeroStoreRetentionWhenConfigured() {
        assertThatThrownBy(() -> new RouterProperties.Store(true, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventing.router.store.retention must be positive");
    }

    @Test
    void shouldSweepEveryMinuteWhenTheIntervalIsNotSet() {
        RouterProperties p = new RouterProperties(null, null, null);

        RouterProperties.HangingTransactions sweep = p.router().hangingTransactions();

        assertThat(sweep.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(sweep.enabled()).isTrue();
    }

    @Test
    void shouldTurnTheSweepOffWhenTheIntervalIsZero() {
        RouterProperties p = binder("eventing.router.hanging-transactions.interval", "0")
                .bind("eventing", RouterProperties.class)
                .get();

        RouterProperties.HangingTransactions sweep = p.router().hangingTransactions();

        assertThat(sweep.enabled()).isFalse();
    }

    @Test
    void shouldBindTheSweepIntervalWhenSetInTheEnvironment() {
        Binder env = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("EVENTING_ROUTER_HANGINGTRANSACTIONS_INTERVAL", "5m"))));

        RouterProperties p = env.bind("eventing", RouterProperties.class).get();

        assertThat(p.router().hangingTransactions().interval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void shouldRefuseStartWhenTheSweepIntervalIsNegative() {
        Binder config = binder("eventing.router.hanging-transactions.interval", "-1m");

        assertThatThrownBy(() -> config.bind("eventing", RouterProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("eventing.router.hanging-transactions.interval must be 0 (off) or 10s to 1h, not -60000ms");
    }

    @Test
    void shouldRefuseStartWhenTheSweepIntervalIsUnder10s() {
        Binder config = binder("eventing.router.hanging-transactions.interval", "9s");

        assertThatThrownBy(() -> config.bind("eventing", RouterProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("eventing.router.hanging-transactions.interval must be 0 (off) or 10s to 1h, not 9000ms");
    }

    @Test
    void shouldRefuseStartWhenTheSweepIntervalIsOverAnHour() {
        Binder config = binder("eventing.router.hanging-transactions.interval", "30d");

        assertThatThrownBy(() -> config.bind("eventing", RouterProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage(
                        "eventing.router.hanging-transactions.interval must be 0 (off) or 10s to 1h, not 2592000000ms");
    }

    @Test
    void shouldAcceptTheSweepIntervalWhenAtItsBounds() {
        RouterProperties shortest = binder("eventing.router.hanging-transactions.interval", "10s")
                .bind("eventing", RouterProperties.class)
                .get();
        RouterProperties longest = binder("eventing.router.hanging-transactions.interval", "1h")
                .bind("eventing", RouterProperties.class)
                .get();

        assertThat(shortest.router().hangingTransactions().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(longest.router().hangingTransactions().interval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldRefuseStartWhenMinInsyncReplicasExceedsTheRoutersReplication() {
        // given
        Binder config = new Binder(new MapConfigurationPropertySource(
                Map.of("eventing.kafka.min-insync-replicas", "3", "eventing.router.replication-factor", "2")));

        // when / then
        assertThatThrownBy(() -> config.bind("eventing", RouterProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("eventing.kafka.min-insync-replicas (3) must not exceed"
                        + " eventing.router.replication-factor (2): Kafka would refuse every write to those topics");
    }

    @Test
    void shouldGiveTheRoutersTopicsTheirReplicationWhenSet() {
        // given
        Binder config = new Binder(new MapConfigurationPropertySource(
                Map.of("eventing.kafka.min-insync-replicas", "2", "eventing.router.replication-factor", "3")));

        // when
        RouterProperties p = config.bind("eventing", RouterProperties.class).get();

        // then
        assertThat(p.topics().factor()).isEqualTo(3);
        assertThat(p.topics().minInsyncReplicas()).isEqualTo(2);
    }
}
