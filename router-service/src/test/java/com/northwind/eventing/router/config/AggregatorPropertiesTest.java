package com.northwind.eventing.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AggregatorPropertiesTest {
    @Test
    void shouldRunTheAggregatorWithItsOwnApplicationIdWhenNothingIsSet() {
        // given
        AggregatorProperties p = new AggregatorProperties(null, null, null, 0, null);

        // when
        boolean enabled = p.enabled();

        // then
        assertThat(enabled).isTrue();
        assertThat(p.applicationId()).isEqualTo("eventing-aggregator");
        assertThat(p.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(p.numStreamThreads()).isEqualTo(1);
        assertThat(p.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldRefuseTheSettingsWhenTheCommitIntervalIsOutOfBounds() {
        // when / then
        assertThatThrownBy(() -> new AggregatorProperties(true, null, Duration.ofSeconds(11), 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventing.aggregator.commit-interval must be 10ms to 10s, not 11000ms");
    }

    @Test
    void shouldRefuseTheSettingsWhenThreadsAreNegative() {
        // when / then
        assertThatThrownBy(() -> new AggregatorProperties(true, null, null, -1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventing.aggregator.num-stream-threads must be 1 or more");
    }
}
