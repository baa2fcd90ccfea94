package com.northwind.eventing.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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
    }

    @Test
    void shouldRefuseNegativeStreamThreadsWhenConfigured() {
        assertThatThrownBy(() -> new RouterProperties.Router("r", "/tmp/r", -2, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventing.router.num-stream-threads must be 1 or more");
    }

    @Test
    void shouldRefuseZeroCloseTimeoutWhenConfigured() {
        assertThatThrownBy(() -> new RouterProperties.Router("r", "/tmp/r", 1, Duration.ZERO, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventing.router.close-timeout must be positive");
    }

    @Test
    void shouldRefuseZeroStoreRetentionWhenConfigured() {
        assertThatThrownBy(() -> new RouterProperties.Store(true, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventing.router.store.retention must be positive");
    }
}
